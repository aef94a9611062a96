// This file implements the command line's reading (see cli.hpp: parse_options): the command word, the
// options before the first path, and the checks that name a bad value.
#include <fmt/core.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <string>

#include "cli/cli.hpp"
#include "cli/help.hpp"
#include "core/error.hpp"
#include "detect/decode.hpp"

namespace keygate {
namespace {

std::uint64_t parse_size(const std::string& text) {
  char* end = nullptr;
  errno = 0;
  const unsigned long long value = std::strtoull(text.c_str(), &end, 10);
  std::uint64_t scale = 1;
  if (end != nullptr && *end != '\0') {
    const std::string suffix(end);
    if (suffix == "K" || suffix == "k") {
      scale = 1ull << 10;
    } else if (suffix == "M" || suffix == "m") {
      scale = 1ull << 20;
    } else if (suffix == "G" || suffix == "g") {
      scale = 1ull << 30;
    } else {
      throw Error("--max-file-size: not a size: \"" + text + "\"");
    }
  }
  if (errno != 0 || end == text.c_str() || text[0] == '-')
    throw Error("--max-file-size: not a size: \"" + text + "\"");
  return value * scale;
}

Command parse_command(const std::string& word) {
  if (word == "staged") return Command::Staged;
  if (word == "scan") return Command::Scan;
  if (word == "history") return Command::History;
  if (word == "commit-msg") return Command::CommitMsg;
  if (word == "ignore") return Command::Ignore;
  if (word == "install") return Command::Install;
  if (word == "uninstall") return Command::Uninstall;
  if (word == "rules") return Command::Rules;
  if (word == "pre-receive") return Command::PreReceive;
  if (word == "pre-push") return Command::PrePush;
  if (word == "redact") return Command::Redact;
  if (word == "version" || word == "--version") return Command::Version;
  if (word == "help" || word == "--help" || word == "-h") return Command::Help;
  const std::string near = closest_name(word, true);
  throw Error("unknown command \"" + word + "\"" + (near.empty() ? "" : "; did you mean \"" + near + "\"?") +
              " (see keygate --help)");
}

}  // namespace

Options parse_options(int argc, char** argv) {
  Options o;
  if (argc < 2) return o;
  o.command = parse_command(argv[1]);
  bool only_args = false;
  for (int i = 2; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&](const std::string& name) -> std::string {
      const std::string prefix = name + "=";
      if (a.rfind(prefix, 0) == 0) return a.substr(prefix.size());
      if (i + 1 >= argc) throw Error(name + " needs a value");
      return argv[++i];
    };
    auto is = [&](const std::string& name) { return a == name || a.rfind(name + "=", 0) == 0; };
    // Options go before the first path: after it, anything is a path, so that a file named like an
    // option (`keygate scan *` in a folder holding "--show-secrets") cannot change what keygate does.
    // (`ignore`'s first word says which scan; it is not a path.)
    const bool past_paths =
        !o.args.empty() && !(o.command == Command::Ignore && o.args.size() == 1 &&
                             (o.args[0] == "staged" || o.args[0] == "scan" || o.args[0] == "history"));
    // history's arguments are revisions in git's syntax, whose own options (`NEW --not --all`) are
    // revisions too, wherever they stand.
    const bool history = o.command == Command::History ||
                         (o.command == Command::Ignore && !o.args.empty() && o.args[0] == "history");
    const bool revision_option =
        history && (a == "--not" || a == "--all" || is("--branches") || is("--remotes") || is("--tags"));
    if (only_args || past_paths || revision_option || a == "-" || a.empty() || a[0] != '-') {
      o.args.push_back(a);
    } else if (a == "--") {
      only_args = true;
    } else if (is("--repo")) {
      o.repo = value("--repo");
    } else if (is("--hook")) {
      o.hooks.push_back(value("--hook"));
    } else if (is("--config")) {
      o.config_file = value("--config");
    } else if (is("--baseline")) {
      o.baseline = value("--baseline");
    } else if (is("--since-commit")) {
      o.since_commit = value("--since-commit");
    } else if (is("--format") && o.command == Command::Redact) {
      const std::string f = value("--format");
      if (f == "text") {
        o.redact.format = RedactFormat::Text;
      } else if (f == "json") {
        o.redact.format = RedactFormat::Json;
      } else if (f == "jsonl") {
        o.redact.format = RedactFormat::Jsonl;
      } else {
        throw Error("--format: unknown input format \"" + f + "\" for redact (text, json or jsonl)");
      }
    } else if (is("--format")) {
      const std::string f = value("--format");
      if (f == "text") {
        o.format = Format::Text;
      } else if (f == "json") {
        o.format = Format::Json;
      } else if (f == "sarif") {
        o.format = Format::Sarif;
      } else if (f == "gitlab") {
        o.format = Format::Gitlab;
      } else {
        throw Error("--format: unknown format \"" + f + "\" (text, json, sarif or gitlab)");
      }
    } else if (is("--min-confidence")) {
      const std::string c = value("--min-confidence");
      Confidence parsed;
      if (!parse_confidence(c, &parsed))
        throw Error("--min-confidence: not a level: \"" + c + "\" (high, medium or low)");
      o.min_confidence = parsed;
    } else if (is("--color") || is("--colour")) {
      o.color = parse_color(value(a.rfind("--colour", 0) == 0 ? "--colour" : "--color"));
    } else if (a == "--help" || a == "-h") {
      o.args = {argv[1]};  // `keygate COMMAND --help` is `keygate help COMMAND`
      o.command = Command::Help;
      return o;
    } else if (a == "--show-secrets") {
      // A glob can still put a file of that name first (`-` sorts before letters): refuse rather than
      // print every key whole because of a file name.
      if (::access(a.c_str(), F_OK) == 0) {
        throw Error(
            "--show-secrets: a file of that name exists here (a glob may have expanded to it); write "
            "`--` before paths, or remove the file");
      }
      o.secrets = Secrets::Shown;
    } else if (a == "--verbose" || a == "-v") {
      o.verbose = true;
    } else if (a == "--test") {
      o.test_rules = true;
    } else if (a == "--progress") {
      o.progress = true;
    } else if (a == "--no-progress") {
      o.progress = false;
    } else if (is("--jobs") || a == "-j") {
      const std::string n = a == "-j" ? (i + 1 < argc ? argv[++i] : "") : value("--jobs");
      char* end = nullptr;
      const long jobs = std::strtol(n.c_str(), &end, 10);
      if (n.empty() || *end != '\0' || jobs < 1 || jobs > 1024)
        throw Error("--jobs: not a thread count: \"" + n + "\"");
      o.jobs = static_cast<unsigned>(jobs);
    } else if (is("--max-decode-depth")) {
      const std::string n = value("--max-decode-depth");
      char* end = nullptr;
      const long depth = std::strtol(n.c_str(), &end, 10);
      if (n.empty() || *end != '\0' || depth < 0 || depth > kMaxDecodeDepth) {
        throw Error("--max-decode-depth: not a depth from 0 to " + std::to_string(kMaxDecodeDepth) + ": \"" +
                    n + "\"");
      }
      o.max_decode_depth = static_cast<int>(depth);
    } else if (is("--timeout")) {
      const std::string t = value("--timeout");
      char* end = nullptr;
      o.timeout = std::strtod(t.c_str(), &end);
      if (t.empty() || *end != '\0' || !(o.timeout > 0))
        throw Error("--timeout: not a number of seconds: \"" + t + "\"");
    } else if (is("--on-timeout")) {
      const std::string p = value("--on-timeout");
      if (p != "reject" && p != "accept") throw Error("--on-timeout: \"" + p + "\" (reject or accept)");
      o.accept_on_timeout = p == "accept";
    } else if (a == "--no-repo-config") {
      o.repo_config = false;
    } else if (is("--rules")) {
      const std::string pack = value("--rules");
      if (!rule_pack_known(pack)) throw Error("--rules: unknown rule pack \"" + pack + "\" (pii)");
      o.packs.push_back(pack);
    } else if (is("--mask") && o.command == Command::Redact) {
      o.redact.mask = value("--mask");
    } else if (a == "--in-place" && o.command == Command::Redact) {
      o.in_place = true;
    } else if (a == "--fail-on-secret" && o.command == Command::Redact) {
      o.fail_on_secret = true;
    } else if (is("--max-file-size")) {
      o.max_file_size = parse_size(value("--max-file-size"));
    } else if (parse_verify_option(a, value, o.verify)) {
    } else {
      const std::string near = closest_name(a);
      throw Error("unknown option \"" + a + "\"" + (near.empty() ? "" : "; did you mean \"" + near + "\"?") +
                  " (see keygate help " + argv[1] + ")");
    }
  }
  if (o.command == Command::Scan || o.command == Command::Redact) o.source = SourceKind::File;
  if (o.in_place && (o.args.empty() || o.args == std::vector<std::string>{"-"}))
    throw Error("--in-place needs FILEs (standard input cannot be rewritten)");
  if (o.command == Command::History) o.source = SourceKind::Commit;
  if (o.command == Command::CommitMsg) o.source = SourceKind::CommitMessage;
  if (o.command == Command::Ignore) {
    if (!o.args.empty() && (o.args[0] == "staged" || o.args[0] == "scan" || o.args[0] == "history")) {
      o.source = o.args[0] == "staged" ? SourceKind::Staged
                 : o.args[0] == "scan" ? SourceKind::File
                                       : SourceKind::Commit;
      o.args.erase(o.args.begin());
    }
    if (!o.args.empty() && o.source == SourceKind::Staged) {
      throw Error("unexpected argument \"" + o.args.front() + "\" (see keygate --help)");
    }
  } else if (o.command == Command::CommitMsg && o.args.size() != 1) {
    throw Error("commit-msg needs one argument: the commit message file (see keygate --help)");
  } else if (o.args.size() > 1 && o.command == Command::Help) {
    throw Error("unexpected argument \"" + o.args[1] + "\" (see keygate --help)");
  } else if (o.command == Command::PrePush && o.args.size() <= 2) {
    // git passes the remote's name and URL.
  } else if (!o.args.empty() && o.command != Command::Scan && o.command != Command::History &&
             o.command != Command::CommitMsg && o.command != Command::Help && o.command != Command::Redact) {
    throw Error("unexpected argument \"" + o.args.front() + "\" (see keygate --help)");
  }
  o.verify.verbose = o.verbose;
  check_verify_settings(
      o.verify, o.command == Command::Staged || o.command == Command::Scan || o.command == Command::History);
  if (!o.since_commit.empty()) {
    if (o.command != Command::History && !(o.command == Command::Ignore && o.source == SourceKind::Commit)) {
      throw Error("--since-commit only applies to history");
    }
    // The commits after SHA: of the given revisions, or of HEAD.
    const bool has_tips =
        std::any_of(o.args.begin(), o.args.end(), [](const std::string& a) { return a[0] != '^'; });
    if (!has_tips) o.args.push_back("HEAD");
    o.args.push_back("^" + o.since_commit);
  }
  return o;
}

}  // namespace keygate
