// This file declares how other tools' findings become keygate's triage (`keygate import`): each peer
// finding is matched with the finding keygate makes of the same secret (by the secret when the tool gives
// it, else by file and line), so that keygate's own fingerprint — not the other tool's — goes into the
// baseline; what cannot be matched is said, with why.
#pragma once

#include <string>
#include <vector>

#include "core/finding.hpp"
#include "interop/peer_reports.hpp"

namespace keygate::interop {

struct ImportResult {
  std::vector<Finding> mapped;        // keygate's findings that peers had, once each, in `ours` order
  std::vector<std::string> unmapped;  // one line each: "<tool> <rule> at <file>:<line>: <why>"
  std::size_t peers_mapped = 0;       // how many peer findings found their keygate finding
};

// Matches `peers` with `ours` (keygate's findings over the same repository or files, secrets whole). A
// peer finding matches a finding of the same file (paths compared without a leading "./"; an absolute
// peer path by its tail) that has the same secret (one containing the other: tools cut secrets
// differently), or, when the tool does not give the secret (detect-secrets, .gitleaksignore, SARIF), that
// covers its line (and its commit, when both name one).
ImportResult map_to_keygate(const std::vector<PeerFinding>& peers, const std::vector<Finding>& ours);

}  // namespace keygate::interop
