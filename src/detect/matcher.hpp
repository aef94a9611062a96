// This file implements the detector: detect(RuleSet, Fragment) -> findings (without fingerprints: see
// filter/fingerprint.hpp). A fragment is text with the
// place it came from; the detector runs the keyword prefilter, then the regexes of the rules it selects,
// then the secret group, entropy, allowlist and inline `keygate:allow` checks.
#pragma once

#include <cstddef>
#include <limits>
#include <memory>
#include <string_view>
#include <vector>

#include "core/finding.hpp"
#include "core/source.hpp"
#include "rules/rules.hpp"

namespace keygate {

// What the detector left undone in what it scanned: a scan with a gap is incomplete, never clean (the
// Scanner turns a gap into a warning and exit 2). Set by detect() and detect_in_text(), never cleared.
struct ScanGaps {
  bool decode_cut = false;  // a decode bound (decode.hpp) left encoded content undecoded
};

// Returns the findings in `fragment`, in order of position; records what it left undone in `*gaps` when
// given. Thread-safe for a shared RuleSet.
std::vector<Finding> detect(const RuleSet& rules, const Fragment& fragment, ScanGaps* gaps = nullptr);

// Sets the confidence of `finding` (as the detector made it for no particular path) for the path it is
// reported at, `finding.file`: a generic finding in tests, examples and docs is one level less sure.
void adjust_for_path(const RuleSet& rules, Finding& finding);

// Scans a text of any size held in memory, in overlapping chunks (a secret across a chunk boundary is
// seen whole), so that the detector's working memory stays bounded. Findings carry `origin`.
std::vector<Finding> detect_in_text(const RuleSet& rules, std::string_view text, const Origin& origin,
                                    ScanGaps* gaps = nullptr);

// The findings of the path-only rules (a path condition and no regex) for the file name `origin.path`:
// such a rule reports the file itself (line 0, the path as its secret).
std::vector<Finding> detect_in_path(const RuleSet& rules, const Origin& origin);

}  // namespace keygate
