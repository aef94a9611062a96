// This file implements the text reporter (see report.hpp).
#include <fmt/core.h>

#include "report.hpp"

namespace keygate {

void write_text_report(std::FILE* out, const std::vector<Finding>& findings, const ReportContext& context) {
  if (findings.empty()) return;
  const char* where = context.source == SourceKind::Staged   ? " in the staged changes"
                      : context.source == SourceKind::Commit ? " in the history"
                                                             : "";
  fmt::print(out, "keygate: {} secret{} found{}\n\n", findings.size(), findings.size() == 1 ? "" : "s",
             where);
  for (const Finding& f : findings) {
    const std::string secret = context.secrets == Secrets::Shown ? f.secret : redact(f.secret);
    const std::string what = f.description.empty() ? f.rule_id : f.rule_id + " (" + f.description + ")";
    if (f.file.empty()) {
      fmt::print(out, "{}: {}\n", f.kind == SourceKind::TagMessage ? "(tag message)" : "(commit message)",
                 what);
    } else if (f.line > 0) {
      fmt::print(out, "{}:{}:{}: {}\n", f.file, f.line, f.column, what);
    } else {
      fmt::print(out, "{}: {}\n", f.file, what);
    }
    if (f.commit) {
      fmt::print(out, "    commit       {} {} <{}> {}\n", f.commit->id.substr(0, 12), f.commit->author,
                 f.commit->email, f.commit->date);
    }
    fmt::print(out, "    secret       {}\n", secret);
    if (!f.decoded.empty()) fmt::print(out, "    decoded      {}\n", f.decoded);
    if (f.record != 0) {
      fmt::print(out, "    record       {}{}{}\n", f.record, f.pointer.empty() ? "" : ", ", f.pointer);
    } else if (!f.pointer.empty()) {
      fmt::print(out, "    json pointer {}\n", f.pointer);
    }
    fmt::print(out, "    fingerprint  {}\n\n", f.fingerprint);
  }
  if (context.source == SourceKind::Staged) {
    fmt::print(
        out,
        "The commit was blocked. To fix: remove the secret from the file, `git add` it again, and load the\n"
        "secret at run time instead (an environment variable or a secrets manager). If the key was ever\n"
        "pushed, shared or logged, revoke it with its provider.\n"
        "A false positive? Put `keygate:allow` in a comment on that line, or add its fingerprint to\n"
        ".keygateignore.\n"
        "To bypass this check once (you take responsibility): git commit --no-verify\n");
  } else if (context.source == SourceKind::Commit) {
    fmt::print(
        out,
        "Secrets in history stay readable in every clone: revoke each key with its provider first, then\n"
        "rewrite history if you must. To accept a finding, add its fingerprint to .keygateignore.\n");
  } else {
    fmt::print(out,
               "To fix: remove each secret and load it at run time instead; revoke any key that was shared.\n"
               "A false positive? Put `keygate:allow` in a comment on that line, or add its fingerprint to\n"
               ".keygateignore.\n");
  }
}

}  // namespace keygate
