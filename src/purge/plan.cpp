// This file implements purge's plan (see plan.hpp): collecting the secrets and their forms, writing the
// rewriters' files, reading them back for `purge --check`, and the checklist that follows a rewrite.
#include "purge/plan.hpp"

#include <fmt/core.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <set>

#include "core/error.hpp"
#include "util/file_io.hpp"
#include "util/json_walk.hpp"

namespace keygate::purge {
namespace {

constexpr std::size_t kMinSpanLine = 16;

bool has_line_break(std::string_view s) { return s.find_first_of("\r\n") != std::string_view::npos; }

PurgeSecret* find_secret(Plan& plan, std::string_view secret) {
  for (PurgeSecret& s : plan.secrets) {
    if (s.secret == secret) return &s;
  }
  return nullptr;
}

void add_form(Plan& plan, PurgeSecret& s, std::string form) {
  if (form.empty() || std::find(s.forms.begin(), s.forms.end(), form) != s.forms.end()) return;
  if (has_line_break(form)) {
    plan.warnings.push_back("a form of the " + s.rule +
                            " secret holds a line break, which no expressions file can hold: it is left "
                            "out (its lines are not)");
    return;
  }
  s.forms.push_back(std::move(form));
}

// Python's re.escape for bytes, as BFG reads regexes (Java): every byte that is not a letter or digit is
// escaped; bytes past ASCII as \xHH.
std::string regex_escape(std::string_view s) {
  std::string out;
  for (const char c : s) {
    const auto b = static_cast<unsigned char>(c);
    if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')) {
      out += c;
    } else {
      out += fmt::format("\\x{:02x}", b);
    }
  }
  return out;
}

}  // namespace

void Plan::add(std::string_view secret, std::string_view rule, std::string_view chain) {
  PurgeSecret* s = find_secret(*this, secret);
  if (s == nullptr) {
    secrets.push_back(PurgeSecret{std::string(secret), std::string(rule), {}});
    s = &secrets.back();
    add_form(*this, *s, std::string(secret));
  }
  for (std::string& form : encoded_forms(secret, chain)) add_form(*this, *s, std::move(form));
}

void Plan::add_encoded_span(std::string_view secret, std::string_view span) {
  PurgeSecret* s = find_secret(*this, secret);
  if (s == nullptr) return;
  if (!has_line_break(span)) {
    add_form(*this, *s, std::string(span));
    return;
  }
  for (std::size_t at = 0; at < span.size();) {
    std::size_t end = span.find('\n', at);
    if (end == std::string_view::npos) end = span.size();
    std::string_view line = span.substr(at, end - at);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    if (line.size() >= kMinSpanLine) add_form(*this, *s, std::string(line));
    at = end + 1;
  }
}

