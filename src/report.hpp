// This file declares the reporters, the last stage: plain functions from findings to output.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "finding.hpp"

namespace keygate {

enum class Format { Text, Json, Sarif };
enum class Secrets { Redacted, Shown };
struct ReportContext {
  SourceKind source = SourceKind::File;  // which scan ran: Staged, Commit (history) or File (scan)
  Secrets secrets = Secrets::Redacted;
  std::string version;  // keygate's, for SARIF
};

// What SARIF says about each rule.
struct RuleInfo {
  std::string id;
  std::string description;
  std::vector<std::string> tags;
};

// Human-readable: each finding with its place, rule and redacted secret, then how to fix and bypass.
void write_text_report(std::FILE* out, const std::vector<Finding>& findings, const ReportContext& context);

// A JSON array with one object per finding; the field list is documented in README.md.
void write_json_report(std::FILE* out, const std::vector<Finding>& findings, const ReportContext& context);

// SARIF 2.1.0 for GitHub code scanning: every rule in `rules`, one result per finding, stable fingerprints,
// redacted secrets.
void write_sarif_report(std::FILE* out, const std::vector<Finding>& findings, const ReportContext& context,
                        const std::vector<RuleInfo>& rules);

// The fingerprints in a keygate JSON report (--baseline). Throws Error naming the file if it is not one.
std::vector<std::string> read_baseline_fingerprints(const std::string& path);

// `s` as a JSON string literal (quotes included); invalid UTF-8 bytes become U+FFFD.
std::string json_string(std::string_view s);

}  // namespace keygate
