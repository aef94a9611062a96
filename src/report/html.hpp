// This file declares the HTML reporter: one self-contained page (src/report/html/: markup, style and script,
// embedded at build time) with the report embedded as data, for people to look at, filter and triage
// findings. The page loads nothing from anywhere: its Content-Security-Policy forbids it.
#pragma once

#include <cstdio>
#include <ostream>
#include <string_view>
#include <vector>

#include "core/finding.hpp"
#include "report/incidents.hpp"
#include "report/report.hpp"

namespace keygate {

// The page, with `data` embedded: totals, timeline, the incidents with their places, filters and triage.
// `kind` is what its title says the report is: "scan", "history", "audit" or "merge". Writes only to
// `out`; the caller checks it. This is what `audit` and `report merge` call for --format html.
void write_html(std::ostream& out, const Incidents& data, std::string_view kind = "audit");

// `scan` and `history --format html`: the findings grouped into incidents (group_findings, under
// KEYGATE_AUDIT_KEY when set, so that ids match an audit's, else under a key of this run only), secrets
// redacted unless `context.secrets` says shown. A finding of a file or history scan shows its line (from
// the file, or from its commit in `context.repo`), every secret found in that path redacted.
void write_html_report(std::FILE* out, const std::vector<Finding>& findings, const ReportContext& context);

}  // namespace keygate
