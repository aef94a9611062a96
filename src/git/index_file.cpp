// This file implements the index reader (see index_file.hpp). Format: git's
// Documentation/gitformat-index.txt. All integers are big-endian.
#include "git/index_file.hpp"

#include <dirent.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/error.hpp"
#include "util/bytes.hpp"
#include "util/mapped_file.hpp"

namespace keygate {
namespace {

constexpr std::size_t kOidSize = 20;
constexpr std::size_t kFixedEntrySize = 62;  // 10 32-bit stat fields, the object id, 16-bit flags

// The `link` extension of a split index: the id of its shared index and two EWAH bitmaps over the shared
// index's entries (kept as bytes until the shared index says how many bits may be set).
struct Link {
  bool present = false;
  git_oid base{};
  std::string_view deleted, replaced;
};

// Checks the layout of one EWAH bitmap at `p` (git's ewah/ewah_io.c: 32-bit bit count, 32-bit word
// count, that many 64-bit words, 32-bit position of the last marker word) and moves `p` past it.
bool skip_ewah(const unsigned char*& p, const unsigned char* end, std::string_view& out) {
  if (end - p < 8) return false;
  const std::uint32_t words = be32(p + 4);
  if (words > static_cast<std::size_t>(end - p - 8) / 8 ||
      static_cast<std::size_t>(end - p - 8) - words * std::size_t{8} < 4)
    return false;
  const std::size_t size = 8 + words * std::size_t{8} + 4;
  out = std::string_view(reinterpret_cast<const char*>(p), size);
  p += size;
  return true;
}

// The positions of the set bits of an EWAH bitmap checked by skip_ewah, ascending. The words are runs:
// a marker word (bit 0: the run's bit; bits 1-32: how many 64-bit words of it; bits 33-63: how many
// literal words follow), then the literal words, least significant bit first. Returns false when a bit
// at or beyond `limit` is set.
bool ewah_bits(std::string_view bitmap, std::uint64_t limit, std::vector<std::uint64_t>& bits) {
  const auto* p = reinterpret_cast<const unsigned char*>(bitmap.data());
  const std::size_t words = be32(p + 4);
  p += 8;
  std::uint64_t pos = 0;  // the bit the next word starts at
  for (std::size_t i = 0; i < words;) {
    const std::uint64_t marker = be64(p + 8 * i++);
    const std::uint64_t run_words = (marker >> 1) & 0xffffffffu;
    const std::uint64_t literal_words = marker >> 33;
    if ((marker & 1) != 0 && run_words > 0) {
      if (pos >= limit || run_words * 64 > limit - pos) return false;
      for (std::uint64_t k = 0; k < run_words * 64; ++k) bits.push_back(pos + k);
    }
    pos = std::min(pos + run_words * 64, std::uint64_t{1} << 60);
    if (literal_words > words - i) return false;
    for (std::uint64_t l = 0; l < literal_words; ++l) {
      const std::uint64_t word = be64(p + 8 * i++);
      for (unsigned b = 0; b < 64; ++b) {
        if (((word >> b) & 1) == 0) continue;
        if (pos + b >= limit) return false;
        bits.push_back(pos + b);
      }
      pos = std::min(pos + 64, std::uint64_t{1} << 60);
    }
  }
  return true;
}

// git's offset varint (varint.c): 7 bits a byte, most significant first, each continuation adding one.
bool read_varint(const unsigned char*& p, const unsigned char* end, std::uint64_t& out) {
  if (p >= end) return false;
  unsigned char c = *p++;
  std::uint64_t v = c & 127;
  while (c & 128) {
    if (p >= end || v > (std::uint64_t{1} << 50)) return false;
    c = *p++;
    v = ((v + 1) << 7) | (c & 127);
  }
  out = v;
  return true;
}

// Parses one node of the TREE extension and its subtrees (pre-order).
bool read_cache_tree(const unsigned char*& p, const unsigned char* end, CacheTreeNode& node, int depth) {
  if (depth > 4096) return false;
  const void* nul = std::memchr(p, '\0', static_cast<std::size_t>(end - p));
  if (nul == nullptr) return false;
  node.name.assign(reinterpret_cast<const char*>(p), static_cast<const unsigned char*>(nul) - p);
  p = static_cast<const unsigned char*>(nul) + 1;
  // "<entry_count> <subtree_count>\n"
  auto number = [&](char terminator, long& out) {
    bool negative = false;
    if (p < end && *p == '-') {
      negative = true;
      ++p;
    }
    long v = 0;
    const unsigned char* start = p;
    while (p < end && *p >= '0' && *p <= '9' && p - start < 10) v = v * 10 + (*p++ - '0');
    if (p == start || p >= end || *p != static_cast<unsigned char>(terminator)) return false;
    ++p;
    out = negative ? -v : v;
    return true;
  };
  long entries = 0, subtrees = 0;
  if (!number(' ', entries) || !number('\n', subtrees) || subtrees < 0) return false;
  // Each subtree takes at least 5 bytes ("\0" "0 0\n"): a larger count is a lie, not an allocation.
  if (subtrees > (end - p) / 5) return false;
  node.entry_count = static_cast<int>(entries);
  if (entries >= 0) {
    if (static_cast<std::size_t>(end - p) < kOidSize) return false;
    git_oid_fromraw(&node.id, p);
    p += kOidSize;
  }
  node.children.resize(static_cast<std::size_t>(subtrees));
  for (CacheTreeNode& child : node.children) {
    if (!read_cache_tree(p, end, child, depth + 1)) return false;
  }
  return true;
}

}  // namespace

const CacheTreeNode* CacheTreeNode::child(std::string_view child_name) const {
  for (const CacheTreeNode& c : children) {
    if (c.name == child_name) return &c;
  }
  return nullptr;
}

namespace {

// Parses `bytes`, whose lifetime `owner` extends. With a non-empty `stop_after`, stops (without reading
// the extensions) at the first entry whose path sorts after it. A `link` extension is returned in `link`
// (a shared index, read with `link` null, must not have one).
std::optional<IndexFile> parse(std::string_view bytes, std::shared_ptr<const char> owner,
                               const std::string& path, Link* link, std::string_view stop_after = {}) {
  IndexFile index;
  if (bytes.empty()) return index;  // an empty file: nothing staged
  if (bytes.size() < 12 + kOidSize || std::memcmp(bytes.data(), "DIRC", 4) != 0) return std::nullopt;
  const auto* base = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::uint32_t version = be32(base + 4);
  const std::uint32_t count = be32(base + 8);
  if (version < 2 || version > 4) return std::nullopt;
  const unsigned char* p = base + 12;
  const unsigned char* end = base + bytes.size() - kOidSize;  // the trailing checksum
  if (count > bytes.size() / 8) return std::nullopt;

  // Paths of version 4 are prefix-compressed; they are expanded into `expanded`, the others point into
  // the file bytes directly.
  std::string expanded;
  struct Span {
    std::size_t offset;
    std::size_t size;
    bool in_expanded;
  };
  std::vector<Span> spans;
  spans.reserve(count);
  index.entries.reserve(count);
  std::string previous;
  for (std::uint32_t i = 0; i < count; ++i) {
    if (static_cast<std::size_t>(end - p) < kFixedEntrySize) return std::nullopt;
    const unsigned char* entry = p;
    IndexEntry e{};
    e.mode = be32(entry + 24);
    git_oid_fromraw(&e.id, entry + 40);
    const std::uint16_t flags = be16(entry + 60);
    e.stage = (flags >> 12) & 3;
    p += kFixedEntrySize;
    if (flags & 0x4000) {  // extended flags (version 3+)
      if (version < 3 || end - p < 2) return std::nullopt;
      const std::uint16_t extended = be16(p);
      e.intent_to_add = (extended & 0x2000) != 0;
      p += 2;
    }
    if (version == 4) {
      std::uint64_t strip = 0;
      if (!read_varint(p, end, strip) || strip > previous.size()) return std::nullopt;
      const void* nul = std::memchr(p, '\0', static_cast<std::size_t>(end - p));
      if (nul == nullptr) return std::nullopt;
      previous.resize(previous.size() - strip);
      previous.append(reinterpret_cast<const char*>(p), static_cast<const unsigned char*>(nul) - p);
      p = static_cast<const unsigned char*>(nul) + 1;
      spans.push_back({expanded.size(), previous.size(), true});
      expanded += previous;
    } else {
      const void* nul = std::memchr(p, '\0', static_cast<std::size_t>(end - p));
      if (nul == nullptr) return std::nullopt;
      const std::size_t name_size = static_cast<std::size_t>(static_cast<const unsigned char*>(nul) - p);
      spans.push_back({static_cast<std::size_t>(p - base), name_size, false});
      // Entries are padded with 1-8 NULs to a multiple of 8 bytes.
      const std::size_t entry_size = ((static_cast<std::size_t>(p - entry) + name_size + 8) / 8) * 8;
      if (static_cast<std::size_t>(end - entry) < entry_size) return std::nullopt;
      p = entry + entry_size;
    }
    index.entries.push_back(e);
    if (!stop_after.empty()) {
      const Span& last = spans.back();
      const std::string_view name =
          last.in_expanded ? std::string_view(previous) : bytes.substr(last.offset, last.size);
      if (name > stop_after) {
        p = end;  // no extensions wanted
        break;
      }
    }
  }

  // Extensions: TREE is read; optional ones (upper-case first letter) are skipped; "link" (split index) is
  // returned to the caller, which merges the shared index; a sparse index ("sdir") has whole directories
  // as entries, which this reader does not expand (nor does libgit2).
  while (end - p >= 8) {
    const std::string_view signature(reinterpret_cast<const char*>(p), 4);
    const std::uint32_t size = be32(p + 4);
    p += 8;
    if (static_cast<std::size_t>(end - p) < size) return std::nullopt;
    if (signature == "TREE") {
      const unsigned char* q = p;
      CacheTreeNode root;
      if (size > 0 && read_cache_tree(q, p + size, root, 0)) index.cache_tree = std::move(root);
    } else if (signature == "link") {
      if (link == nullptr || size < kOidSize) return std::nullopt;
      link->present = true;
      git_oid_fromraw(&link->base, p);
      const unsigned char* q = p + kOidSize;
      if (q != p + size && (!skip_ewah(q, p + size, link->deleted) ||
                            !skip_ewah(q, p + size, link->replaced) || q != p + size))
        return std::nullopt;
    } else if (signature == "sdir") {
      throw Error(
          path +
          ": a sparse index (index.sparse) cannot be read by keygate; make it a full one that stays full "
          "with `git sparse-checkout init --no-sparse-index` (sets index.sparse=false), or run `git "
          "sparse-checkout disable`");
    } else if (!(signature[0] >= 'A' && signature[0] <= 'Z')) {
      return std::nullopt;  // a required extension this reader does not know
    }
    p += size;
  }
  // Extensions fill the space before the checksum exactly: a few bytes left over are a file cut short.
  if (p != end) return std::nullopt;
  // keygate does not hash the index (git's own read does, and the hook runs after it); but a file cut
  // right after its header would pass as an empty index, so that case alone is checked: the checksum of
  // an empty index is a constant of its version (or zeros, with index.skipHash).
  if (count == 0 && bytes.size() == 12 + kOidSize) {
    static const char* const kEmpty[] = {"39d890139ee5356c7ef572216cebcd27aa41f9df",
                                         "dc32dc8189b0e48ec2ddd19766511c9a91bc7dc7",
                                         "508851a7f0dfa8691e9f69c7f055865389012491"};
    git_oid expected, zeros{};
    git_oid_fromstr(&expected, kEmpty[version - 2]);
    if (std::memcmp(base + 12, expected.id, kOidSize) != 0 && std::memcmp(base + 12, zeros.id, kOidSize) != 0)
      return std::nullopt;
  }

  // Only a split index's replacements have empty paths: without its link, such an index is cut short or
  // corrupt, and reading it as a whole index would lose the shared entries.
  if ((link == nullptr || !link->present) && stop_after.empty()) {
    for (const Span& s : spans) {
      if (s.size == 0) return std::nullopt;
    }
  }

  index.bytes = std::move(owner);
  auto paths = std::make_shared<const std::string>(std::move(expanded));
  for (std::size_t i = 0; i < index.entries.size(); ++i) {
    const Span& s = spans[i];
    index.entries[i].path =
        s.in_expanded ? std::string_view(*paths).substr(s.offset, s.size) : bytes.substr(s.offset, s.size);
  }
  index.expanded = std::move(paths);
  return index;
}

// Merges split index `split` with its shared index, as git's split-index.c does: the entries of `split`
// first replace, in order, the shared entries the replace bitmap marks (keeping their paths: a
// replacement's own path is empty); the shared entries the delete bitmap marks go; the rest of `split`'s
// entries are added. Returns nullopt when the bitmaps and entries do not fit together.
std::optional<IndexFile> merge_shared(IndexFile split, const Link& link,
                                      std::shared_ptr<const IndexFile> shared) {
  const std::vector<IndexEntry>& base = shared->entries;
  std::vector<std::uint64_t> replaced, deleted;
  if (!link.replaced.empty() &&
      (!ewah_bits(link.replaced, base.size(), replaced) || !ewah_bits(link.deleted, base.size(), deleted)))
    return std::nullopt;
  if (replaced.size() > split.entries.size()) return std::nullopt;
  std::vector<char> gone(base.size(), 0);
  for (std::uint64_t d : deleted) gone[d] = 1;
  std::vector<IndexEntry> merged;
  merged.reserve(base.size() + split.entries.size());
  std::size_t r = 0;
  for (std::size_t i = 0; i < base.size(); ++i) {
    if (r < replaced.size() && replaced[r] == i) {
      if (gone[i] != 0 || !split.entries[r].path.empty()) return std::nullopt;
      IndexEntry e = split.entries[r++];
      e.path = base[i].path;
      merged.push_back(e);
    } else if (gone[i] == 0) {
      merged.push_back(base[i]);
    }
  }
  for (std::size_t i = r; i < split.entries.size(); ++i) {
    if (split.entries[i].path.empty()) return std::nullopt;
    merged.push_back(split.entries[i]);
  }
  // Added entries take the place of shared ones with the same path and stage.
  std::stable_sort(merged.begin(), merged.end(), [](const IndexEntry& a, const IndexEntry& b) {
    return a.path != b.path ? a.path < b.path : a.stage < b.stage;
  });
  std::vector<IndexEntry> unique;
  unique.reserve(merged.size());
  for (const IndexEntry& e : merged) {
    if (!unique.empty() && unique.back().path == e.path && unique.back().stage == e.stage)
      unique.back() = e;
    else
      unique.push_back(e);
  }
  split.entries = std::move(unique);
  split.shared = std::move(shared);
  return split;
}

bool map_index(const std::string& path, bool populate, std::shared_ptr<const char>& owner, std::size_t& size);

// Reads the shared index a split index at `path` names, from the first of `dirs` that holds it, and
// merges the two. Throws Error when none holds it (git has expired it, or the file was copied alone).
std::optional<IndexFile> with_shared_index(IndexFile split, const Link& link, const std::string& path,
                                           const std::vector<std::string>& dirs) {
  char hex[GIT_OID_HEXSZ + 1];
  git_oid_tostr(hex, sizeof hex, &link.base);
  const std::string name = std::string("sharedindex.") + hex;
  for (const std::string& dir : dirs) {
    if (dir.empty()) continue;
    const std::string shared_path = dir + (dir.back() == '/' ? "" : "/") + name;
    std::shared_ptr<const char> owner;
    std::size_t size = 0;
    if (!map_index(shared_path, true, owner, size)) return std::nullopt;
    if (!owner) continue;  // not there
    std::optional<IndexFile> shared = parse(std::string_view(owner.get(), size), owner, shared_path, nullptr);
    if (!shared) return std::nullopt;
    return merge_shared(std::move(split), link, std::make_shared<const IndexFile>(std::move(*shared)));
  }
  throw Error(path + ": split index (core.splitIndex) whose shared index " + name +
              " is missing; rewrite it whole with `git update-index --no-split-index` (and `git config "
              "core.splitIndex false` so that it stays whole)");
}

// Parses the index `bytes` (owned by `owner`) and, if it is split, merges its shared index.
std::optional<IndexFile> parse_whole(std::string_view bytes, std::shared_ptr<const char> owner,
                                     const std::string& path, const std::vector<std::string>& dirs) {
  Link link;
  std::optional<IndexFile> index = parse(bytes, std::move(owner), path, &link);
  if (!index || !link.present) return index;
  static const git_oid zero{};
  if (git_oid_equal(&link.base, &zero)) return index;  // split, but everything is in this file
  return with_shared_index(std::move(*index), link, path, dirs);
}

std::string directory_of(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash + 1);
}

}  // namespace

