// This file declares the lines shown beside findings in reports built from incidents (the HTML viewer,
// `keygate audit`'s result files and so `report merge`): each place's line, every secret found in its
// path redacted, read back from the scanned file or from the place's commit.
#pragma once

#include <vector>

#include "core/finding.hpp"
#include "report/incidents.hpp"
#include "report/report.hpp"

namespace keygate {

// Sets the `context` of each place of `incidents` (grouped from `findings` by group_findings) that has a
// line: a file scan reads the files again, a history scan (context.source Commit) each finding's blob in
// its commit of `context.repo`. Findings of messages, of decoded secrets, inside archives and of dataset
// records get no line, nor does a staged scan's, nor a line over 64 KB (a minified bundle). Every failure
// to read means "no line": a place without its line is still a place. Secrets are redacted unless
// `context.secrets` is Shown.
void add_place_context(std::vector<Incident>& incidents, const std::vector<Finding>& findings,
                       const ReportContext& context);

}  // namespace keygate
