// This file implements `keygate import`: other scanners' reports and ignore files (peer_reports.hpp) ->
// keygate's own findings over the same repository (a history scan, and the named files on disk) ->
// matched (baseline_import.hpp) -> a keygate baseline report, or .keygateignore entries, so that a team
// moving to keygate keeps the triage it made with gitleaks, TruffleHog or detect-secrets.
#include <fmt/core.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <memory>

#include "cli/runners.hpp"
#include "core/error.hpp"
#include "filter/suppress.hpp"
#include "git/git.hpp"
#include "interop/baseline_import.hpp"
#include "interop/peer_reports.hpp"
#include "report/report.hpp"
#include "util/file_io.hpp"

namespace keygate {
namespace {

using interop::PeerFinding;

std::vector<PeerFinding> read_peer_files(const std::vector<std::string>& files) {
  std::vector<PeerFinding> peers;
  for (const std::string& file : files) {
    const std::string text = load_file(file);
    const std::optional<interop::PeerFormat> format = interop::sniff(text, file);
    if (!format) {
      throw Error(file +
                  ": not a report keygate can read (gitleaks JSON or .gitleaksignore, TruffleHog JSON, "
                  "a detect-secrets baseline, SARIF)");
    }
    std::vector<PeerFinding> read = interop::read_peer_report(text, *format, file);
    fmt::print("keygate: {}: {} entr{} ({})\n", file, read.size(), read.size() == 1 ? "y" : "ies",
               interop::format_name(*format));
    peers.insert(peers.end(), std::make_move_iterator(read.begin()), std::make_move_iterator(read.end()));
  }
  return peers;
}

bool is_repository(const std::string& dir) {
  git::init();
  git_repository* raw = nullptr;
  const bool found = git_repository_open_ext(&raw, dir.empty() ? "." : dir.c_str(), 0, nullptr) == 0;
  git_repository_free(raw);
  git_error_clear();
  return found;
}

// keygate's findings where the peers found theirs: the history of every ref, and the files they name that
// are on disk (a directory scan's findings, files never committed). Every confidence: a fingerprint does not
// depend on it, and a peer's low-confidence finding must find its counterpart.
std::vector<Finding> our_findings(const Options& options, const std::vector<PeerFinding>& peers,
                                  bool& incomplete) {
  std::vector<Finding> ours;
  Options scan = options;
  scan.min_confidence = Confidence::Low;
  std::string root;
  if (is_repository(options.repo)) {
    scan.command = Command::History;
    scan.source = SourceKind::Commit;
    scan.args.clear();
    ScanOutcome history = scan_findings(scan);
    incomplete = incomplete || history.incomplete();
    root = history.root;
    ours = std::move(history.findings);
  }
  std::vector<std::string> paths;
  for (const PeerFinding& p : peers) {
    if (p.file.empty() || !p.commit.empty()) continue;
    const std::string path = !p.file.empty() && p.file[0] == '/' ? p.file : root + p.file;
    struct stat st;
    if (::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
        std::find(paths.begin(), paths.end(), path) == paths.end())
      paths.push_back(path);
  }
  if (!paths.empty()) {
    scan.command = Command::Scan;
    scan.source = SourceKind::File;
    scan.args = paths;
    ScanOutcome files = scan_findings(scan);
    incomplete = incomplete || files.incomplete();
    for (Finding& f : files.findings) {
      if (f.file.rfind(root, 0) == 0) f.file.erase(0, root.size());
      ours.push_back(std::move(f));
    }
  }
  return ours;
}

// The JSON report of `findings` (secrets redacted: a baseline needs their fingerprints only).
std::string json_report(const std::vector<Finding>& findings) {
  char* buffer = nullptr;
  std::size_t size = 0;
  std::FILE* out = ::open_memstream(&buffer, &size);
  if (out == nullptr) throw Error("cannot build the baseline in memory");
  ReportContext context;
  context.source = SourceKind::Commit;
  write_json_report(out, findings, context);
  std::fclose(out);
  const std::unique_ptr<char, decltype(&std::free)> owned(buffer, &std::free);
  return std::string(buffer, size);
}

}  // namespace

int run_import(const Options& options) {
  // 1. The peers' findings, each file's format recognised by its content (and name).
  if (options.args.empty())
    throw Error("import: name the reports to import (gitleaks, TruffleHog, detect-secrets, SARIF)");
  const std::vector<PeerFinding> peers = read_peer_files(options.args);
  // 2. keygate's own findings over the same history and files, then the matching.
  bool incomplete = false;
  const std::vector<Finding> ours = our_findings(options, peers, incomplete);
  const interop::ImportResult result = interop::map_to_keygate(peers, ours);
  for (const std::string& u : result.unmapped) fmt::print(stderr, "keygate: cannot map: {}\n", u);
  // 3. Written: a .keygateignore gains the fingerprints; any other name becomes a baseline report.
  const std::string output = options.import_output.empty() ? "keygate-baseline.json" : options.import_output;
  const bool ignore_file =
      output == ".keygateignore" ||
      (output.size() > 15 && output.compare(output.size() - 15, 15, "/.keygateignore") == 0);
  if (ignore_file) {
    add_to_ignore_file(output, result.mapped);
  } else {
    write_file_atomic(output, json_report(result.mapped));
  }
  fmt::print("keygate: {} of {} entr{} mapped to {} keygate finding{}; wrote {}{}\n", result.peers_mapped,
             peers.size(), peers.size() == 1 ? "y" : "ies", result.mapped.size(),
             result.mapped.size() == 1 ? "" : "s", output,
             ignore_file ? "" : " (use it with --baseline " + output + ")");
  // 4. 2 when keygate's scan was incomplete, 1 when some entries could not be mapped, else 0.
  if (incomplete) return 2;
  return result.unmapped.empty() ? 0 : 1;
}

}  // namespace keygate
