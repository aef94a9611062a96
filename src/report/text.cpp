// This file implements the text reporter (see report.hpp), the only one with colour. Every name from a
// repository (paths, authors) goes through escape_control: a file name must not drive the terminal.
#include <fmt/core.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

#include "core/error.hpp"
#include "report/report.hpp"
#include "util/utf8.hpp"

namespace keygate {

Color parse_color(const std::string& word) {
  if (word == "auto") return Color::Auto;
  if (word == "always") return Color::Always;
  if (word == "never") return Color::Never;
  throw Error("--color: unknown value \"" + word + "\" (auto, always or never)");
}

bool use_color(Color choice, int fd) {
  if (choice != Color::Auto) return choice == Color::Always;
  // https://no-color.org: a non-empty NO_COLOR turns colour off; TERM=dumb terminals cannot show it.
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color != nullptr && *no_color != '\0') return false;
  const char* term = std::getenv("TERM");
  if (term != nullptr && std::strcmp(term, "dumb") == 0) return false;
  return ::isatty(fd) != 0;
}

namespace {

// `text` in an SGR style ("1;31") when colour is on.
std::string styled(const ReportContext& context, const char* sgr, const std::string& text) {
  if (!context.color) return text;
  return fmt::format("\x1b[{}m{}\x1b[0m", sgr, text);
}

}  // namespace

void write_text_report(std::FILE* out, const std::vector<Finding>& findings, const ReportContext& context) {
  if (findings.empty()) return;
  const char* where = context.source == SourceKind::Staged   ? " in the staged changes"
                      : context.source == SourceKind::Commit ? " in the history"
                                                             : "";
  fmt::print(out, "keygate: {} secret{} found{}\n\n", findings.size(), findings.size() == 1 ? "" : "s",
             where);
  for (const Finding& f : findings) {
    const std::string secret = context.secrets == Secrets::Shown ? f.secret : redacted(f.secret);
    const std::string what =
        styled(context, "1;31", f.rule_id) + (f.description.empty() ? "" : " (" + f.description + ")");
    const std::string file = escape_control(full_path(f));  // archive!entry for a finding in an archive
    const bool tag = f.kind == SourceKind::TagMessage;
    std::string place;
    if (message_kind(f.kind) != nullptr && f.line > 0) {  // a commit or tag message: no file
      const std::string whose = tag ? "tag " + escape_control(f.commit ? f.commit->summary : std::string())
                                : f.commit ? "commit " + f.commit->id.substr(0, 12)
                                           : "commit";
      place = fmt::format("{} message:{}:{}", whose, f.line, f.column);
    } else if (message_kind(f.kind) != nullptr) {
      place = tag ? "(tag message)" : "(commit message)";
    } else if (f.line > 0) {
      place = fmt::format("{}:{}:{}", file, f.line, f.column);
    } else {
      place = file;
    }
    fmt::print(out, "{}: {}\n", styled(context, "1;35", place), what);
    if (f.commit) {
      fmt::print(out, "    commit       {} {} <{}> {}\n", styled(context, "33", f.commit->id.substr(0, 12)),
                 escape_control(f.commit->author), escape_control(f.commit->email), f.commit->date);
    }
    fmt::print(out, "    secret       {}\n", styled(context, "1;33", escape_control(secret)));
    fmt::print(out, "    confidence   {}\n", confidence_name(f.confidence));
    if (!f.decoded.empty()) fmt::print(out, "    decoded      {}\n", f.decoded);
    if (!f.verification.empty()) fmt::print(out, "    verification {}\n", f.verification);
    if (!f.identity.empty()) fmt::print(out, "    identity     {}\n", identity_text(f));
    if (!f.reuse.empty()) {
      std::string places;
      for (const std::string& p : f.reuse) places += (places.empty() ? "" : "; ") + escape_control(p);
      fmt::print(out, "    reuse        the same key in several environments ({}): give each its own key\n",
                 places);
    }
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
  } else if (context.source == SourceKind::CommitMessage) {
    fmt::print(
        out,
        "The commit was blocked: its message holds a secret. To fix: commit again with the secret taken out\n"
        "of the message (git keeps the one you wrote in .git/COMMIT_EDITMSG), and revoke the key with its\n"
        "provider if it was shared. A false positive? Put `keygate:allow` on that line of the message.\n"
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
