// This file implements the one pipeline (see core/pipeline.hpp).
#include "core/pipeline.hpp"

#include <algorithm>

#include "config/config.hpp"
#include "rules/rules.hpp"

namespace keygate {

Judgement make_judgement(std::optional<Confidence> min_option, const Config& config,
                         std::set<std::string> suppressed) {
  return Judgement{minimum_confidence(min_option, config), std::move(suppressed)};
}

Pipeline::Pipeline(const RuleSet& rules, Judgement judgement, ScanSettings settings)
    : judgement_(std::move(judgement)),
      confident_(collector_, judgement_.minimum),
      suppress_(confident_, judgement_.suppressed),
      fingerprint_(suppress_),
      scanner_(rules, settings, fingerprint_) {}

std::vector<Finding> Pipeline::judge(std::vector<Finding> findings) const {
  std::vector<Finding> kept;
  for (Finding& f : findings) {
    f.fingerprint = fingerprint_of(f);
    if (suppress_.keeps(f) && confident_.keeps(f)) kept.push_back(std::move(f));
  }
  return kept;
}

std::vector<Finding> Pipeline::finish() {
  fingerprint_.finish();
  std::vector<Finding> findings = collector_.take();
  sort_findings(findings);
  return findings;
}

void sort_findings(std::vector<Finding>& findings) {
  std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    if (a.file != b.file) return a.file < b.file;
    if (a.inner != b.inner) return a.inner < b.inner;  // entries of one archive, in path order
    if (a.line != b.line) return a.line < b.line;
    if (a.column != b.column) return a.column < b.column;
    return a.rule_id < b.rule_id;
  });
}

}  // namespace keygate