std::optional<IndexFile> parse_index(std::string_view bytes, const std::string& path,
                                     const std::string& shared_dir) {
  auto copy = std::shared_ptr<char>(new char[bytes.size() + 1], std::default_delete<char[]>());
  std::memcpy(copy.get(), bytes.data(), bytes.size());
  return parse_whole(std::string_view(copy.get(), bytes.size()), copy, path, {shared_dir});
}

namespace {

// Maps the index file (util/mapped_file.hpp): git replaces the index by renaming a new file over it, never
// by writing in place; copying 1 MB into fresh memory costs more than parsing it. Returns false when the
// file cannot be mapped; a missing or empty file maps to nothing (owner null). With `populate`, every page
// is mapped at once (the full parse reads them all); without, only the pages that are read are faulted in
// (a lookup stops after the first entries).
bool map_index(const std::string& path, bool populate, std::shared_ptr<const char>& owner,
               std::size_t& size) {
  MappedFile file;
  if (!file.map(path, populate ? MappedFile::Pages::All : MappedFile::Pages::OnDemand)) {
    size = 0;
    return errno == ENOENT;
  }
  owner = file.owner();
  size = file.size();
  return true;
}

}  // namespace

std::optional<IndexFile> read_index_file(const std::string& path, const std::string& git_dir) {
  std::shared_ptr<const char> owner;
  std::size_t size = 0;
  if (!map_index(path, true, owner, size)) return std::nullopt;
  if (!owner) return IndexFile{};
  return parse_whole(std::string_view(owner.get(), size), owner, path, {git_dir, directory_of(path)});
}

