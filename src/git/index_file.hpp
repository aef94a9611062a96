// This file implements a reader for git's index file (versions 2-4) that keeps its cache-tree extension.
// libgit2 reads the index too, but spends ~4 ms verifying and hashing a 6,000-entry index and does not
// expose the cache-tree, which is what lets the staged check skip every unchanged directory the way
// `git diff --cached` does. It also reads split indexes (core.splitIndex), which libgit2 1.5 refuses.
// Anything this reader does not understand makes it return nullopt, and the staged source then falls back
// to libgit2's own index and diff.
#pragma once

#include <git2.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace keygate {

struct IndexEntry {
  std::string_view path;  // points into the bytes or expanded paths of its IndexFile (or of its shared one)
  git_oid id;
  std::uint32_t mode;
  int stage;
  bool intent_to_add;
};

// One directory of the cache-tree extension. entry_count < 0 means "invalid": the directory changed
// since the tree was last written and its id is unknown.
struct CacheTreeNode {
  std::string name;
  int entry_count = -1;
  git_oid id{};
  std::vector<CacheTreeNode> children;
  const CacheTreeNode* child(std::string_view child_name) const;
};

struct IndexFile {
  std::shared_ptr<const char> bytes;  // the file's bytes (a read-only mapping, or a copy)
  // The paths of a version 4 index, which are prefix-compressed (on the heap: entries point into it, and
  // a short std::string would move its characters with it).
  std::shared_ptr<const std::string> expanded;
  std::shared_ptr<const IndexFile> shared;  // a split index's shared index, which entries may point into
  std::vector<IndexEntry> entries;          // sorted by path, then stage (as in the file)
  std::optional<CacheTreeNode> cache_tree;
};

// Reads the index at `path`. Returns nullopt when the file is malformed or of an unknown version (the
// caller then lets libgit2 try, which reports its own error). A split index (`link` extension) is merged
// with its shared index, `sharedindex.<id>`, looked for in `git_dir` (when given) and then beside `path`,
// as git does. Throws Error for a sparse index, or a split index whose shared index is missing or does
// not fit: libgit2 cannot read those either, and a silent empty diff would let every secret through.
// A missing file is an empty index.
std::optional<IndexFile> read_index_file(const std::string& path, const std::string& git_dir = {});

// The id of the staged (stage 0) entry for `entry_path` in the index at `index_path`, if there is one.
// Reads only as far as the sorted entries must be read to know (a split index, whose entries are in two
// files, is read whole). Never throws; a missing or unreadable index has no entries.
std::optional<git_oid> find_index_entry(const std::string& index_path, std::string_view entry_path,
                                        const std::string& git_dir = {});

// Parses index bytes (for tests and fuzzing); same contract as read_index_file, `path` for messages. A
// split index's shared index is looked for in `shared_dir` (none when empty: then it throws Error).
std::optional<IndexFile> parse_index(std::string_view bytes, const std::string& path = "index",
                                     const std::string& shared_dir = {});

}  // namespace keygate
