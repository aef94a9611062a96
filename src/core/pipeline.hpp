// This file declares the one pipeline that every command judging content goes through (scan, history,
// staged, commit-msg, pre-push, pre-receive, and redact's detection): sources push fragments into its
// Scanner, the detector's findings pass fingerprint -> suppression -> confidence -> collector, and
// finish() hands back what the run reports. The same content under the same Judgement gets the same
// verdict in every mode, because no mode builds a chain of its own.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/confidence.hpp"
#include "core/finding.hpp"
#include "core/scanner.hpp"
#include "core/sink.hpp"
#include "filter/fingerprint.hpp"
#include "filter/min_confidence.hpp"
#include "filter/suppress.hpp"

namespace keygate {

struct Config;
class RuleSet;

// What decides which of the detector's findings count. Built by make_judgement in every mode.
struct Judgement {
  Confidence minimum = Confidence::Medium;  // findings less sure than this are dropped
  std::set<std::string> suppressed;         // fingerprints accepted (.keygateignore, --baseline)
};

// The Judgement of a run: the minimum is `min_option` (--min-confidence) when set, else the config's
// [confidence] minimum, else medium; `suppressed` as given (suppressed_fingerprints, or none).
Judgement make_judgement(std::optional<Confidence> min_option, const Config& config,
                         std::set<std::string> suppressed);

// The detector-to-collector chain of one run. Not copyable or movable: the Scanner and filters point at
// each other. `rules` must outlive it.
class Pipeline {
 public:
  Pipeline(const RuleSet& rules, Judgement judgement, ScanSettings settings);
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;

  // Where sources push fragments. Thread-safe (scanner.hpp).
  Scanner& scanner() { return scanner_; }
  const Judgement& judgement() const { return judgement_; }

  // The findings of `findings` that the chain keeps, fingerprinted, for a stage that detects and acts
  // itself instead of reporting (redact). Thread-safe.
  std::vector<Finding> judge(std::vector<Finding> findings) const;

  // Ends the run: flushes the chain and returns every finding kept, in report order (file, line, column,
  // rule). Call it once, after the last fragment.
  std::vector<Finding> finish();

 private:
  Judgement judgement_;
  FindingCollector collector_;
  ConfidenceFilter confident_;
  SuppressionFilter suppress_;
  FingerprintFilter fingerprint_;
  Scanner scanner_;
};

// Findings in report order: file, line, column, rule.
void sort_findings(std::vector<Finding>& findings);

}  // namespace keygate
