// This file implements the libgit2 edge (see git.hpp).
#include "git.hpp"

#include <cstdlib>

namespace keygate::git {

int check(int rc, const std::string& what) {
  if (rc >= 0) return rc;
  const git_error* e = git_error_last();
  std::string message = what;
  if (e != nullptr && e->message != nullptr) {
    message += ": ";
    message += e->message;
  }
  throw Error(message);
}

std::string last_error_message() {
  const git_error* e = git_error_last();
  return e != nullptr && e->message != nullptr ? e->message : "unknown error";
}

namespace {

// GIT_WORK_TREE as it was at start-up (see init()); empty when unset.
std::string& saved_work_tree() {
  static std::string value;
  return value;
}

}  // namespace

void init() {
  static const int once = [] {
    git_libgit2_init();
    // Blobs are read once each; keep the object cache for trees and commits.
    git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_BLOB, static_cast<size_t>(0));
    // libgit2's object cache holds every tree and commit it reads, up to this limit per cache; history's
    // TreeCache keeps the ones the next diff needs, so a small limit costs little time (bench/run.py
    // history: 8 MB gives 1.48x the floor and 173 MB peak, 32 MB gives 1.25x and 252 MB).
    git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, static_cast<ssize_t>(8) << 20);
    // Objects are read to be scanned, not trusted: re-hashing each one on read is work with nothing to
    // gain for a scanner (a corrupt object is still scanned as the bytes it holds).
    git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
    // libgit2 1.5 refuses GIT_WORK_TREE ("unimplemented") when it reads the environment; git sets it for
    // hooks run with --work-tree. Take it out of the environment once, here, and apply it in open().
    if (const char* work_tree = std::getenv("GIT_WORK_TREE")) {
      saved_work_tree() = work_tree;
      ::unsetenv("GIT_WORK_TREE");
    }
    return 0;
  }();
  (void)once;
}

Repository open(const std::string& dir) {
  git_repository* repo = nullptr;
  if (dir.empty()) {
    // GIT_WORK_TREE was taken out of the environment by init(): open without it, then apply it.
    init();
    const std::string& work_tree = saved_work_tree();
    check(git_repository_open_ext(&repo, nullptr, GIT_REPOSITORY_OPEN_FROM_ENV, nullptr),
          "not a git repository");
    if (!work_tree.empty()) {
      const int rc = git_repository_set_workdir(repo, work_tree.c_str(), 0);
      if (rc < 0) git_repository_free(repo);
      check(rc, "GIT_WORK_TREE=" + work_tree);
    }
  } else {
    check(git_repository_open_ext(&repo, dir.c_str(), 0, nullptr), dir + ": not a git repository");
  }
  return Repository(repo);
}

Tree head_tree(git_repository* repo) {
  git_reference* head = nullptr;
  const int rc = git_repository_head(&head, repo);
  if (rc == GIT_EUNBORNBRANCH || rc == GIT_ENOTFOUND) return nullptr;
  check(rc, "cannot read HEAD");
  Reference owned(head);
  git_object* tree = nullptr;
  check(git_reference_peel(&tree, head, GIT_OBJECT_TREE), "cannot read HEAD's tree");
  return Tree(reinterpret_cast<git_tree*>(tree));
}

}  // namespace keygate::git
