// This file implements the index reader (see index_file.hpp). Format: git's
// Documentation/gitformat-index.txt. All integers are big-endian.
#include "index_file.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "error.hpp"

namespace keygate {
namespace {

constexpr std::size_t kOidSize = 20;
constexpr std::size_t kFixedEntrySize = 62;  // 10 32-bit stat fields, the object id, 16-bit flags

std::uint32_t be32(const unsigned char* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}
std::uint16_t be16(const unsigned char* p) { return static_cast<std::uint16_t>((p[0] << 8) | p[1]); }

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
// the extensions) at the first entry whose path sorts after it.
std::optional<IndexFile> parse(std::string_view bytes, std::shared_ptr<const char> owner,
                               const std::string& path, std::string_view stop_after = {}) {
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

  // Extensions: TREE is read; optional ones (upper-case first letter) are skipped; split ("link") and
  // sparse ("sdir") indexes change what the entries mean, so they are left to libgit2.
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
      throw Error(
          path + ": split index (core.splitIndex) is not supported; run `git update-index --no-split-index`");
    } else if (signature == "sdir") {
      throw Error(path + ": sparse index is not supported; run `git sparse-checkout init --no-sparse-index`");
    } else if (!(signature[0] >= 'A' && signature[0] <= 'Z')) {
      return std::nullopt;  // a required extension this reader does not know
    }
    p += size;
  }

  index.bytes = std::move(owner);
  index.expanded = std::move(expanded);
  for (std::size_t i = 0; i < index.entries.size(); ++i) {
    const Span& s = spans[i];
    index.entries[i].path = s.in_expanded ? std::string_view(index.expanded).substr(s.offset, s.size)
                                          : bytes.substr(s.offset, s.size);
  }
  return index;
}

}  // namespace

std::optional<IndexFile> parse_index(std::string_view bytes, const std::string& path) {
  auto copy = std::shared_ptr<char>(new char[bytes.size() + 1], std::default_delete<char[]>());
  std::memcpy(copy.get(), bytes.data(), bytes.size());
  return parse(std::string_view(copy.get(), bytes.size()), copy, path);
}

namespace {

// Maps the index file read-only. git replaces the index by renaming a new file over it, never by writing
// in place, so the mapped bytes cannot change under us; copying 1 MB into fresh memory costs more than
// parsing it. Returns false (errno set) when the file cannot be opened; a missing file maps to nothing.
// With `populate`, every page is mapped at once (the full parse reads them all); without, only the
// pages that are read are faulted in (a lookup stops after the first entries).
bool map_index(const std::string& path, bool populate, std::shared_ptr<const char>& owner,
               std::size_t& size) {
  size = 0;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno == ENOENT;
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    ::close(fd);
    return false;
  }
  size = static_cast<std::size_t>(st.st_size);
  if (size == 0) {
    ::close(fd);
    return true;
  }
  void* map = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | (populate ? MAP_POPULATE : 0), fd, 0);
  ::close(fd);
  if (map == MAP_FAILED) return false;
  const std::size_t mapped = size;
  owner = std::shared_ptr<const char>(static_cast<const char*>(map),
                                      [mapped](const char* p) { ::munmap(const_cast<char*>(p), mapped); });
  return true;
}

}  // namespace

std::optional<IndexFile> read_index_file(const std::string& path) {
  std::shared_ptr<const char> owner;
  std::size_t size = 0;
  if (!map_index(path, true, owner, size)) return std::nullopt;
  if (!owner) return IndexFile{};
  return parse(std::string_view(owner.get(), size), owner, path);
}

std::optional<git_oid> find_index_entry(const std::string& index_path, std::string_view entry_path) {
  std::shared_ptr<const char> owner;
  std::size_t size = 0;
  if (!map_index(index_path, false, owner, size) || !owner) return std::nullopt;
  try {
    const std::optional<IndexFile> index =
        parse(std::string_view(owner.get(), size), owner, index_path, entry_path);
    if (!index) return std::nullopt;
    for (const IndexEntry& e : index->entries) {
      if (e.path == entry_path && e.stage == 0 && !e.intent_to_add) return e.id;
    }
  } catch (const Error&) {
  }
  return std::nullopt;
}

}  // namespace keygate
