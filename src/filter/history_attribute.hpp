// This file declares history attribution, the filter between the detector and the sink that only the
// history source needs: the findings of each blob (pass 1 of source/history.cpp) become the findings each
// commit introduced, with that commit (pass 2), and go to the Scanner's sink.
#pragma once

#include <memory>
#include <unordered_map>
#include <vector>

#include "core/finding.hpp"
#include "core/scanner.hpp"
#include "git/history_walk.hpp"

namespace keygate {

// The detector's findings per blob id (file paths not yet set: a blob may live at many paths).
using BlobFindings = std::unordered_map<git_oid, std::vector<Finding>, OidHash, OidEqual>;

// What reports say about commit `c`.
std::shared_ptr<const CommitInfo> describe(const git_commit* c);

// Passes to `scanner` the findings that `node`'s commit introduced: for each blob with findings that it
// adds at a path, those not already in that path's blob in any parent nor in a blob it deleted (a move),
// counted per (rule, secret) by new_findings (filter/only_new.hpp); each gets the path and the commit.
void attribute_commit(git_repository* repo, TreeCache& trees, const CommitNode& node,
                      const BlobFindings& blob_findings, Scanner& scanner);

}  // namespace keygate
