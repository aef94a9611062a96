// This file declares the currency between the stages (Origin, Fragment) and the sources that make it. A
// source reads bytes from somewhere (files, the index, history), cuts them into Fragments, each with the
// Origin it came from, and pushes them into a Scanner (scanner.hpp); sources never run the detector or
// judge findings themselves (a source that holds findings back asks the chain: Scanner::chain_drops).
#pragma once

#include <git2/oid.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

typedef struct git_repository git_repository;

namespace keygate {

// Which kind of place a fragment (and so a finding) comes from. The one enum that says "which source":
// reports choose their wording by it, and a finding in a commit message has no file.
enum class SourceKind {
  File,           // a file or directory on disk (`scan`)
  Staged,         // the staged changes (`staged`, the pre-commit hook)
  Commit,         // a blob of a commit (`history`)
  CommitMessage,  // the message of a commit
  TagMessage,     // the message of an annotated tag
  Stream,         // standard input
};

struct CommitInfo {
  std::string id;
  std::string author;
  std::string email;
  std::string date;  // ISO 8601, the author date
  std::string summary;
};

struct LineRange {
  int first;
  int last;  // inclusive
};

// Large texts are scanned in chunks of kChunkSize new bytes, each seeing kChunkOverlap bytes of its
// neighbours on both sides: the longest secret (with its context) found across a chunk boundary.
inline constexpr std::size_t kChunkSize = 16u << 20;
inline constexpr std::size_t kChunkOverlap = 256u << 10;

// Where a fragment's text comes from. Everything a report needs to say "where" is here.
struct Origin {
  SourceKind kind = SourceKind::File;
  std::string path;                          // as reported (bytes, never quoted); empty for a message
  std::shared_ptr<const CommitInfo> commit;  // the commit (history), null elsewhere
  std::uint64_t record = 0;                  // JSON datasets: 1-based record number; 0 when none
  std::string pointer;                       // JSON datasets: JSON pointer inside the record ("/a/0")
};

// A text to scan and its origin. `text` is borrowed: it lives as long as the call that receives it.
struct Fragment {
  std::string_view text;
  Origin origin;
  int first_line = 1;  // the line number of text[0]
  // Findings whose secret starts outside [report_from, report_to) belong to a neighbouring chunk of the
  // same file (the chunks overlap so that a secret across a chunk boundary is still seen whole).
  std::size_t report_from = 0;
  std::size_t report_to = std::numeric_limits<std::size_t>::max();
  // When set, only findings on one of these lines count (the added lines of a staged file). Sorted.
  const std::vector<LineRange>* added_lines = nullptr;
};

class Scanner;

// True iff `head` (the start of a file) looks binary the way git decides it: a NUL byte in the first 8000.
bool looks_binary(std::string_view head);

// Files and directories (recursively, dotfiles included, .git skipped, symlinks inside directories not
// followed); "-" is standard input. Large files are streamed in overlapping chunks. With `progress`, a scan
// that takes over a second draws a progress line on stderr.
void read_paths(const std::vector<std::string>& paths, Scanner& scanner, bool progress = false);

// read_paths in two steps, so that the caller can load its rules while the paths are listed: the
// constructor starts walking `paths` on a thread of its own (or, with `background` false, walks them
// itself), and read() then reads what was listed, exactly as read_paths would. What the walk has to say
// (an unreadable directory, a skipped FIFO) is held and said by read(), in order. The destructor stops
// an unfinished walk (a run that ends early does not wait for a large tree).
class PathListing {
 public:
  PathListing(std::vector<std::string> paths, bool background);
  ~PathListing();
  PathListing(PathListing&&) noexcept;  // the walk goes on: it works on what listed_ points to
  PathListing& operator=(PathListing&&) = delete;
  // Waits for the walk, then reads and scans the files. Call it once.
  void read(Scanner& scanner, bool progress);

  struct Listed;  // source/files.cpp

 private:
  std::unique_ptr<Listed> listed_;
};

// The added lines of the staged changes: the index against HEAD (or the empty tree before the first
// commit). `index_path` overrides the repository's index file (GIT_INDEX_FILE); empty for the default.
void read_staged_changes(git_repository* repo, const std::string& index_path, Scanner& scanner);
// The staged content (index, stage 0) of `path`, or nullopt when the index does not have it. `index_path`
// as for read_staged_changes.
std::optional<std::string> read_staged_file(git_repository* repo, const std::string& index_path,
                                            const std::string& path);

// The same through libgit2's own index reader and git_diff_tree_to_index: the fallback for an index the
// fast reader does not know, exposed so that tests can hold the two paths to the same answers.
void read_staged_changes_with_libgit2(git_repository* repo, const std::string& index_path, Scanner& scanner);

struct CommitNode;

// An object a ref names, with the ref's name (or the name it is pushed as).
struct NamedObject {
  git_oid id;
  std::string name;
};

// What refs name beyond commits: along each object's chain of annotated tags, every tag's message (a
// TagMessage fragment, whose CommitInfo is the tag: its id, tagger and name), then the blob or tree the
// chain ends at (every blob of a tree, each path prefixed "NAME:"), scanned as a commit's files are. A
// chain that ends at a commit reads nothing more: the commit walk reads commits. Throws Error when an
// object cannot be read.
void read_ref_objects(git_repository* repo, const std::vector<NamedObject>& objects, Scanner& scanner);

struct HistoryOptions {
  std::vector<std::string> ranges;  // empty: every commit reachable from any ref
  bool progress = false;            // draw a progress line on stderr
  // When set, exactly these commits (parents before children) instead of `ranges` (the push checks).
  const std::vector<CommitNode>* commits = nullptr;
  // When set, no commit is started after this time (the push checks' budget); see HistoryStats.
  std::optional<std::chrono::steady_clock::time_point> deadline;
};

struct HistoryStats {
  std::size_t commits = 0;          // selected
  std::size_t commits_scanned = 0;  // the first ones, in walk order; fewer only when the deadline passed
};

// Every commit in `options.ranges`, each finding attributed to the commit that introduced it.
HistoryStats read_history(git_repository* repo, const HistoryOptions& options, Scanner& scanner);

}  // namespace keygate
