// This file implements the JSON reporter (see report.hpp). Each finding is one object:
//   rule, description, file, line, column, end_line, confidence (high|medium|low), secret (redacted unless
//   --show-secrets), entropy, fingerprint, inner (inside an archive at `file`: the path at each level,
//   outermost first, e.g. ["lib/app.jar", "config/.env"]; absent outside archives), decoded (how the secret
//   was encoded, when it was), kind
//   ("commit-message" or "tag-message" for a finding in a message, whose file is empty), and in history
//   scans commit, author, email, date, message; with --verify, verification; in JSON files record (JSON
//   Lines: the line) and json_pointer (RFC 6901, inside the record); explain (why a generic finding got its
//   confidence) when the rule set was asked for it (RuleOptions::explain).
#include <fmt/core.h>

#include "report/report.hpp"
#include "util/utf8.hpp"

namespace keygate {

std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
      ++i;
    } else if (c == '\n') {
      out += "\\n", ++i;
    } else if (c == '\r') {
      out += "\\r", ++i;
    } else if (c == '\t') {
      out += "\\t", ++i;
    } else if (c < 0x20 || c == 0x7f) {
      out += fmt::format("\\u{:04x}", c), ++i;
    } else if (c < 0x80) {
      out += static_cast<char>(c), ++i;
    } else if (std::size_t n = utf8_sequence_length(s, i)) {
      out.append(s.substr(i, n));
      i += n;
    } else {
      out += "\\ufffd", ++i;
    }
  }
  out += '"';
  return out;
}

std::string identity_json(const Finding& f) {
  std::string out = "{";
  for (const auto& [name, value] : f.identity) {
    if (out.size() > 1) out += ", ";
    out += json_string(name) + ": " + json_string(value);
  }
  return out + "}";
}

std::string identity_text(const Finding& f) {
  std::string out;
  for (const auto& [name, value] : f.identity) {
    if (!out.empty()) out += ", ";
    out += escape_control(name) + " " + escape_control(value);
  }
  return out;
}

const char* message_kind(SourceKind kind) {
  return kind == SourceKind::CommitMessage ? "commit-message"
         : kind == SourceKind::TagMessage  ? "tag-message"
                                           : nullptr;
}

void write_json_report(std::FILE* out, const std::vector<Finding>& findings, const ReportContext& context) {
  fmt::print(out, "[");
  bool first = true;
  for (const Finding& f : findings) {
    fmt::print(out, "{}\n  {{", first ? "" : ",");
    first = false;
    fmt::print(
        out,
        "\"rule\": {}, \"description\": {}, \"file\": {}, \"line\": {}, \"column\": {}, \"end_line\": {}, ",
        json_string(f.rule_id), json_string(f.description), json_string(f.file), f.line, f.column,
        f.end_line);
    fmt::print(out, "\"confidence\": \"{}\", ", confidence_name(f.confidence));
    fmt::print(out, "\"secret\": {}, \"entropy\": {:.2f}, \"fingerprint\": {}",
               json_string(context.secrets == Secrets::Shown ? f.secret : redacted(f.secret)), f.entropy,
               json_string(f.fingerprint));
    if (!f.inner.empty()) {
      fmt::print(out, ", \"inner\": [");
      for (std::size_t i = 0; i < f.inner.size(); ++i)
        fmt::print(out, "{}{}", i ? ", " : "", json_string(f.inner[i]));
      fmt::print(out, "]");
    }
    if (!f.decoded.empty()) fmt::print(out, ", \"decoded\": {}", json_string(f.decoded));
    if (const char* kind = message_kind(f.kind)) fmt::print(out, ", \"kind\": \"{}\"", kind);
    if (f.record != 0) fmt::print(out, ", \"record\": {}", f.record);
    if (!f.pointer.empty()) fmt::print(out, ", \"json_pointer\": {}", json_string(f.pointer));
    if (f.commit) {
      fmt::print(out, ", \"commit\": {}, \"author\": {}, \"email\": {}, \"date\": {}, \"message\": {}",
                 json_string(f.commit->id), json_string(f.commit->author), json_string(f.commit->email),
                 json_string(f.commit->date), json_string(f.commit->summary));
    }
    if (!f.verification.empty()) fmt::print(out, ", \"verification\": {}", json_string(f.verification));
    if (!f.identity.empty()) fmt::print(out, ", \"identity\": {}", identity_json(f));
    for (std::size_t i = 0; i < f.reuse.size(); ++i)
      fmt::print(out, "{}{}", i == 0 ? ", \"reuse\": [" : ", ", json_string(f.reuse[i]));
    if (!f.reuse.empty()) fmt::print(out, "]");
    if (!f.explanation.empty()) fmt::print(out, ", \"explain\": {}", json_string(f.explanation));
    fmt::print(out, "}}");
  }
  fmt::print(out, "{}]\n", findings.empty() ? "" : "\n");
}

}  // namespace keygate
