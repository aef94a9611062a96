// This file implements the walking half of the history source (see history_walk.hpp).
#include "history_walk.hpp"

#include <algorithm>
#include <fstream>

#include "error.hpp"

namespace keygate {
namespace {

// git's tree order (base_name_compare): names compare bytewise, a tree's name as if it ended with '/'.
int compare_entries(const git_tree_entry* a, const git_tree_entry* b) {
  const char* an = git_tree_entry_name(a);
  const char* bn = git_tree_entry_name(b);
  const std::size_t al = std::strlen(an), bl = std::strlen(bn), common = std::min(al, bl);
  const int c = std::memcmp(an, bn, common);
  if (c != 0) return c;
  const auto next = [common](const char* name, std::size_t len, const git_tree_entry* e) -> unsigned char {
    if (common < len) return static_cast<unsigned char>(name[common]);
    return git_tree_entry_type(e) == GIT_OBJECT_TREE ? '/' : 0;
  };
  const unsigned char x = next(an, al, a), y = next(bn, bl, b);
  return x < y ? -1 : (x > y ? 1 : 0);
}

std::unordered_set<git_oid, OidHash, OidEqual> read_shallow_commits(git_repository* repo) {
  std::unordered_set<git_oid, OidHash, OidEqual> out;
  std::ifstream in(std::string(git_repository_commondir(repo)) + "shallow");
  for (std::string line; std::getline(in, line);) {
    git_oid id;
    if (line.size() >= GIT_OID_HEXSZ && git_oid_fromstrn(&id, line.c_str(), GIT_OID_HEXSZ) == 0)
      out.insert(id);
  }
  return out;
}

// The commit a revision names (a ref, an id, HEAD~2, ...).
git_oid resolve_commit(git_repository* repo, const std::string& spec) {
  git_object* obj = nullptr;
  git::check(git_revparse_single(&obj, repo, spec.c_str()), "unknown revision \"" + spec + "\"");
  git::Object owned(obj);
  git_object* commit = nullptr;
  git::check(git_object_peel(&commit, obj, GIT_OBJECT_COMMIT), "\"" + spec + "\" is not a commit");
  git::Object owned_commit(commit);
  return *git_object_id(commit);
}

}  // namespace

const git_tree* TreeCache::get(const git_oid& id) {
  if (auto it = current_.find(id); it != current_.end()) return it->second.get();
  git::Tree tree;
  if (auto it = previous_.find(id); it != previous_.end()) {
    tree = std::move(it->second);
    previous_.erase(it);
  } else {
    git_tree* raw = nullptr;
    git::check(git_tree_lookup(&raw, repo_, &id), std::string("cannot read tree ") + git_oid_tostr_s(&id));
    tree.reset(raw);
  }
  const git_tree* out = tree.get();
  current_.emplace(id, std::move(tree));
  return out;
}

void TreeCache::next_commit() {
  previous_ = std::move(current_);
  current_.clear();
}

void TreeDiff::run(const git_tree* old_tree, const git_tree* new_tree) {
  std::string prefix;
  walk(old_tree, new_tree, prefix);
}

void TreeDiff::added(const git_tree_entry* e, std::string& path, const git_tree_entry* old) {
  const git_oid* old_id =
      old != nullptr && is_scannable(git_tree_entry_filemode(old)) ? git_tree_entry_id(old) : nullptr;
  if (is_scannable(git_tree_entry_filemode(e))) {
    on_change_(Change{path, old_id, *git_tree_entry_id(e)});
  } else if (git_tree_entry_type(e) == GIT_OBJECT_TREE) {
    const git_tree* sub = lookup(e);
    path += '/';
    walk(nullptr, sub, path);
  }
}

void TreeDiff::removed(const git_tree_entry* e, std::string& path) {
  if (!on_delete_) return;
  if (is_scannable(git_tree_entry_filemode(e))) {
    on_delete_(*git_tree_entry_id(e));
  } else if (git_tree_entry_type(e) == GIT_OBJECT_TREE) {
    const git_tree* sub = lookup(e);
    path += '/';
    walk(sub, nullptr, path);
  }
}

void TreeDiff::walk(const git_tree* old_tree, const git_tree* new_tree, std::string& prefix) {
  const std::size_t prefix_size = prefix.size();
  const std::size_t on = old_tree ? git_tree_entrycount(old_tree) : 0;
  const std::size_t nn = new_tree ? git_tree_entrycount(new_tree) : 0;
  std::size_t i = 0, j = 0;
  while (i < on || j < nn) {
    const git_tree_entry* o = i < on ? git_tree_entry_byindex(old_tree, i) : nullptr;
    const git_tree_entry* n = j < nn ? git_tree_entry_byindex(new_tree, j) : nullptr;
    const int c = o == nullptr ? 1 : n == nullptr ? -1 : compare_entries(o, n);
    prefix.resize(prefix_size);
    if (c < 0) {
      prefix += git_tree_entry_name(o);
      removed(o, prefix);
      ++i;
    } else if (c > 0) {
      prefix += git_tree_entry_name(n);
      added(n, prefix, nullptr);
      ++j;
    } else {
      prefix += git_tree_entry_name(n);
      if (!git_oid_equal(git_tree_entry_id(o), git_tree_entry_id(n)) ||
          git_tree_entry_filemode(o) != git_tree_entry_filemode(n)) {
        if (git_tree_entry_type(o) == GIT_OBJECT_TREE && git_tree_entry_type(n) == GIT_OBJECT_TREE) {
          const git_tree* a = lookup(o);
          const git_tree* b = lookup(n);
          prefix += '/';
          walk(a, b, prefix);
        } else if (git_tree_entry_type(o) == git_tree_entry_type(n)) {
          added(n, prefix, o);
        } else {
          removed(o, prefix);
          prefix.resize(prefix_size);
          prefix += git_tree_entry_name(n);
          added(n, prefix, nullptr);
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
  std::vector<git_oid> tips, hidden;
  if (ranges.empty()) {
    git_reference_iterator* raw = nullptr;
    git::check(git_reference_iterator_new(&raw, repo), "cannot read the references");
    git_reference* ref = nullptr;
    while (git_reference_next(&ref, raw) == 0) {
      git::Reference owned(ref);
      git_object* commit = nullptr;
      if (git_reference_peel(&commit, ref, GIT_OBJECT_COMMIT) == 0) {  // refs to trees and blobs: skipped
        tips.push_back(*git_object_id(commit));
        git_object_free(commit);
      }
      git_error_clear();
    }
    git_reference_iterator_free(raw);
    if (git_repository_head_unborn(repo) == 0 && git_repository_head_detached(repo) == 1) {
      tips.push_back(resolve_commit(repo, "HEAD"));
    }
  }
  for (const std::string& range : ranges) {
    const std::size_t dots = range.find("..");
    if (dots != std::string::npos) {
      const std::string from = range.substr(0, dots), to = range.substr(dots + 2);
      if (to.empty() == false && to[0] == '.')
        throw Error("symmetric ranges (A...B) are not supported: \"" + range + "\"");
      hidden.push_back(resolve_commit(repo, from.empty() ? "HEAD" : from));
      tips.push_back(resolve_commit(repo, to.empty() ? "HEAD" : to));
    } else if (!range.empty() && range[0] == '^') {
      hidden.push_back(resolve_commit(repo, range.substr(1)));
    } else {
      tips.push_back(resolve_commit(repo, range));
    }
  }

  const auto shallow = read_shallow_commits(repo);
  git_odb* raw_odb = nullptr;
  git::check(git_repository_odb(&raw_odb, repo), "cannot open the object database");
  const git::Odb odb(raw_odb);
  auto parents_of = [&](const git_oid& id) {
    std::vector<git_oid> parents;
    const git::Commit commit = lookup_commit(repo, id);
    const bool boundary = shallow.count(id) != 0;
    for (unsigned i = 0; i < git_commit_parentcount(commit.get()); ++i) {
      const git_oid* parent = git_commit_parent_id(commit.get(), i);
      if (boundary && !git_odb_exists(odb.get(), parent)) continue;
      parents.push_back(*parent);
    }
    return parents;
  };

  // What the hidden commits reach is excluded.
  std::unordered_set<git_oid, OidHash, OidEqual> excluded;
  for (std::vector<git_oid> stack = hidden; !stack.empty();) {
    const git_oid id = stack.back();
    stack.pop_back();
    if (!excluded.insert(id).second) continue;
    for (const git_oid& p : parents_of(id)) stack.push_back(p);
  }

  std::vector<CommitNode> out;
  std::unordered_set<git_oid, OidHash, OidEqual> visited;
  struct Frame {
    CommitNode node;
    std::size_t next_parent;
  };
  std::vector<Frame> stack;
  for (const git_oid& tip : tips) {
    if (excluded.count(tip) || !visited.insert(tip).second) continue;
    stack.push_back({{tip, parents_of(tip)}, 0});
    while (!stack.empty()) {
      Frame& top = stack.back();
      if (top.next_parent < top.node.parents.size()) {
        const git_oid parent = top.node.parents[top.next_parent++];
        if (excluded.count(parent) || !visited.insert(parent).second) continue;
        stack.push_back({{parent, parents_of(parent)}, 0});
        continue;
      }
      out.push_back(std::move(top.node));
      stack.pop_back();
    }
  }
  return out;
}

git::Commit lookup_commit(git_repository* repo, const git_oid& id) {
  git_commit* c = nullptr;
  git::check(git_commit_lookup(&c, repo, &id), std::string("cannot read commit ") + git_oid_tostr_s(&id));
  return git::Commit(c);
}

// The root tree of commit `id`, through the tree cache.
const git_tree* tree_of(git_repository* repo, TreeCache& trees, const git_oid& id) {
  const git::Commit commit = lookup_commit(repo, id);
  return trees.get(*git_commit_tree_id(commit.get()));
}

}  // namespace keygate
