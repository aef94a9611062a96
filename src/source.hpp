// This file declares the sources of the pipeline and the Scanner they push fragments into. A source reads
// bytes from somewhere (files, the index, history), cuts them into Fragments and calls Scanner::scan; the
// Scanner runs the detector and collects findings and warnings from any number of threads.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "matcher.hpp"
#include "rules.hpp"

typedef struct git_repository git_repository;

namespace keygate {

struct ScanSettings {
  bool verbose = false;
  std::uint64_t max_file_size = 0;  // 0: no limit (files are streamed); blobs above it are skipped
  unsigned jobs = 1;
};

class Scanner {
 public:
  Scanner(const RuleSet& rules, ScanSettings settings) : rules_(rules), settings_(settings) {}
  const ScanSettings& settings() const { return settings_; }
  const RuleSet& rules() const { return rules_; }

  // Runs the detector over one fragment and keeps what it finds. Thread-safe.
  void scan(const Fragment& fragment);
  // Runs the path-only rules over one file name. Thread-safe.
  void scan_name(std::string_view path);
  // Adds findings found by other means (history attribution). Thread-safe.
  void add(std::vector<Finding> findings);
  // A note for --verbose ("skipped: binary"). Thread-safe.
  void note(const std::string& path, const std::string& what);
  // A problem that did not stop the run but makes its result incomplete (exit 2). Thread-safe.
  void warn(const std::string& message);

  std::vector<Finding> take_findings();
  bool incomplete() const { return incomplete_; }
  std::uint64_t bytes_scanned() const { return bytes_; }
  std::uint64_t fragments_scanned() const { return fragments_; }

 private:
  const RuleSet& rules_;
  ScanSettings settings_;
  std::mutex mutex_;
  std::vector<Finding> findings_;
  std::atomic<bool> incomplete_{false};
  std::atomic<std::uint64_t> bytes_{0};
  std::atomic<std::uint64_t> fragments_{0};
};

// True iff `head` (the start of a file) looks binary the way git decides it: a NUL byte in the first 8000.
bool looks_binary(std::string_view head);

// Files and directories (recursively, dotfiles included, .git skipped, symlinks inside directories not
// followed); "-" is standard input. Large files are streamed in overlapping chunks.
void read_paths(const std::vector<std::string>& paths, Scanner& scanner);

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