namespace {

// Whether `dir` holds a shared index (sharedindex.*): then an index there may be split, and an entry not
// among its own may be in the shared one.
bool has_shared_index(const std::string& dir) {
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return false;
  bool found = false;
  while (const dirent* e = ::readdir(d)) {
    if (std::strncmp(e->d_name, "sharedindex.", 12) == 0) {
      found = true;
      break;
    }
  }
  ::closedir(d);
  return found;
}

std::optional<git_oid> find_in(const std::vector<IndexEntry>& entries, std::string_view entry_path) {
  for (const IndexEntry& e : entries) {
    if (e.path == entry_path && e.stage == 0 && !e.intent_to_add) return e.id;
  }
  return std::nullopt;
}

}  // namespace

std::optional<git_oid> find_index_entry(const std::string& index_path, std::string_view entry_path,
                                        const std::string& git_dir) {
  std::shared_ptr<const char> owner;
  std::size_t size = 0;
  if (!map_index(index_path, false, owner, size) || !owner) return std::nullopt;
  try {
    Link link;
    const std::optional<IndexFile> index =
        parse(std::string_view(owner.get(), size), owner, index_path, &link, entry_path);
    if (!index) return std::nullopt;
    // An entry of a split index's own file is the newest version of that path; one it lacks may be in
    // the shared index, which only a whole read finds.
    if (std::optional<git_oid> id = find_in(index->entries, entry_path)) return id;
    if (!link.present && !has_shared_index(directory_of(index_path)) &&
        (git_dir.empty() || !has_shared_index(git_dir)))
      return std::nullopt;
    const std::optional<IndexFile> whole = read_index_file(index_path, git_dir);
    if (whole) return find_in(whole->entries, entry_path);
  } catch (const Error&) {
  }
  return std::nullopt;
}

}  // namespace keygate
