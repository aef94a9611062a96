// This file implements keygate's help (see help.hpp): the command and option table, the texts printed from
// it, and the nearest-name suggestion for a mistyped option. docs/keygate.1.scd is checked against it.
#include "cli/help.hpp"

#include <fmt/core.h>

#include <algorithm>

#include "core/error.hpp"

namespace keygate {

namespace {
// Commands that read findings and print a report.
#define KG_REPORTING "staged", "scan", "history"
// Commands that run the detector with the configured rules.
#define KG_DETECTING KG_REPORTING, "commit-msg", "ignore"
// The push checks.
#define KG_PUSH "pre-receive", "pre-push"
}  // namespace

const std::vector<CommandHelp>& help_commands() {
  static const std::vector<CommandHelp> table = {
      {"staged",
       "staged [--repo DIR] [options]",
       "Check the staged changes: what the pre-commit and pre-merge-commit hooks run. Only added lines "
       "count.",
       {"keygate staged", "keygate staged --format json > findings.json"}},
      {"scan",
       "scan [options] [--] [PATH...|-]",
       "Scan files and directories (default: the current directory), or standard input with -.",
       {"keygate scan", "keygate scan src config.yml", "cat app.env | keygate scan -"}},
      {"history",
       "history [--repo DIR] [options] [--] [REVISION...]",
       "Scan every commit reachable from the given revisions (default: all refs); each finding names the "
       "commit that introduced it. Revisions are git's: REV, A..B, ^REV, and --not, --all, --branches[=P], "
       "--remotes[=R], --tags[=P] (revisions too, wherever they stand).",
       {"keygate history", "keygate history origin/main..HEAD", "keygate history NEW --not --all",
        "keygate history --since-commit v1.0 --format sarif"}},
      {"commit-msg",
       "commit-msg [options] [--] FILE",
       "Check a commit message file: what the commit-msg hook runs. Git's # comments and everything below "
       "its scissors line are ignored; a secret blocks the commit (bypass: git commit --no-verify).",
       {"keygate commit-msg .git/COMMIT_EDITMSG", "keygate commit-msg --min-confidence high \"$1\""}},
      {"ignore",
       "ignore [staged|scan PATH...|history REVISION...] [options]",
       "Run a scan and add the fingerprints of its findings to .keygateignore.",
       {"keygate ignore", "keygate ignore scan tests/fixtures", "keygate ignore history main"}},
      {"pre-push",
       "pre-push [options] [REMOTE [URL]]",
       "Check the commits a push sends: the client pre-push hook. Reads git's pre-push lines on standard "
       "input and checks the files and messages of the commits the remote does not have yet. Bypass: git "
       "push --no-verify.",
       {"keygate pre-push \"$@\"", "keygate pre-push origin --timeout 30"}},
      {"pre-receive",
       "pre-receive [options]",
       "Check the commits a push brings to the server: the pre-receive hook. Reads git's <old> <new> <ref> "
       "lines on standard input and checks the files and messages of the commits new to the repository; a "
       "secret rejects the whole push.",
       {"keygate pre-receive", "keygate pre-receive --config /etc/keygate/server.toml --no-repo-config",
        "keygate pre-receive --timeout 4 --on-timeout accept"}},
      {"redact",
       "redact [options] [--] [FILE...|-]",
       "Copy text with every secret replaced by its redacted form. Reads the FILEs (default: standard "
       "input) and writes standard output, or rewrites the FILEs with --in-place; in JSON and JSON Lines "
       "the values of sensitive fields ([redact] fields) are blanked too.",
       {"keygate redact --in-place --rules pii train.jsonl", "tail -f app.log | keygate redact",
        "keygate redact --mask '[REDACTED:{rule}]' --fail-on-secret dump.txt > clean.txt"}},
      {"install",
       "install [--repo DIR] [--hook NAME]...",
       "Install keygate as the repository's git hooks. By default pre-commit, pre-merge-commit and "
       "commit-msg (also: pre-push, pre-receive); an existing hook is kept and chained.",
       {"keygate install", "keygate install --repo ~/src/project", "keygate install --hook pre-push"}},
      {"uninstall",
       "uninstall [--repo DIR] [--hook NAME]...",
       "Remove the hooks keygate installed (default: all of them) and restore the ones it had kept.",
       {"keygate uninstall", "keygate uninstall --hook pre-push"}},
      {"rules",
       "rules [--config FILE] [--rules NAME] [--test]",
       "List the rules in use, or check every rule against its own examples with --test.",
       {"keygate rules", "keygate rules --rules pii", "keygate rules --test --config my-rules.toml"}},
      {"help",
       "help [COMMAND]",
       "Show the overview, or one command's description, options and examples.",
       {"keygate help scan", "keygate history --help"}},
      {"version", "version", "Print keygate's version.", {"keygate version"}},
  };
  return table;
}

const std::vector<OptionHelp>& help_options() {
  static const std::vector<OptionHelp> table = {
      {"--repo",
       "DIR",
       "the repository to read (default: the current one)",
       {"staged", "history", "ignore", "install", "uninstall", KG_PUSH}},
      {"--hook",
       "NAME",
       "only this hook (repeatable): pre-commit, pre-merge-commit, commit-msg, pre-push, pre-receive",
       {"install", "uninstall"}},
      {"--config",
       "FILE",
       "use these rules instead of the defaults (gitleaks format; [extend] useDefault)",
       {KG_DETECTING, "rules", "redact", KG_PUSH}},
      {"--rules",
       "NAME",
       "add a rule pack (repeatable): pii (e-mail addresses, card numbers, IBANs, ...)",
       {KG_REPORTING, "ignore", "rules", "redact"}},
      {"--format",
       "FORMAT",
       "report format: text (default), json, sarif or gitlab",
       {KG_REPORTING, "commit-msg"}},
      {"--format",
       "FORMAT",
       "redact: the input's format: text, json or jsonl (default: by file name)",
       {"redact"}},
      {"--color",
       "WHEN",
       "colour in text output: auto (default: on a terminal, unless NO_COLOR or TERM=dumb), "
       "always or never",
       {KG_REPORTING, "commit-msg"}},
      {"--baseline",
       "FILE",
       "report only findings that are not in this earlier JSON report",
       {KG_REPORTING, "ignore"}},
      {"--since-commit", "SHA", "only the commits after SHA (same as SHA..HEAD)", {"history", "ignore"}},
      {"--min-confidence",
       "LEVEL",
       "report findings this sure or surer: high, medium (default) or low",
       {KG_DETECTING}},
      {"--max-decode-depth",
       "N",
       "decode base64, hex, escapes ... up to N layers deep (default 3, at most 8; 0: off)",
       {KG_DETECTING, "redact"}},
      {"--show-secrets",
       "",
       "print secrets whole (default: a prefix and the last four characters)",
       {KG_REPORTING, "commit-msg", KG_PUSH}},
      {"--verify",
       "",
       "ask each key's provider whether it works (one request per unique key); nothing is sent anywhere "
       "without this option",
       {KG_REPORTING}},
      {"--only-verified", "", "with --verify: report only live keys", {KG_REPORTING}},
      {"--verify-concurrency",
       "N",
       "with --verify: requests at a time (default 4, at most 64)",
       {KG_REPORTING}},
      {"--verify-timeout", "S", "with --verify: seconds a request may take (default 10)", {KG_REPORTING}},
      {"--verify-ca", "FILE", "with --verify: trust this CA bundle instead of the system's", {KG_REPORTING}},
      {"--jobs", "N", "threads (default: every core)", {KG_REPORTING, "ignore", KG_PUSH}},
      {"--max-file-size",
       "N",
       "skip files larger than N bytes (K, M, G suffixes; history default 50M)",
       {KG_REPORTING, "ignore", KG_PUSH}},
      {"--timeout", "S", "push checks: the time budget in seconds (default 4.5)", {KG_PUSH}},
      {"--on-timeout",
       "WHAT",
       "push checks: when the budget runs out, reject (default) or accept the push",
       {KG_PUSH}},
      {"--no-repo-config",
       "",
       "push checks: ignore the pushed .keygate.toml and .keygateignore (keygate.repoConfig=false)",
       {KG_PUSH}},
      {"--in-place", "", "redact: rewrite the FILEs instead of printing them (atomically)", {"redact"}},
      {"--mask",
       "TEXT",
       "redact: replace each secret by TEXT ({rule}: the rule id), not its redacted form",
       {"redact"}},
      {"--fail-on-secret", "", "redact: exit 1 when something was redacted", {"redact"}},
      {"--progress",
       "",
       "draw a progress line on stderr (default: when stderr is a terminal)",
       {"scan", "history", "ignore"}},
      {"--no-progress", "", "no progress line", {"scan", "history", "ignore"}},
      {"--verbose", "", "say what was skipped and why", {KG_DETECTING, "redact", KG_PUSH}},
      {"--test", "", "check every rule against its examples", {"rules"}},
      {"--help",
       "",
       "show this command's help",
       {KG_DETECTING, "redact", KG_PUSH, "install", "uninstall", "rules"}},
      {"--",
       "",
       "end of options (options go before the first path; every later word is a path)",
       {"scan", "history", "commit-msg", "ignore", "redact"}},
  };
  return table;
}

const std::vector<std::string_view>& revision_words() {
  static const std::vector<std::string_view> words = {"--not", "--all", "--branches", "--remotes", "--tags"};
  return words;
}

const std::vector<std::string_view>& format_names() {
  static const std::vector<std::string_view> names = {"text", "json", "sarif", "gitlab"};
  return names;
}

const std::vector<std::string_view>& color_names() {
  static const std::vector<std::string_view> names = {"auto", "always", "never"};
  return names;
}

namespace {

std::string option_column(const OptionHelp& o) {
  return o.value.empty() ? std::string(o.name) : fmt::format("{} {}", o.name, o.value);
}

// Levenshtein distance, small strings only.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

std::string usage_text() {
  std::string out = "usage: keygate <command> [options]\n\ncommands:\n";
  for (const CommandHelp& c : help_commands()) {
    std::string summary(c.description.substr(0, c.description.find(". ")));
    if (!summary.empty() && summary.back() == '.') summary.pop_back();
    out += fmt::format("  {:<12} {}\n", c.name, summary);
  }
  out += "\noptions:\n";
  for (const OptionHelp& o : help_options())
    out += fmt::format("  {:<24} {}\n", option_column(o), o.description);
  out +=
      "\nkeygate help COMMAND (or keygate COMMAND --help) shows a command's options and examples; man "
      "keygate "
      "has the rest.\n"
      "exit status: 0 nothing found, 1 secrets found, 2 error (the scan could not finish)\n";
  return out;
}

std::optional<std::string> command_help_text(std::string_view command) {
  const auto& commands = help_commands();
  const auto it =
      std::find_if(commands.begin(), commands.end(), [&](const CommandHelp& c) { return c.name == command; });
  if (it == commands.end()) return std::nullopt;
  std::string out = fmt::format("usage: keygate {}\n\n{}\n", it->synopsis, it->description);
  std::string options;
  for (const OptionHelp& o : help_options()) {
    if (std::find(o.commands.begin(), o.commands.end(), command) == o.commands.end()) continue;
    options += fmt::format("  {:<24} {}\n", option_column(o), o.description);
  }
  if (!options.empty()) out += "\noptions:\n" + options;
  out += "\nexamples:\n";
  for (std::string_view e : it->examples) out += fmt::format("  {}\n", e);
  return out;
}

std::string closest_name(std::string_view word, bool commands) {
  std::vector<std::string_view> names;
  if (commands) {
    for (const CommandHelp& c : help_commands()) names.push_back(c.name);
  } else {
    for (const OptionHelp& o : help_options()) names.push_back(o.name);
  }
  const std::string_view bare = word.substr(0, word.find('='));
  std::string_view best;
  std::size_t best_distance = 0;
  for (std::string_view name : names) {
    if (name.size() < 3) continue;  // "--" is no one's typo
    const std::size_t d = edit_distance(bare, name);
    if (best.empty() || d < best_distance) best = name, best_distance = d;
  }
  // A third of the name's length is a typo or two; more is a different word.
  if (best.empty() || best_distance > std::max<std::size_t>(2, best.size() / 3)) return {};
  return std::string(best);
}

int print_help(const std::vector<std::string>& args, bool no_command) {
  if (args.empty()) {
    fmt::print("{}", usage_text());
    return no_command ? 2 : 0;
  }
  const std::optional<std::string> text = command_help_text(args[0]);
  if (!text) {
    const std::string near = closest_name(args[0], true);
    throw Error("help: unknown command \"" + args[0] + "\"" +
                (near.empty() ? "" : "; did you mean \"" + near + "\"?"));
  }
  fmt::print("{}", *text);
  return 0;
}

}  // namespace keygate
