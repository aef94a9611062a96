// This file implements the edge with libgit2: owning handles for its objects; check(), which turns a
// libgit2 error code into an Error carrying libgit2's message; and lookup(), which tells "not there" from
// a failure. No other file reads libgit2's error (git_error_last) or builds a message from it. Elsewhere a
// return code is tested only to ask "is it there": through lookup(), or as rc != 0 where any failure
// means absent (a path not in a tree, an object that is no commit, a lightweight tag, an unset config
// key: config/resolve.cpp, source/staged.cpp, source/history.cpp, push/push.cpp), libgit2's error then
// left unread. (source/history.cpp also compares with GIT_ENOTFOUND itself, which is lookup()'s to say.)
#pragma once

#include <git2.h>

#include <cstring>
#include <memory>
#include <optional>
#include <string>

#include "core/error.hpp"

namespace keygate::git {

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
template <typename T, void (*Free)(T*)>
using Handle = std::unique_ptr<T, Deleter<T, Free>>;

using Repository = Handle<git_repository, git_repository_free>;
using Tree = Handle<git_tree, git_tree_free>;
using Blob = Handle<git_blob, git_blob_free>;
using Commit = Handle<git_commit, git_commit_free>;
using Index = Handle<git_index, git_index_free>;
using Diff = Handle<git_diff, git_diff_free>;
using Patch = Handle<git_patch, git_patch_free>;
using Reference = Handle<git_reference, git_reference_free>;
using Object = Handle<git_object, git_object_free>;
using Revwalk = Handle<git_revwalk, git_revwalk_free>;
using Odb = Handle<git_odb, git_odb_free>;
using OdbObject = Handle<git_odb_object, git_odb_object_free>;
using Config = Handle<git_config, git_config_free>;

// Hash and equality of object ids, for unordered containers.
struct OidHash {
  std::size_t operator()(const git_oid& id) const {
    std::size_t h;
    std::memcpy(&h, id.id, sizeof h);
    return h;
  }
};
struct OidEqual {
  bool operator()(const git_oid& a, const git_oid& b) const { return git_oid_equal(&a, &b) != 0; }
};

// Throws Error("<what>: <libgit2's message>") when rc < 0; returns rc otherwise.
int check(int rc, const std::string& what);

// libgit2's last error message, or "unknown error" when it has none (git_error_last() may be null).
std::string last_error_message();

// What a libgit2 call that may find nothing answered.
enum class Lookup {
  Found,    // rc == 0
  Missing,  // GIT_ENOTFOUND: libgit2's error is cleared
  Failed,   // any other error: last_error_message() says why
};
// The Lookup of the return code `rc` of such a call.
Lookup lookup(int rc);

// Moves GIT_WORK_TREE out of the environment, once for the life of the process (later calls do nothing);
// open() applies it. Called at start-up by init_process() (process.hpp), so that no part of a run sees
// the variable come or go depending on whether a repository was opened.
void take_work_tree_from_env();

// libgit2's process-wide state, set once for the life of the process (the first call; later calls do
// nothing): take_work_tree_from_env(), git_libgit2_init, the object cache (no blobs; 8 MB per cache),
// strict hash verification off. Nothing else in keygate changes libgit2's global options. Called by
// open() (so on first use: a run that opens no repository never pays for it) and by tests.
void init();

// Opens the repository containing `dir` (discovering upwards), after init(). With an empty `dir`,
// honours GIT_DIR, GIT_INDEX_FILE and the other variables git sets for hooks, starting from the current
// directory.
Repository open(const std::string& dir);

// Adds the object directories git names in the environment (GIT_OBJECT_DIRECTORY, GIT_QUARANTINE_PATH,
// GIT_ALTERNATE_OBJECT_DIRECTORIES) to `repo`'s object database as alternates: a second handle opened
// by path (a worker thread's) then sees the same objects as the first, the pre-receive quarantine
// included. Does nothing when none is set.
void add_object_dirs_from_env(git_repository* repo);

// The tree HEAD points at, or null when HEAD is unborn (no commit yet).
Tree head_tree(git_repository* repo);

// The content of the blob at `path` (slash-separated, relative to the root) in the tree of commit `commit`
// (40 hex); nullopt when that tree has no such path or the path names no blob (a tree, a submodule).
// Throws Error naming the commit when `commit` is not an object id or the commit or its tree cannot be
// read.
std::optional<std::string> blob_at(git_repository* repo, const std::string& commit, const std::string& path);

}  // namespace keygate::git