std::vector<std::string> Plan::literals() const {
  std::set<std::string> unique;
  for (const PurgeSecret& s : secrets) unique.insert(s.forms.begin(), s.forms.end());
  std::vector<std::string> out(unique.begin(), unique.end());
  std::stable_sort(out.begin(), out.end(),
                   [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  return out;
}

std::string filter_repo_expressions(const Plan& plan) {
  std::string out;
  for (const std::string& form : plan.literals())
    out += "literal:" + form + "==>" + std::string(kReplacement) + "\n";
  return out;
}

std::string bfg_replacements(const Plan& plan) {
  std::string out;
  for (const std::string& form : plan.literals()) {
    const bool looks_like_prefix = form.rfind("regex:", 0) == 0 || form.rfind("glob:", 0) == 0;
    out +=
        (looks_like_prefix ? "regex:" + regex_escape(form) : form) + "==>" + std::string(kReplacement) + "\n";
  }
  return out;
}

std::vector<std::string> read_expressions(std::string_view text, const std::string& place) {
  std::vector<std::string> literals;
  int line_number = 0;
  for (std::size_t at = 0; at < text.size();) {
    std::size_t end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(at, end - at);
    at = end + 1;
    ++line_number;
    while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.remove_suffix(1);
    // As git filter-repo reads it: the replacement after the last "==>".
    if (const std::size_t arrow = line.rfind("==>"); arrow != std::string_view::npos)
      line = line.substr(0, arrow);
    if (line.rfind("regex:", 0) == 0 || line.rfind("glob:", 0) == 0) {
      throw Error(place + ":" + std::to_string(line_number) +
                  ": a regex or glob expression; purge --check looks for literals only (make the file with "
                  "keygate purge)");
    }
    if (line.rfind("literal:", 0) == 0) line.remove_prefix(8);
    if (!line.empty()) literals.emplace_back(line);
  }
  if (literals.empty()) throw Error(place + ": no literal to look for (make the file with keygate purge)");
  return literals;
}

void add_report(Plan& plan, std::string_view text, const std::string& place) {
  // Each finding is an object of the report's array: its members come before it (json_walk.hpp).
  std::map<std::string, std::string> fields;  // of the object being read
  std::size_t findings = 0;
  std::string redacted_rule;
  JsonError error;
  const bool valid = walk_json(
      text,
      [&](const JsonValue& v) {
        if (v.depth == 2 && text[v.begin] == '"') fields[std::string(v.key)] = json_string(text, v);
        if (v.depth != 1) return;
        if (text[v.begin] == '{' && fields.count("secret") != 0 && fields.count("rule") != 0) {
          const std::string& secret = fields["secret"];
          // redacted() writes a prefix, "…" and the last four characters.
          if (secret.find("\xE2\x80\xA6") != std::string::npos) redacted_rule = fields["rule"];
          if (!secret.empty()) plan.add(secret, fields["rule"], fields["decoded"]);
          ++findings;
        }
        fields.clear();
      },
      &error);
  if (!valid) {
    throw Error(place + ": byte " + std::to_string(error.at) + ": not a keygate JSON report: " + error.what);
  }
  if (!text.empty() && text.find_first_not_of(" \t\r\n") != std::string_view::npos &&
      text[text.find_first_not_of(" \t\r\n")] != '[') {
    throw Error(place + ": not a keygate JSON report (an array of findings)");
  }
  if (!redacted_rule.empty()) {
    throw Error(place + ": the secrets are redacted (a " + redacted_rule +
                " finding, for one); make the report with --show-secrets, or let keygate purge run the "
                "history scan itself");
  }
  (void)findings;
}

std::string after_rewrite_checklist(const std::string& expressions, const std::string& bfg) {
  return fmt::format(
      "After a leak, in this order:\n"
      "  1. Revoke or rotate every key first (keygate history --verify says which still work): a rewrite\n"
      "     does not un-leak a key that was pushed, cloned, cached or mirrored.\n"
      "  2. Rewrite history (on a fresh clone, with every ref fetched: git fetch origin '+refs/*:refs/*'):\n"
      "       git filter-repo --replace-text {0} --replace-message {0}\n"
      "     or with BFG:  bfg --replace-text {1} --no-blob-protection\n"
      "     (or: keygate purge --rewrite, which runs git filter-repo for you on a clean work tree)\n"
      "  3. Remove what the rewrite leaves behind here:\n"
      "       git for-each-ref --format='delete %(refname)' refs/original | git update-ref --stdin\n"
      "       git stash clear        (the stash is not rewritten)\n"
      "       git reflog expire --expire=now --all && git gc --prune=now\n"
      "  4. Prove it: keygate purge --check (every object, reachable or not, the reflogs, stash and refs)\n"
      "  5. Force-push every ref, tags and notes included:\n"
      "       git push --force --mirror origin   (or: git push --force --all && git push --force --tags &&\n"
      "       git push --force origin 'refs/notes/*')\n"
      "  6. On the hosting side: pull-request refs (refs/pull/*, refs/merge-requests/*) are read-only to\n"
      "     you; ask the host's support to purge them and its caches (GitHub: remove cached views and\n"
      "     unreferenced objects; GitLab: housekeeping / prune unreachable objects); delete forks you own.\n"
      "  7. Every collaborator deletes their clone and clones afresh (a pull would merge the old history\n"
      "     back); CI caches, build artefacts and mirrors that hold a clone are cleared too.\n"
      "  8. Keep {0} and {1} private (mode 0600) and delete them when done: they hold the secrets.\n"
      "Fingerprints, .keygateignore and --baseline reports stay valid: a fingerprint holds no commit id.\n",
      expressions, bfg);
}

void write_private_file(const std::string& path, std::string_view content) {
  FileReplacement file(path);
  file.keep_attributes(0600, ::getuid(), ::getgid());
  for (std::size_t done = 0; done < content.size();) {
    const ssize_t n = ::write(file.fd(), content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw Error(path + ": cannot write: " + std::strerror(n < 0 ? errno : EIO));
    done += static_cast<std::size_t>(n);
  }
  file.commit();
}

}  // namespace keygate::purge
