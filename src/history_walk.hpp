// This file implements the walking half of the history source: the commit graph (keygate's own walk,
// which understands shallow clones), and tree-to-tree diffs that skip identical subtrees by id, with a
// small cache of the trees the next commit's diff will need. source_history.cpp reads and scans.
#pragma once

#include <git2.h>

#include <cstring>
#include <functional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "git.hpp"
#include "revisions.hpp"

namespace keygate {

using git::OidEqual;
using git::OidHash;

// A commit and its parents that exist in the repository: a shallow clone's boundary commits keep their
// parents' ids but not the parents themselves (.git/shallow lists them), and they start history here.
struct CommitNode {
  git_oid id;
  std::vector<git_oid> parents;
};

// Every commit of `ranges` (git's revision syntax, see revisions.hpp; empty: every ref and a detached
// HEAD), parents before children. Throws Error for an unknown revision or a missing commit.
std::vector<CommitNode> list_commits(git_repository* repo, const std::vector<std::string>& ranges);
// The same for a selection already resolved.
std::vector<CommitNode> list_commits(git_repository* repo, const RevisionSelection& selection);

// Throws Error naming the commit when it cannot be read.
git::Commit lookup_commit(git_repository* repo, const git_oid& id);

// The trees read for the last two commits, by id. Consecutive commits mostly differ in a few paths, so
// the trees one commit's diff reads on its new side are the next commit's old side: keeping exactly those
// lets libgit2's own object cache stay small (it holds every tree it ever read, up to its limit).
class TreeCache {
 public:
  explicit TreeCache(git_repository* repo) : repo_(repo) {}
  // The tree `id`; valid until the second next_commit() call after this one. Throws Error.
  const git_tree* get(const git_oid& id);
  // Called between commits: what the last commit did not touch is forgotten.
  void next_commit();

 private:
  git_repository* repo_;
  std::unordered_map<git_oid, git::Tree, OidHash, OidEqual> current_, previous_;
};

// The root tree of commit `id`, through the tree cache.
const git_tree* tree_of(git_repository* repo, TreeCache& trees, const git_oid& id);

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
  void run(const git_tree* old_tree, const git_tree* new_tree);

 private:
  const git_tree* lookup(const git_tree_entry* e) { return trees_.get(*git_tree_entry_id(e)); }
  void added(const git_tree_entry* e, std::string& path, const git_tree_entry* old);
  void removed(const git_tree_entry* e, std::string& path);
  void walk(const git_tree* old_tree, const git_tree* new_tree, std::string& prefix);

  TreeCache& trees_;
  std::function<void(const Change&)> on_change_;
  std::function<void(const git_oid&)> on_delete_;
};

}  // namespace keygate
