// This file implements the walking half of the history source: the commit graph (keygate's own walk,
// which understands shallow clones), and tree-to-tree diffs that skip identical subtrees by id, with a
// small cache of the trees the next commit's diff will need. source/history.cpp reads and scans.
#pragma once

#include <git2.h>

#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "git/git.hpp"
#include "git/pack_reader.hpp"
#include "git/revisions.hpp"

namespace keygate {

using git::OidEqual;
using git::OidHash;

// A commit and its parents that exist in the repository: a shallow clone's boundary commits keep their
// parents' ids but not the parents themselves (.git/shallow lists them), and they start history here.
struct CommitNode {
  git_oid id;
  std::vector<git_oid> parents;
  git_oid tree;  // its root tree
};

// Every commit of `ranges` (git's revision syntax, see revisions.hpp; empty: every ref and a detached
// HEAD), parents before children. Throws Error for an unknown revision or a missing commit.
std::vector<CommitNode> list_commits(git_repository* repo, const std::vector<std::string>& ranges);
// The same for a selection already resolved.
std::vector<CommitNode> list_commits(git_repository* repo, const RevisionSelection& selection);
// The same, each commit handed to `emit` as soon as it is listed (its parents were handed before), so
// that history scans while the walk goes on.
// `packs`: the repository's, when the caller has them open already.
void walk_commits(git_repository* repo, const RevisionSelection& selection,
                  const std::function<void(CommitNode&&)>& emit, const PackSet* packs = nullptr);

// Throws Error naming the commit when it cannot be read.
git::Commit lookup_commit(git_repository* repo, const git_oid& id);

// The object database of `repo`, opened. Throws Error.
git::Odb open_odb(git_repository* repo);
// The objects directory whose packs `repo` reads (a worktree's is its main repository's).
std::string objects_dir(git_repository* repo);

// Object `id`, from the packs through `packs` or else through libgit2 (loose objects, alternates, a
// quarantine). Returns nullptr when it is in neither (a partial clone); throws Error when it cannot be
// read.
ObjectData read_object(PackCursor& packs, git_odb* odb, const git_oid& id, git_object_t& type);

// One entry of a tree, pointing into the tree's bytes.
struct TreeEntry {
  std::string_view name;
  git_filemode_t mode;  // normalised as git does (a 100664 file is a plain blob)
  const git_oid* id;
  bool is_tree() const { return mode == GIT_FILEMODE_TREE; }
};

// A tree object's bytes, read as they are stored: "<octal mode> <name>\0<20-byte id>" per entry, in git's
// order. History reads every distinct tree of a repository (850k on git/git); libgit2's git_tree parses
// each into separately allocated entries, which was most of the walking thread's time.
class RawTree {
 public:
  // Throws Error naming `id` when the object is not a tree. Its entries are found (and checked: every
  // member below that reads them throws Error naming `id` when the tree is malformed) on first use.
  RawTree(ObjectData object, git_object_t type, const git_oid& id);
  // Finds the entries knowing that `like`, usually the previous version of the same directory, is much
  // the same: the bytes this tree shares with it at either end are entries found there already, so only
  // the middle is read. History diffs each tree against its previous version, and reading every entry of
  // every version (5.8 GB on git/git) was most of the walk.
  void index_like(const RawTree& like) const;
  std::size_t count() const {
    index();
    return offsets_.size() - 1;
  }
  // Entry `i` < count().
  TreeEntry entry(std::size_t i) const;
  // Calls `each(entry)` for every entry, in order.
  template <typename F>
  void for_each(F&& each) const {
    for (std::size_t i = 0; i < count(); ++i) each(entry(i));
  }
  // How many entries from `i` of this tree and from `j` of `other` are byte for byte the same (mode, name
  // and id): consecutive commits' trees mostly are, and this compares them at memory speed.
  std::size_t same_run(std::size_t i, const RawTree& other, std::size_t j) const;

 private:
  void index() const {
    if (!indexed_) index_from(0, 0, nullptr, 0);
  }
  // Reads entries from byte `at` (an entry start), the first `found` offsets being known; stops early
  // when the rest is `like`'s last `suffix` bytes from one of its entry starts on.
  void index_from(std::size_t at, std::size_t found, const RawTree* like, std::size_t suffix) const;

  ObjectData object_;
  const char* data_;
  std::size_t size_;
  git_oid id_;
  mutable bool indexed_ = false;
  mutable std::vector<std::uint32_t> offsets_;  // where each entry starts, then the end
};

// The trees read for the last two commits, by id. Consecutive commits mostly differ in a few paths, so
// the trees one commit's diff reads on its new side are the next commit's old side: keeping exactly those
// lets the object cache stay small.
class TreeCache {
 public:
  // Throws Error when the object database cannot be opened.
  // `packs` (the repository's) must outlive the cache.
  TreeCache(git_repository* repo, const PackSet& packs);
  // The tree `id`; valid until the second next_commit() call after this one. Throws Error.
  const RawTree* get(const git_oid& id);
  // Called between commits: what the last commit did not touch is forgotten.
  void next_commit();

 private:
  git::Odb odb_;
  PackCursor cursor_;
  std::unordered_map<git_oid, std::unique_ptr<RawTree>, OidHash, OidEqual> current_, previous_;
};

// The root tree of commit `id`, through the tree cache.
const RawTree* tree_of(git_repository* repo, TreeCache& trees, const git_oid& id);

// The entry at `path` ("a/b/c") under `root`, or nullopt when there is none. Throws Error.
std::optional<TreeEntry> entry_at(TreeCache& trees, const RawTree* root, std::string_view path);

// True iff a tree entry of this mode is content keygate scans: a regular or executable file, or a symbolic
// link, whose blob is its target's text (pushed like a file's content); not a submodule.
inline bool is_scannable(git_filemode_t mode) {
  return mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE || mode == GIT_FILEMODE_LINK;
}

struct Change {
  const std::string& path;
  const git_oid* old_id;  // null when the path is new (or was not a file)
  const git_oid& new_id;
};

// Compares two trees (either may be null), calling on_change for each scannable entry (is_scannable) whose
// blob differs and on_delete (when set) for each one that is gone. Submodules are left out.
class TreeDiff {
 public:
  TreeDiff(TreeCache& trees, std::function<void(const Change&)> on_change,
           std::function<void(const git_oid&)> on_delete)
      : trees_(trees), on_change_(std::move(on_change)), on_delete_(std::move(on_delete)) {}
  void run(const RawTree* old_tree, const RawTree* new_tree);

 private:
  const RawTree* lookup(const TreeEntry& e) { return trees_.get(*e.id); }
  void added(const TreeEntry& e, std::string& path, const TreeEntry* old);
  void removed(const TreeEntry& e, std::string& path);
  void walk(const RawTree* old_tree, const RawTree* new_tree, std::string& prefix);

  TreeCache& trees_;
  std::function<void(const Change&)> on_change_;
  std::function<void(const git_oid&)> on_delete_;
};

}  // namespace keygate
