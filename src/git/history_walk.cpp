// This file implements the walking half of the history source (see history_walk.hpp).
#include "git/history_walk.hpp"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <fstream>
#include <limits>

#include "core/error.hpp"
#include "git/revisions.hpp"

namespace keygate {
namespace {

// git's tree order (base_name_compare): names compare bytewise, a tree's name as if it ended with '/'.
int compare_entries(const TreeEntry& a, const TreeEntry& b) {
  const std::size_t common = std::min(a.name.size(), b.name.size());
  if (const int c = std::memcmp(a.name.data(), b.name.data(), common); c != 0) return c;
  const auto next = [common](const TreeEntry& e) -> unsigned char {
    if (common < e.name.size()) return static_cast<unsigned char>(e.name[common]);
    return e.is_tree() ? '/' : 0;
  };
  const unsigned char x = next(a), y = next(b);
  return x < y ? -1 : (x > y ? 1 : 0);
}

// libgit2's and git's reading of a stored mode: the type bits decide, and a file is executable iff its
// owner may execute it (old trees hold modes such as 100664).
git_filemode_t normalise_mode(unsigned mode) {
  switch (mode & 0170000) {
    case 0040000:
      return GIT_FILEMODE_TREE;
    case 0120000:
      return GIT_FILEMODE_LINK;
    case 0160000:
      return GIT_FILEMODE_COMMIT;
    case 0100000:
      return (mode & 0100) != 0 ? GIT_FILEMODE_BLOB_EXECUTABLE : GIT_FILEMODE_BLOB;
    default:
      return GIT_FILEMODE_UNREADABLE;
  }
}

}  // namespace

RawTree::RawTree(ObjectData object, git_object_t type, const git_oid& id)
    : object_(std::move(object)), data_(object_->data()), size_(object_->size()), id_(id) {
  if (type != GIT_OBJECT_TREE) throw Error(std::string("object ") + hex_id(id) + " is not a tree");
  if (size_ > std::numeric_limits<std::uint32_t>::max()) {
    throw Error(std::string("malformed tree ") + hex_id(id) + ": too large");
  }
}

namespace {

// How many bytes from the start of a and b are equal, of the first n.
std::size_t common_prefix(const char* a, const char* b, std::size_t n) {
  static_assert(std::endian::native == std::endian::little, "the word comparison below assumes it");
  std::size_t same = 0;
  for (; same + 8 <= n; same += 8) {
    std::uint64_t u, v;
    std::memcpy(&u, a + same, 8);
    std::memcpy(&v, b + same, 8);
    if (u != v) return same + static_cast<std::size_t>(__builtin_ctzll(u ^ v)) / 8;
  }
  while (same < n && a[same] == b[same]) ++same;
  return same;
}

// How many bytes before a_end and b_end are equal, of the last n.
std::size_t common_suffix(const char* a_end, const char* b_end, std::size_t n) {
  std::size_t same = 0;
  for (; same + 8 <= n; same += 8) {
    std::uint64_t u, v;
    std::memcpy(&u, a_end - same - 8, 8);
    std::memcpy(&v, b_end - same - 8, 8);
    if (u != v) return same + static_cast<std::size_t>(__builtin_clzll(u ^ v)) / 8;
  }
  while (same < n &&
         a_end[-1 - static_cast<std::ptrdiff_t>(same)] == b_end[-1 - static_cast<std::ptrdiff_t>(same)]) {
    ++same;
  }
  return same;
}

}  // namespace

void RawTree::index_like(const RawTree& like) const {
  if (indexed_) return;
  like.index();
  const std::size_t n = std::min(size_, like.size_);
  const std::size_t prefix = common_prefix(data_, like.data_, n);
  // The entries of `like` that end within the shared prefix are this tree's first entries.
  const auto& known = like.offsets_;
  const std::size_t whole = static_cast<std::size_t>(
      std::upper_bound(known.begin() + 1, known.end(), prefix) - (known.begin() + 1));
  offsets_.assign(known.begin(), known.begin() + static_cast<std::ptrdiff_t>(whole));
  const std::size_t suffix = common_suffix(data_ + size_, like.data_ + like.size_, n);
  index_from(known[whole], whole, &like, suffix);
}

void RawTree::index_from(std::size_t at, std::size_t found, const RawTree* like, std::size_t suffix) const {
  offsets_.resize(found);
  offsets_.reserve(found + (size_ - at) / 32 + 2);  // entries are ~40 bytes
  const char* const end = data_ + size_;
  const auto bad = [this] { return Error(std::string("malformed tree ") + hex_id(id_)); };
  // Checked here, so that entry() need not: a mode of octal digits, a space, a name, a NUL, an id.
  for (const char* p = data_ + at; p < end;) {
    const std::size_t here = static_cast<std::size_t>(p - data_);
    if (like != nullptr && size_ - here <= suffix && here + like->size_ >= size_) {
      // The rest is `like`'s end, byte for byte: if `like` has an entry there, the rest are its entries.
      const std::size_t there = here + like->size_ - size_;
      const auto& known = like->offsets_;
      const auto it = std::lower_bound(known.begin(), known.end(), there);
      if (it != known.end() && *it == there && there < like->size_) {
        for (auto k = it; k + 1 != known.end(); ++k)
          offsets_.push_back(static_cast<std::uint32_t>(*k - there + here));
        break;
      }
    }
    offsets_.push_back(static_cast<std::uint32_t>(here));
    const char* nul = static_cast<const char*>(std::memchr(p, '\0', static_cast<std::size_t>(end - p)));
    if (nul == nullptr || end - nul < 1 + GIT_OID_RAWSZ) throw bad();
    const char* d = p;
    while (d < nul && d - p < 7 && *d >= '0' && *d <= '7') ++d;
    if (d == p || d + 1 >= nul || *d != ' ') throw bad();  // a mode, a space and a name before the NUL
    p = nul + 1 + GIT_OID_RAWSZ;
  }
  offsets_.push_back(static_cast<std::uint32_t>(size_));
  indexed_ = true;
}

TreeEntry RawTree::entry(std::size_t i) const {
  index();
  const char* p = data_ + offsets_[i];
  unsigned mode = 0;
  while (*p != ' ') mode = mode * 8 + static_cast<unsigned>(*p++ - '0');
  const char* name = ++p;
  const char* id = data_ + offsets_[i + 1] - GIT_OID_RAWSZ;  // the name ends with the NUL before the id
  return TreeEntry{std::string_view(name, static_cast<std::size_t>(id - 1 - name)), normalise_mode(mode),
                   reinterpret_cast<const git_oid*>(id)};
}

std::size_t RawTree::same_run(std::size_t i, const RawTree& other, std::size_t j) const {
  index();
  other.index();
  const std::size_t a = offsets_[i], b = other.offsets_[j];
  const std::size_t same = common_prefix(data_ + a, other.data_ + b, std::min(size_ - a, other.size_ - b));
  // Equal bytes from two entry starts parse into equal entries: count those that end within the run.
  const auto first = offsets_.begin() + static_cast<std::ptrdiff_t>(i) + 1;
  return static_cast<std::size_t>(std::upper_bound(first, offsets_.end(), a + same) - first);
}

git::Odb open_odb(git_repository* repo) {
  git_odb* raw = nullptr;
  git::check(git_repository_odb(&raw, repo), "cannot open the object database");
  return git::Odb(raw);
}

std::string objects_dir(git_repository* repo) {
  return std::string(git_repository_commondir(repo)) + "objects";
}

ObjectData read_object(PackCursor& packs, git_odb* odb, const git_oid& id, git_object_t& type) {
  ObjectData data;
  try {
    if (packs.read(id, data, type)) return data;
  } catch (const Error&) {
    // What keygate's reader cannot resolve (a delta base outside the packs, a damaged entry) libgit2
    // reads, or says precisely why not.
  }
  git_odb_object* raw = nullptr;
  switch (git::lookup(git_odb_read(&raw, odb, &id))) {
    case git::Lookup::Found:
      break;
    case git::Lookup::Missing:
      return nullptr;
    case git::Lookup::Failed:
      throw Error(std::string("cannot read object ") + git_oid_tostr_s(&id) + ": " +
                  git::last_error_message());
  }
  const git::OdbObject object(raw);
  type = git_odb_object_type(raw);
  return std::make_shared<const std::string>(static_cast<const char*>(git_odb_object_data(raw)),
                                             git_odb_object_size(raw));
}

// The walking thread's cache of resolved objects: trees deltify against their previous versions, which
// the walk has just read.
constexpr std::size_t kTreeCacheBytes = 16u << 20;

TreeCache::TreeCache(git_repository* repo, const PackSet& packs)
    : odb_(open_odb(repo)), cursor_(packs, kTreeCacheBytes) {}

const RawTree* TreeCache::get(const git_oid& id) {
  if (auto it = current_.find(id); it != current_.end()) return it->second.get();
  std::unique_ptr<RawTree> tree;
  if (auto it = previous_.find(id); it != previous_.end()) {
    tree = std::move(it->second);
    previous_.erase(it);
  } else {
    git_object_t type = GIT_OBJECT_INVALID;
    ObjectData data = read_object(cursor_, odb_.get(), id, type);
    if (!data)
      throw Error(std::string("cannot read tree ") + git_oid_tostr_s(&id) + ": not in the repository");
    tree = std::make_unique<RawTree>(std::move(data), type, id);
  }
  const RawTree* out = tree.get();
  current_.emplace(id, std::move(tree));
  return out;
}

void TreeCache::next_commit() {
  previous_ = std::move(current_);
  current_.clear();
}

std::optional<TreeEntry> entry_at(TreeCache& trees, const RawTree* root, std::string_view path) {
  const RawTree* tree = root;
  for (;;) {
    const std::size_t slash = path.find('/');
    const std::string_view name = path.substr(0, slash);
    std::optional<TreeEntry> found;
    tree->for_each([&](const TreeEntry& e) {
      if (!found && e.name == name) found = e;
    });
    if (!found || slash == std::string_view::npos) return found;
    if (!found->is_tree()) return std::nullopt;
    tree = trees.get(*found->id);
    path.remove_prefix(slash + 1);
  }
}

void TreeDiff::run(const RawTree* old_tree, const RawTree* new_tree) {
  std::string prefix;
  walk(old_tree, new_tree, prefix);
}

void TreeDiff::added(const TreeEntry& e, std::string& path, const TreeEntry* old) {
  const git_oid* old_id = old != nullptr && is_scannable(old->mode) ? old->id : nullptr;
  if (is_scannable(e.mode)) {
    on_change_(Change{path, old_id, *e.id});
  } else if (e.is_tree()) {
    const RawTree* sub = lookup(e);
    path += '/';
    walk(nullptr, sub, path);
  }
}

void TreeDiff::removed(const TreeEntry& e, std::string& path) {
  if (!on_delete_) return;
  if (is_scannable(e.mode)) {
    on_delete_(*e.id);
  } else if (e.is_tree()) {
    const RawTree* sub = lookup(e);
    path += '/';
    walk(sub, nullptr, path);
  }
}

void TreeDiff::walk(const RawTree* old_tree, const RawTree* new_tree, std::string& prefix) {
  const std::size_t prefix_size = prefix.size();
  if (old_tree != nullptr && new_tree != nullptr) new_tree->index_like(*old_tree);
  const std::size_t on = old_tree ? old_tree->count() : 0;
  const std::size_t nn = new_tree ? new_tree->count() : 0;
  std::size_t i = 0, j = 0;
  while (i < on || j < nn) {
    if (i < on && j < nn) {
      const std::size_t same = old_tree->same_run(i, *new_tree, j);
      i += same, j += same;
      if (i == on && j == nn) break;
    }
    const std::optional<TreeEntry> o = i < on ? std::optional<TreeEntry>(old_tree->entry(i)) : std::nullopt;
    const std::optional<TreeEntry> n = j < nn ? std::optional<TreeEntry>(new_tree->entry(j)) : std::nullopt;
    const int c = !o ? 1 : !n ? -1 : compare_entries(*o, *n);
    prefix.resize(prefix_size);
    if (c < 0) {
      prefix += o->name;
      removed(*o, prefix);
      ++i;
    } else if (c > 0) {
      prefix += n->name;
      added(*n, prefix, nullptr);
      ++j;
    } else {
      if (!git_oid_equal(o->id, n->id) || o->mode != n->mode) {
        prefix += n->name;
        if (o->is_tree() && n->is_tree()) {
          const RawTree* a = lookup(*o);
          const RawTree* b = lookup(*n);
          prefix += '/';
          walk(a, b, prefix);
        } else if (o->is_tree() == n->is_tree()) {
          added(*n, prefix, &*o);
        } else {
          removed(*o, prefix);
          prefix.resize(prefix_size);
          prefix += n->name;
          added(*n, prefix, nullptr);
        }
      }
      ++i, ++j;
    }
  }
  prefix.resize(prefix_size);
}

// Every commit reachable from `tips` and not from `hidden`, parents before children (depth-first
// post-order, iterative: histories are deeper than any stack).
std::vector<CommitNode> list_commits(git_repository* repo, const std::vector<std::string>& ranges) {
  return list_commits(repo, parse_revisions(repo, ranges));
}

std::vector<CommitNode> list_commits(git_repository* repo, const RevisionSelection& selection) {
  std::vector<CommitNode> out;
  walk_commits(repo, selection, [&out](CommitNode&& node) { out.push_back(std::move(node)); });
  return out;
}

void walk_commits(git_repository* repo, const RevisionSelection& selection,
                  const std::function<void(CommitNode&&)>& emit, const PackSet* packs) {
  const std::vector<git_oid>& tips = selection.tips;
  const OidSet shallow = shallow_commits(repo);
  const git::Odb odb = open_odb(repo);
  std::optional<PackSet> own_packs;
  if (packs == nullptr) packs = &own_packs.emplace(objects_dir(repo));
  PackCursor cursor(*packs, 0);  // commits are not deltas of each other
  // The commit's tree and parents, read from its header ("tree <hex>", then "parent <hex>" lines, which
  // git always writes first) without parsing the rest: the listing reads every commit of the history.
  // Only the start of each commit is inflated: enough for a tree and a few parents, the whole commit for
  // an octopus merge.
  constexpr std::size_t kHeaderBytes = 512;
  std::string start;
  auto node_of = [&](const git_oid& id) {
    CommitNode node{id, {}, {}};
    git_object_t type = GIT_OBJECT_INVALID;
    ObjectData object;
    bool started = false;
    try {
      started = cursor.read_start(id, kHeaderBytes, start, type);
    } catch (const Error&) {  // libgit2 reads it below, or says why not
    }
    if (!started) {
      object = read_object(cursor, odb.get(), id, type);
      if (!object)
        throw Error(std::string("cannot read commit ") + git_oid_tostr_s(&id) + ": not in the repository");
    }
    std::string_view text = object ? std::string_view(*object) : std::string_view(start);
    const auto header = [&](std::string_view name, git_oid* out) {
      if (text.size() < name.size() + GIT_OID_HEXSZ + 1 || text.substr(0, name.size()) != name ||
          text[name.size() + GIT_OID_HEXSZ] != '\n' ||
          git_oid_fromstrn(out, text.data() + name.size(), GIT_OID_HEXSZ) != 0) {
        return false;
      }
      text.remove_prefix(name.size() + GIT_OID_HEXSZ + 1);
      return true;
    };
    if (type != GIT_OBJECT_COMMIT || !header("tree ", &node.tree)) {
      throw Error(std::string("cannot read commit ") + git_oid_tostr_s(&id) + ": not a well-formed commit");
    }
    for (git_oid parent; header("parent ", &parent);) node.parents.push_back(parent);
    if (!object && start.size() == kHeaderBytes && text.size() < 8 + GIT_OID_HEXSZ) {
      object = read_object(cursor, odb.get(), id, type);  // the parents may go on past what was read
      if (!object)
        throw Error(std::string("cannot read commit ") + git_oid_tostr_s(&id) + ": not in the repository");
      text = *object;
      node.parents.clear();
      header("tree ", &node.tree);
      for (git_oid parent; header("parent ", &parent);) node.parents.push_back(parent);
    }
    if (shallow.count(id) != 0) {
      std::erase_if(node.parents, [&](const git_oid& p) { return !git_odb_exists(odb.get(), &p); });
    }
    return node;
  };

  // What the hidden commits reach is excluded: the walk by date reads only as far as it must.
  const bool limited = !selection.hidden.empty();
  const OidSet wanted = limited ? new_commits(repo, tips, selection.hidden, shallow) : OidSet{};
  auto excluded = [&](const git_oid& id) { return limited && wanted.count(id) == 0; };

  std::unordered_set<git_oid, OidHash, OidEqual> visited;
  struct Frame {
    CommitNode node;
    std::size_t next_parent;
  };
  std::vector<Frame> stack;
  for (const git_oid& tip : tips) {
    if (excluded(tip) || !visited.insert(tip).second) continue;
    stack.push_back({node_of(tip), 0});
    while (!stack.empty()) {
      Frame& top = stack.back();
      if (top.next_parent < top.node.parents.size()) {
        const git_oid parent = top.node.parents[top.next_parent++];
        if (excluded(parent) || !visited.insert(parent).second) continue;
        stack.push_back({node_of(parent), 0});
        continue;
      }
      emit(std::move(top.node));
      stack.pop_back();
    }
  }
}

git::Commit lookup_commit(git_repository* repo, const git_oid& id) {
  git_commit* c = nullptr;
  git::check(git_commit_lookup(&c, repo, &id), std::string("cannot read commit ") + git_oid_tostr_s(&id));
  return git::Commit(c);
}

// The root tree of commit `id`, through the tree cache.
const RawTree* tree_of(git_repository* repo, TreeCache& trees, const git_oid& id) {
  const git::Commit commit = lookup_commit(repo, id);
  return trees.get(*git_commit_tree_id(commit.get()));
}

}  // namespace keygate
