// This file declares the Scanner: the one place where sources meet the detector. A source pushes
// fragments (source.hpp); the Scanner runs the detector over each and passes the findings to a sink
// (sink.hpp), from any number of threads. It also carries notes (--verbose) and warnings (exit 2).
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "core/sink.hpp"
#include "core/source.hpp"
#include "rules/rules.hpp"

namespace keygate {

// History and the push checks read each blob whole, so they stop at a size unless told otherwise; files
// on disk are streamed and have no default limit.
inline constexpr std::uint64_t kDefaultMaxBlobSize = 50ull << 20;

// What content over ScanSettings::max_file_size does to a run: it is not scanned, so by default the run
// is incomplete (exit 2, a push rejected); a server's owner may let it through unscanned, with a note.
enum class Oversize { Incomplete, Skip };

struct ScanGaps;

struct ScanSettings {
  bool verbose = false;
  std::uint64_t max_file_size = 0;  // 0: no limit; content above it is not scanned (see Oversize)
  Oversize oversize = Oversize::Incomplete;
  unsigned jobs = 1;
  // `staged`: the calling thread reads and scans alone until it has read this many bytes of staged
  // content; then, if files are left, jobs-1 helper threads join it. A one-file hook never starts a
  // thread; a test sets 0 to run the helpers from the first file.
  std::uint64_t staged_parallel_from_bytes = 1u << 20;
  // Containers (zip, tar, 7z, compressed files) opened inside each other, the file itself being 1; 0 reads
  // none (they are skipped as binary). archive/reader.hpp.
  int max_archive_depth = 4;
};

class Scanner {
 public:
  // `rules` and `sink` must outlive the Scanner.
  Scanner(const RuleSet& rules, ScanSettings settings, FindingSink& sink)
      : rules_(rules), settings_(settings), sink_(sink) {}
  const ScanSettings& settings() const { return settings_; }
  const RuleSet& rules() const { return rules_; }

  // Runs the detector over one fragment and passes what it finds to the sink. Thread-safe.
  void scan(const Fragment& fragment);
  // Runs the detector and returns the findings instead, for a source stage that must compare them
  // before they count (history attribution, only-new findings). Thread-safe.
  std::vector<Finding> detect(const Fragment& fragment);
  // detect() over a text of any size, in overlapping chunks (detect_in_text in matcher.hpp). Thread-safe.
  std::vector<Finding> detect_text(std::string_view text, const Origin& origin);
  // Runs the path-only rules over one file name and passes what they find to the sink. Thread-safe.
  void scan_name(const Origin& origin);
  // The path-only rules' findings for one file name, returned. Thread-safe.
  std::vector<Finding> detect_name(const Origin& origin);
  // Passes findings that a source stage has held back (see detect) to the sink. Thread-safe.
  void add(std::vector<Finding> findings);
  // True iff the sink chain is sure to drop `finding` (FindingSink::drops): a source that holds findings
  // back need not keep those. Thread-safe.
  bool chain_drops(const Finding& finding) const { return sink_.drops(finding); }
  // Records that the JSON or JSON Lines file at `path` was read as a dataset (dataset.hpp). Thread-safe.
  void note_dataset(const std::string& path);
  // The datasets noted so far.
  std::vector<std::string> datasets();
  // A note for --verbose ("skipped: binary"). Thread-safe.
  void note(const std::string& path, const std::string& what);
  // A problem that did not stop the run but makes its result incomplete (exit 2). Thread-safe.
  void warn(const std::string& message);

  // True iff warn() was called: a gap, an unreadable input, a limit.
  bool incomplete() const { return incomplete_; }
  // The first warning's message (empty when none): what `audit` records for an incomplete repository.
  std::string first_warning();
  std::uint64_t bytes_scanned() const { return bytes_; }
  std::uint64_t fragments_scanned() const { return fragments_; }

 private:
  const RuleSet& rules_;
  ScanSettings settings_;
  FindingSink& sink_;
  std::mutex note_mutex_;
  std::vector<std::string> datasets_;       // guarded by note_mutex_
  std::set<std::string> decode_cut_paths_;  // guarded by note_mutex_
  std::string first_warning_;               // guarded by note_mutex_
  // The detector's gaps in what it scanned from `origin` (matcher.hpp) as a warning, once per path.
  void warn_gaps(const ScanGaps& gaps, const Origin& origin);
  std::atomic<bool> incomplete_{false};
  std::atomic<std::uint64_t> bytes_{0};
  std::atomic<std::uint64_t> fragments_{0};
};

}  // namespace keygate
