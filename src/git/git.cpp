// This file implements the libgit2 edge (see git.hpp).
#include "git/git.hpp"

#include <stdlib.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <vector>

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

Lookup lookup(int rc) {
  if (rc == 0) return Lookup::Found;
  if (rc == GIT_ENOTFOUND) {
    git_error_clear();
    return Lookup::Missing;
  }
  return Lookup::Failed;
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

void take_work_tree_from_env() {
  static const int once = [] {
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

void init() {
  take_work_tree_from_env();
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
    // libgit2 maps packs in windows of 1 GB and keeps up to 8 GB mapped: a history that resolves 4,000
    // refs and reads their tags keeps ~100 MB of a large pack resident through libgit2 alone, beside
    // keygate's own reader (pack_reader.hpp). Smaller windows under a small limit are unmapped as it goes.
    git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, static_cast<size_t>(32) << 20);
    git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, static_cast<size_t>(64) << 20);
    return 0;
  }();
  (void)once;
}

namespace {

// libgit2 1.5 reads only SHA-1 repositories; its message names the extension, not the consequence.
int explain_open_error(int rc) {
  const git_error* e = git_error_last();
  if (rc < 0 && e != nullptr && e->message != nullptr && std::strstr(e->message, "objectformat") != nullptr) {
    throw Error(
        "this repository uses the SHA-256 object format (extensions.objectformat), which the libgit2 keygate "
        "is built with (1.5) cannot read: keygate cannot check it. Scan the files with `keygate scan .`; "
        "a hook can be skipped with `git commit --no-verify` / `git push --no-verify` (on a server, "
        "`git push -o keygate.skip` where allowed, or ask its administrator)");
  }
  return rc;
}

}  // namespace

void add_object_dirs_from_env(git_repository* repo) {
  // In pre-receive, git keeps the pushed objects in a quarantine directory (GIT_OBJECT_DIRECTORY, also
  // GIT_QUARANTINE_PATH) with the repository's own objects as an alternate; a handle opened by path sees
  // neither unless they are added.
  std::vector<std::string> dirs;
  for (const char* name : {"GIT_OBJECT_DIRECTORY", "GIT_QUARANTINE_PATH"}) {
    if (const char* v = std::getenv(name); v != nullptr && *v != '\0') dirs.emplace_back(v);
  }
  if (const char* v = std::getenv("GIT_ALTERNATE_OBJECT_DIRECTORIES"); v != nullptr) {
    std::string list = v;
    for (std::size_t start = 0; start <= list.size();) {
      const std::size_t end = std::min(list.find(':', start), list.size());
      if (end > start) dirs.push_back(list.substr(start, end - start));
      start = end + 1;
    }
  }
  if (dirs.empty()) return;
  git_odb* odb = nullptr;
  check(git_repository_odb(&odb, repo), "cannot open the object database");
  const Odb owned(odb);
  // The repository's own objects directory is usually among them (the quarantine's alternate): once is
  // enough, a second backend over the same packs would be searched again for every object it lacks.
  char* own = ::realpath((std::string(git_repository_commondir(repo)) + "objects").c_str(), nullptr);
  const std::string own_path = own != nullptr ? own : "";
  std::free(own);
  for (const std::string& d : dirs) {
    char* real = ::realpath(d.c_str(), nullptr);
    const bool same = real != nullptr && own_path == real;
    std::free(real);
    if (!same) check(git_odb_add_disk_alternate(odb, d.c_str()), "object directory " + d);
  }
}

Repository open(const std::string& dir) {
  // libgit2 is set up on first use: `commit-msg` and `scan` never need it, and its set-up (TLS and SSH
  // libraries, entropy) is a good part of a hook's start-up.
  init();
  git_repository* repo = nullptr;
  if (dir.empty()) {
    // GIT_WORK_TREE was taken out of the environment (take_work_tree_from_env): open without it, then
    // apply it.
    const std::string& work_tree = saved_work_tree();
    // With GIT_INDEX_FILE set (git commit -a, git commit PATH), libgit2 reads that index while opening
    // and refuses a split or sparse one; keygate reads the index itself (its own reader, or libgit2's
    // on the path it is given), so the opening need not see it.
    const char* index_file = std::getenv("GIT_INDEX_FILE");
    const std::string saved_index = index_file != nullptr ? index_file : "";
    if (index_file != nullptr) ::unsetenv("GIT_INDEX_FILE");
    const int rc = git_repository_open_ext(&repo, nullptr, GIT_REPOSITORY_OPEN_FROM_ENV, nullptr);
    if (index_file != nullptr) ::setenv("GIT_INDEX_FILE", saved_index.c_str(), 1);
    check(explain_open_error(rc), "not a git repository");
    if (!work_tree.empty()) {
      const int rc = git_repository_set_workdir(repo, work_tree.c_str(), 0);
      if (rc < 0) git_repository_free(repo);
      check(rc, "GIT_WORK_TREE=" + work_tree);
    }
  } else {
    check(explain_open_error(git_repository_open_ext(&repo, dir.c_str(), 0, nullptr)),
          dir + ": not a git repository");
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

std::optional<std::string> blob_at(git_repository* repo, const std::string& commit, const std::string& path) {
  git_oid id;
  if (git_oid_fromstr(&id, commit.c_str()) != 0) {
    git_error_clear();
    throw Error("not a commit id: \"" + commit + "\"");
  }
  git_commit* raw_commit = nullptr;
  check(git_commit_lookup(&raw_commit, repo, &id), "cannot read commit " + commit);
  const Commit owned_commit(raw_commit);
  git_tree* raw_tree = nullptr;
  check(git_commit_tree(&raw_tree, raw_commit), "cannot read the tree of " + commit);
  const Tree tree(raw_tree);
  git_tree_entry* raw_entry = nullptr;
  if (git_tree_entry_bypath(&raw_entry, raw_tree, path.c_str()) != 0) {
    git_error_clear();
    return std::nullopt;
  }
  const Handle<git_tree_entry, git_tree_entry_free> entry(raw_entry);
  git_blob* raw_blob = nullptr;
  if (git_tree_entry_type(raw_entry) != GIT_OBJECT_BLOB ||
      git_blob_lookup(&raw_blob, repo, git_tree_entry_id(raw_entry)) != 0) {
    git_error_clear();
    return std::nullopt;
  }
  const Blob blob(raw_blob);
  return std::string(static_cast<const char*>(git_blob_rawcontent(raw_blob)),
                     static_cast<std::size_t>(git_blob_rawsize(raw_blob)));
}

}  // namespace keygate::git
