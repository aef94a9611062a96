// This file implements the GitLab reporter (see report.hpp): the secret detection report that a GitLab CI
// job publishes as `artifacts: reports: secret_detection`, following GitLab's security-report-schemas
// (secret-detection-report-format.json, schema 15.0.x). Facts from that schema, not code from GitLab.
#include <fmt/core.h>
#include <git2.h>

#include <ctime>

#include "report/report.hpp"

namespace keygate {
namespace {

constexpr std::string_view kSchemaVersion = "15.0.7";

// The schema's date-time form: UTC, seconds, no zone suffix.
std::string schema_time(std::time_t t) {
  std::tm utc{};
  gmtime_r(&t, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  return text;
}

// A stable UUID-shaped id for one occurrence: the same finding in the same commit keeps its id between
// pipelines, so GitLab tracks it instead of reporting it anew.
std::string occurrence_id(const Finding& f) {
  const std::string key =
      f.fingerprint + "\n" + (f.commit ? f.commit->id : "") + "\n" + std::to_string(f.line);
  git_oid oid;
  git_odb_hash(&oid, key.data(), key.size(), GIT_OBJECT_BLOB);
  char hex[GIT_OID_HEXSZ + 1];
  git_oid_tostr(hex, sizeof hex, &oid);
  const std::string h(hex);
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" +
         h.substr(20, 12);
}

std::string tool(const ReportContext& context) {
  return fmt::format(R"({{"id": "keygate", "name": "keygate", "url": "https://github.com/keygate/keygate", )"
                     R"("vendor": {{"name": "keygate"}}, "version": {}}})",
                     json_string(context.version.empty() ? "0.0.0" : context.version));
}

}  // namespace

std::string gitlab_scan_status(std::string_view gap) {
  if (gap.empty()) return "\"status\": \"success\"";
  // The schema's scan.messages: level info, warn or fatal. The scan ran to its end, with a gap.
  return fmt::format("\"status\": \"failure\", \"messages\": [{{\"level\": \"warn\", \"value\": {}}}]",
                     json_string("incomplete scan, not clean: " + std::string(gap)));
}

void write_gitlab_report(std::FILE* out, const std::vector<Finding>& findings, const ReportContext& context) {
  const std::time_t end = std::time(nullptr);
  const std::time_t start = context.started != 0 ? static_cast<std::time_t>(context.started) : end;
  fmt::print(out, "{{\n  \"version\": {},\n  \"vulnerabilities\": [", json_string(kSchemaVersion));
  bool first = true;
  for (const Finding& f : findings) {
    const std::string secret = context.secrets == Secrets::Shown ? f.secret : redacted(f.secret);
    const std::string name = f.description.empty() ? f.rule_id : f.description;
    fmt::print(out, "{}\n    {{\"id\": {}, \"category\": \"secret_detection\", \"name\": {}, ",
               first ? "" : ",", json_string(occurrence_id(f)), json_string(name));
    first = false;
    fmt::print(out, "\"description\": {}, \"severity\": \"Critical\", ",
               json_string(fmt::format("{} detected by rule {}: {}{} (fingerprint {}){}{}", name, f.rule_id,
                                       secret, f.inner.empty() ? "" : " in " + full_path(f), f.fingerprint,
                                       f.verification.empty() ? "" : "; verification " + f.verification,
                                       f.identity.empty() ? "" : "; identity " + identity_text(f))));
    fmt::print(
        out, "\"solution\": {}, ",
        json_string("Revoke the secret with its provider, remove it from the code and load it at run time. "
                    "To accept this finding, add its fingerprint to .keygateignore."));
    // Outside history there is no commit; GitLab's own analyzer writes this placeholder then.
    const CommitInfo none{"0000000", "", "", "", ""};
    const CommitInfo& commit = f.commit ? *f.commit : none;
    fmt::print(out, "\"location\": {{\"file\": {}, \"commit\": {{\"sha\": {}", json_string(f.file),
               json_string(commit.id));
    if (f.commit) {
      fmt::print(out, ", \"author\": {}, \"date\": {}, \"message\": {}",
                 json_string(commit.author + " <" + commit.email + ">"), json_string(commit.date),
                 json_string(commit.summary));
    }
    fmt::print(out, "}}");
    if (f.line > 0)
      fmt::print(out, ", \"start_line\": {}, \"end_line\": {}", f.line, std::max(f.line, f.end_line));
    fmt::print(out, "}}, ");
    fmt::print(out, "\"identifiers\": [{{\"type\": \"keygate_rule_id\", \"name\": {}, \"value\": {}}}]}}",
               json_string("keygate rule " + f.rule_id), json_string(f.rule_id));
  }
  fmt::print(out, "{}],\n", findings.empty() ? "" : "\n  ");
  fmt::print(out,
             "  \"scan\": {{\"analyzer\": {}, \"scanner\": {}, \"type\": \"secret_detection\", {}, "
             "\"start_time\": \"{}\", \"end_time\": \"{}\"}}\n}}\n",
             tool(context), tool(context), gitlab_scan_status(context.gap), schema_time(start),
             schema_time(end));
}

}  // namespace keygate
