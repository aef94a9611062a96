// This file declares the HTML reporter: one self-contained page (src/report/html/: markup, style and script,
// embedded at build time) with the report embedded as data, for people to look at, filter and triage
// findings. The page loads nothing from anywhere: its Content-Security-Policy forbids it.
#pragma once

#include <cstdio>
#include <ostream>
#include <vector>

#include "core/finding.hpp"
#include "report/html_data.hpp"
#include "report/report.hpp"

namespace keygate {

// The page, with `data` embedded. Writes only to `out`; the caller checks it.
void write_html(std::ostream& out, const HtmlData& data);

// `scan` and `history --format html`: the findings grouped by secret (one incident per rule and secret,
// its places underneath), secrets redacted unless `context.secrets` says shown. A finding of a file scan
// shows its line, every secret of the file in it redacted.
void write_html_report(std::FILE* out, const std::vector<Finding>& findings, const ReportContext& context);

}  // namespace keygate
