// This file implements the detector: scan(RuleSet, Fragment) -> findings. A fragment is text with the
// place it came from; the detector runs the keyword prefilter, then the regexes of the rules it selects,
// then the secret group, entropy, allowlist and inline `keygate:allow` checks.
#pragma once

#include <cstddef>
#include <limits>
#include <memory>
#include <string_view>
#include <vector>

#include "finding.hpp"
#include "rules.hpp"

namespace keygate {

struct LineRange {
  int first;
  int last;  // inclusive
};

struct Fragment {
  std::string_view text;
  std::string_view path;  // as reported
  int first_line = 1;     // the line number of text[0]
  // Findings whose secret starts outside [report_from, report_to) belong to a neighbouring chunk of the
  // same file (the chunks overlap so that a secret across a chunk boundary is still seen whole).
  std::size_t report_from = 0;
  std::size_t report_to = std::numeric_limits<std::size_t>::max();
  // When set, only findings on one of these lines count (the added lines of a staged file). Sorted.
  const std::vector<LineRange>* added_lines = nullptr;
  std::shared_ptr<const CommitInfo> commit;
};

// Returns the findings in `fragment`, in order of position. Thread-safe for a shared RuleSet.
std::vector<Finding> scan(const RuleSet& rules, const Fragment& fragment);

// Large texts are scanned in chunks of kChunkSize new bytes, each seeing kChunkOverlap bytes of its
// neighbours on both sides: the longest secret (with its context) found across a chunk boundary.
inline constexpr std::size_t kChunkSize = 16u << 20;
inline constexpr std::size_t kChunkOverlap = 256u << 10;

// Scans a text of any size held in memory, in overlapping chunks (a secret across a chunk boundary is
// seen whole), so that the detector's working memory stays bounded. Findings carry `commit`.
std::vector<Finding> scan_text(const RuleSet& rules, std::string_view text, std::string_view path,
                               std::shared_ptr<const CommitInfo> commit = nullptr);

// The findings of `now` that are not in `before`, counted per (rule, secret): with k of n occurrences
// already there, the last n-k are the new ones. Both in order of position.
std::vector<Finding> new_findings(const std::vector<Finding>& before, const std::vector<Finding>& now);

// True iff a rule with a path condition could apply to `path` alone (path-only rules report the file).
std::vector<Finding> scan_path(const RuleSet& rules, std::string_view path);

}  // namespace keygate
