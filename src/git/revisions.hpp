// This file implements git's revision selection for keygate: the argument syntax (REV, ^REV, A..B, --not,
// --all, --branches[=P], --remotes[=R], --tags) -> tips and hidden commits, and the walk that finds the
// commits reachable from the tips and from none of the hidden ones without listing the whole history.
#pragma once

#include <git2.h>

#include <string>
#include <unordered_set>
#include <vector>

#include "core/source.hpp"
#include "git/git.hpp"

namespace keygate {

using OidSet = std::unordered_set<git_oid, git::OidHash, git::OidEqual>;

// What `git rev-list TIPS --not HIDDEN` would walk.
struct RevisionSelection {
  std::vector<git_oid> tips;
  std::vector<git_oid> hidden;
  // Refs among the selected ones that name no commit (tags of blobs and trees, notes at a blob): no walk
  // reaches them, so history reads them as objects (read_ref_objects).
  std::vector<NamedObject> objects;
};

// Parses revision arguments the way git rev-list does: `--not` flips the sense of the arguments after it,
// `^REV` hides REV, `A..B` is `B ^A`, and the ref options add every matching ref's commit. With no
// argument at all, every ref and a detached HEAD are the tips. Throws Error for an unknown revision or a
// ref whose commit is missing (naming the missing ones).
RevisionSelection parse_revisions(git_repository* repo, const std::vector<std::string>& args);

// The commits of the refs under `prefix` ("refs/" for all) whose name matches `pattern` after the prefix
// (a glob; empty: every one). Tags are peeled; refs to trees and blobs are left out of the result and,
// when `objects` is given, added there with their names. A ref whose object is missing is a damaged
// repository: throws Error naming the refs (a count and the first few).
std::vector<git_oid> ref_commits(git_repository* repo, const std::string& prefix,
                                 const std::string& pattern = "",
                                 std::vector<NamedObject>* objects = nullptr);

// The commits reachable from `tips` and from none of `hidden`. Walks newest first by committer date and
// stops once every commit still queued is reachable from a hidden one, so that a push of one commit onto
// a repository of 200k reads the ref tips and a handful of commits, not the history. `shallow` lists the
// boundary commits of a shallow clone (their missing parents are not an error). Throws Error naming a
// missing commit.
OidSet new_commits(git_repository* repo, const std::vector<git_oid>& tips, const std::vector<git_oid>& hidden,
                   const OidSet& shallow);

// The commits listed in the repository's `shallow` file (empty when it is not shallow).
OidSet shallow_commits(git_repository* repo);

// A sentence for a repository that is a partial clone (promisor packs or a remote.*.promisor), to add to
// a message about missing objects; empty otherwise.
std::string partial_clone_note(git_repository* repo);

}  // namespace keygate
