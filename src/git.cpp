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

void init() {
  static const int once = [] {
    git_libgit2_init();
    // Blobs are read once each; keep the object cache for trees and commits.
    git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_BLOB, static_cast<size_t>(0));
    git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
    return 0;
  }();
  (void)once;
}

Repository open(const std::string& dir) {
  git_repository* repo = nullptr;
  if (dir.empty()) {
    // libgit2 1.5 refuses GIT_WORK_TREE ("unimplemented") when reading the environment; git sets it for
    // hooks run with --work-tree. Open without it, then apply it.
    const char* env_work_tree = std::getenv("GIT_WORK_TREE");
    const std::string work_tree = env_work_tree != nullptr ? env_work_tree : "";
    if (env_work_tree != nullptr) ::unsetenv("GIT_WORK_TREE");
    check(git_repository_open_ext(&repo, nullptr, GIT_REPOSITORY_OPEN_FROM_ENV, nullptr), "not a git repository");
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
