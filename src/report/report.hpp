// This file declares the reporters, the last stage: plain functions from findings to output.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "core/finding.hpp"

namespace keygate {

enum class Format { Text, Json, Sarif, Gitlab, Html };
enum class Color { Auto, Always, Never };
enum class Secrets { Redacted, Shown };
struct ReportContext {
  SourceKind source = SourceKind::File;  // which scan ran: Staged, Commit, File, CommitMessage
  Secrets secrets = Secrets::Redacted;
  std::string version;    // keygate's, for SARIF
  bool color = false;     // text only: ANSI colour and emphasis
  long long started = 0;  // when the scan began (time_t), for the GitLab report; 0: unknown
  std::string repo;       // staged and history: the repository read (--repo; empty: the current one)
  std::string gap;        // empty iff the scan read everything; else what it could not (the first warning)
};

// "commit-message" or "tag-message" for a finding in a message (whose file is empty): the JSON report's
// `kind` and SARIF's logical location kind. Null for every other source.
const char* message_kind(SourceKind kind);

// "auto", "always" or "never" (--color). Throws Error otherwise.
Color parse_color(const std::string& word);

// Whether text written to `fd` gets colour: always, never, or (auto) when `fd` is a terminal, NO_COLOR is
// unset or empty and TERM is not "dumb".
bool use_color(Color choice, int fd);

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

// SARIF's `"invocations": [...]` member for a run: executionSuccessful is false iff `gap` (what the scan
// could not read, ReportContext::gap) is not empty, and then a notification says it, so that an incomplete
// scan never reads as a clean one in a SARIF viewer.
std::string sarif_invocations(std::string_view gap);

// GitLab's scan `"status": ...` member: "success", or "failure" with a message saying `gap` when not empty.
std::string gitlab_scan_status(std::string_view gap);

// GitLab's secret detection report (security-report-schemas, secret-detection-report-format.json, 15.x):
// one vulnerability per finding, with the commit in history scans; secrets redacted.
void write_gitlab_report(std::FILE* out, const std::vector<Finding>& findings, const ReportContext& context);

// The fingerprints in a keygate JSON report (--baseline). Throws Error naming the file if it is not one.
std::vector<std::string> read_baseline_fingerprints(const std::string& path);

// `s` as a JSON string literal (quotes included); invalid UTF-8 bytes become U+FFFD.
std::string json_string(std::string_view s);

// A finding's identity (--verify) as a JSON object {"name": "value", ...}, names in their order.
std::string identity_json(const Finding& f);
// ... and as one line of text: "name value, name value".
std::string identity_text(const Finding& f);

}  // namespace keygate
