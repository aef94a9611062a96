// This file declares the "only new findings" stage: of a file's findings, those its previous version did
// not have. The staged check uses it for files too large to diff line by line; history attribution uses
// it to find what a commit introduced.
#pragma once

#include <vector>

#include "core/finding.hpp"

namespace keygate {

// The findings of `now` that are not in `before`, counted per (rule, secret): with k of n occurrences
// already there, the last n-k are the new ones. Both in order of position.
std::vector<Finding> new_findings(const std::vector<Finding>& before, const std::vector<Finding>& now);

}  // namespace keygate
