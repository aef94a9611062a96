// This file declares the reader of other secret scanners' reports and ignore files (gitleaks, TruffleHog,
// detect-secrets, any SARIF producer): their findings as PeerFinding, so that a team moving to keygate keeps
// its triage (`keygate baseline import`) and `report merge` can put them beside keygate's own.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace keygate::interop {

// One finding (or one ignore entry) of another tool, in that tool's own words. Fields a format does not
// carry are empty (0 for line).
struct PeerFinding {
  std::string tool;         // "gitleaks", "trufflehog", "detect-secrets", or the SARIF driver's name
  std::string rule;         // the tool's rule id / detector name / secret type
  std::string file;         // path inside the repository, as the tool wrote it
  std::string commit;       // the commit id when the tool gives one
  std::string secret;       // the raw secret when the tool gives it (gitleaks, TruffleHog); may be empty
  std::string fingerprint;  // the tool's own identity of the finding (gitleaks Fingerprint, detect-secrets
                            // hashed_secret, SARIF fingerprint), verbatim
  std::string date;
  std::string author;
  std::string repository;
  int line = 0;  // 1-based; 0 when unknown
  // The tool's own triage of the finding, when it keeps one: "false_positive" (detect-secrets is_secret
  // false), "true_positive" (is_secret true), "ignored" (a .gitleaksignore entry); empty: not triaged.
  std::string triage;
};

enum class PeerFormat {
  GitleaksJson,           // `gitleaks detect --report-format json`: one array of objects
  GitleaksIgnore,         // .gitleaksignore: one fingerprint a line, "#" comments
  TrufflehogJson,         // `trufflehog ... --json`: one JSON object a line
  DetectSecretsBaseline,  // .secrets.baseline: {"results": {"file":
                          // [{"type","hashed_secret","line_number"}]}}
  Sarif,                  // SARIF 2.1.0 from any tool
};

// The format of `text`, judged from its content first and its file name second (".gitleaksignore",
// ".secrets.baseline"); nullopt when it is none of them.
std::optional<PeerFormat> sniff(std::string_view text, std::string_view file_name);

// The findings of `text` read as `format`. Throws Error("<place>: <what is wrong>") when the text is not
// valid in that format (invalid JSON with its byte offset, a missing required field with its JSON pointer,
// a .gitleaksignore line that is not a fingerprint with its line number). Never returns a half-read report.
std::vector<PeerFinding> read_peer_report(std::string_view text, PeerFormat format, const std::string& place);

// The format's name as the user would write it: "gitleaks-json", "gitleaksignore", "trufflehog-json",
// "detect-secrets", "sarif".
std::string_view format_name(PeerFormat format);

}  // namespace keygate::interop
