// This file implements the SARIF 2.1.0 reporter (see report.hpp), in the form GitHub code scanning accepts:
// every rule of the rule set under tool.driver.rules, one result per finding with a redacted message, a
// region, and the finding's fingerprint as a partial fingerprint.
#include <fmt/core.h>

#include "report/report.hpp"

namespace keygate {
namespace {

// A relative path as a URI reference: unreserved characters and '/' stay, everything else is %XX.
std::string uri_of(std::string_view path) {
  std::string out;
  for (unsigned char c : path) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
        c == '_' || c == '~' || c == '/') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

}  // namespace

std::string sarif_invocations(std::string_view gap) {
  if (gap.empty()) return "\"invocations\": [{\"executionSuccessful\": true}]";
  return fmt::format(
      "\"invocations\": [{{\"executionSuccessful\": false, \"toolExecutionNotifications\": [{{\"level\": "
      "\"error\", \"message\": {{\"text\": {}}}}}]}}]",
      json_string("incomplete scan, not clean: " + std::string(gap)));
}

void write_sarif_report(std::FILE* out, const std::vector<Finding>& findings, const ReportContext& context,
                        const std::vector<RuleInfo>& rules) {
  fmt::print(
      out,
      "{{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n  \"version\": \"2.1.0\",\n");
  fmt::print(out, "  \"runs\": [\n    {{\n      \"tool\": {{\n        \"driver\": {{\n");
  fmt::print(out, "          \"name\": \"keygate\",\n          \"version\": {},\n",
             json_string(context.version));
  fmt::print(out, "          \"rules\": [");
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const RuleInfo& r = rules[i];
    fmt::print(out, "{}\n            {{\"id\": {}, \"name\": {}, \"shortDescription\": {{\"text\": {}}}, ",
               i ? "," : "", json_string(r.id), json_string(r.id),
               json_string(r.description.empty() ? r.id : r.description));
    fmt::print(
        out, "\"defaultConfiguration\": {{\"level\": \"error\"}}, \"properties\": {{\"tags\": [\"security\"");
    for (const std::string& tag : r.tags) fmt::print(out, ", {}", json_string(tag));
    fmt::print(out, "]}}}}");
  }
  fmt::print(out, "\n          ]\n        }}\n      }},\n      \"results\": [");
  for (std::size_t i = 0; i < findings.size(); ++i) {
    const Finding& f = findings[i];
    std::size_t rule_index = 0;
    while (rule_index < rules.size() && rules[rule_index].id != f.rule_id) ++rule_index;
    const std::string secret = context.secrets == Secrets::Shown ? f.secret : redacted(f.secret);
    fmt::print(out, "{}\n        {{\"ruleId\": {}, ", i ? "," : "", json_string(f.rule_id));
    if (rule_index < rules.size()) fmt::print(out, "\"ruleIndex\": {}, ", rule_index);
    // SARIF levels: high and medium confidence are errors, low a warning.
    fmt::print(out, "\"level\": \"{}\", \"message\": {{\"text\": {}}}, ",
               f.confidence == Confidence::Low ? "warning" : "error",
               json_string((f.description.empty() ? f.rule_id : f.description) + ": " + secret));
    if (const char* kind = message_kind(f.kind)) {
      // A message is not a file: a logical location names the commit (or tag) and the line in its message.
      const bool tag = f.kind == SourceKind::TagMessage;
      const std::string name = std::string(tag ? "tag " : "commit ") +
                               (f.commit ? (tag ? f.commit->summary : f.commit->id) : std::string()) +
                               " message:" + std::to_string(f.line);
      fmt::print(out, "\"locations\": [{{\"logicalLocations\": [{{\"name\": {}, \"kind\": {}}}]}}], ",
                 json_string(name), json_string(kind));
    } else {
      fmt::print(
          out,
          "\"locations\": [{{\"physicalLocation\": {{\"artifactLocation\": {{\"uri\": {}}}, \"region\": "
          "{{\"startLine\": {}, \"startColumn\": {}, \"endLine\": {}}}}}",
          json_string(uri_of(f.file)), std::max(f.line, 1), std::max(f.column, 1),
          std::max(f.end_line, std::max(f.line, 1)));
      // Inside an archive the artifact is the archive; a logical location names the entry (the region's
      // line is the entry's), its fully qualified name the whole path, archive!entry.
      if (!f.inner.empty()) {
        fmt::print(
            out,
            ", \"logicalLocations\": [{{\"name\": {}, \"fullyQualifiedName\": {}, \"kind\": \"resource\"}}]",
            json_string(f.inner.back()), json_string(full_path(f)));
      }
      fmt::print(out, "}}], ");
    }
    fmt::print(out, "\"partialFingerprints\": {{\"keygate/v1\": {}}}", json_string(f.fingerprint));
    if (f.commit || !f.decoded.empty() || !f.verification.empty() || f.record != 0 || !f.pointer.empty()) {
      fmt::print(out, ", \"properties\": {{");
      const char* separator = "";
      if (f.commit) {
        fmt::print(out, "\"commit\": {}, \"author\": {}, \"date\": {}", json_string(f.commit->id),
                   json_string(f.commit->author), json_string(f.commit->date));
        separator = ", ";
      }
      if (!f.decoded.empty()) {
        fmt::print(out, "{}\"decoded\": {}", separator, json_string(f.decoded));
        separator = ", ";
      }
      if (f.record != 0) {
        fmt::print(out, "{}\"record\": {}", separator, f.record);
        separator = ", ";
      }
      if (!f.pointer.empty()) {
        fmt::print(out, "{}\"jsonPointer\": {}", separator, json_string(f.pointer));
        separator = ", ";
      }
      if (!f.verification.empty()) {
        fmt::print(out, "{}\"verification\": {}", separator, json_string(f.verification));
        separator = ", ";
      }
      if (!f.identity.empty()) fmt::print(out, "{}\"identity\": {}", separator, identity_json(f));
      fmt::print(out, "}}");
    }
    fmt::print(out, "}}");
  }
  fmt::print(out, "{}],\n      {}\n    }}\n  ]\n}}\n", findings.empty() ? "" : "\n      ",
             sarif_invocations(context.gap));
}

}  // namespace keygate
