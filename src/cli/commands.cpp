// This file implements the command table (see commands.hpp): each command with its help and runner, each
// option with its help, the commands that take it and the setter that checks its value and stores it.
#include "cli/commands.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <optional>

#include "agent/agent.hpp"
#include "audit/shard.hpp"
#include "cli/runners.hpp"
#include "config/config.hpp"
#include "core/confidence.hpp"
#include "core/error.hpp"
#include "detect/decode.hpp"
#include "install/agent_install.hpp"
#include "install/install.hpp"
#include "report/report.hpp"
#include "verify/verify.hpp"

namespace keygate {
namespace {

// Commands that read findings and print a report.
constexpr CommandSet kReporting{Command::Staged, Command::Scan, Command::History};
// Commands that run the detector with the configured rules.
constexpr CommandSet kDetecting = kReporting | CommandSet{Command::CommitMsg, Command::Ignore};
// The push checks.
constexpr CommandSet kPush{Command::PreReceive, Command::PrePush};
// The commands that take keys on standard input and send them to their providers.
constexpr CommandSet kKeyCommands{Command::Verify, Command::Revoke};

// `text` as a whole number from `min` to `max`, or nullopt.
std::optional<long> whole_number(const std::string& text, long min, long max) {
  char* end = nullptr;
  const long n = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || n < min || n > max) return std::nullopt;
  return n;
}

// "10", "64K", "50M", "1G" (powers of 1024).
std::uint64_t parse_size(const std::string& text, std::string_view option = "--max-file-size") {
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
      throw Error(std::string(option) + ": not a size: \"" + text + "\"");
    }
  }
  if (errno != 0 || end == text.c_str() || text[0] == '-')
    throw Error(std::string(option) + ": not a size: \"" + text + "\"");
  return value * scale;
}

void set_format(Options& o, std::string_view, const std::string& f) {
  if (f == "text") {
    o.format = Format::Text;
  } else if (f == "json") {
    o.format = Format::Json;
  } else if (f == "sarif") {
    o.format = Format::Sarif;
  } else if (f == "gitlab") {
    o.format = Format::Gitlab;
  } else if (f == "html") {
    o.format = Format::Html;
  } else {
    throw Error("--format: unknown format \"" + f + "\" (text, json, sarif, gitlab or html)");
  }
}

void set_key_format(Options& o, std::string_view, const std::string& f) {
  if (f != "text" && f != "json") throw Error("--format: \"" + f + "\" (verify writes text or json)");
  o.format = f == "json" ? Format::Json : Format::Text;
}

void set_redact_format(Options& o, std::string_view, const std::string& f) {
  if (f == "text") {
    o.redact.format = RedactFormat::Text;
  } else if (f == "json") {
    o.redact.format = RedactFormat::Json;
  } else if (f == "jsonl") {
    o.redact.format = RedactFormat::Jsonl;
  } else {
    throw Error("--format: unknown input format \"" + f + "\" for redact (text, json or jsonl)");
  }
}

void set_min_confidence(Options& o, std::string_view, const std::string& c) {
  Confidence parsed;
  if (!parse_confidence(c, &parsed))
    throw Error("--min-confidence: not a level: \"" + c + "\" (high, medium or low)");
  o.min_confidence = parsed;
}

void set_explain(Options& o, std::string_view, const std::string&) { o.explain = true; }

// A file called "--show-secrets" that a glob put on the line is refused by the parser (options.cpp), as
// every option named like a file in the current directory is.
void set_show_secrets(Options& o, std::string_view, const std::string&) { o.secrets = Secrets::Shown; }

void set_jobs(Options& o, std::string_view, const std::string& n) {
  const std::optional<long> jobs = whole_number(n, 1, 1024);
  if (!jobs) throw Error("--jobs: not a thread count: \"" + n + "\"");
  o.jobs = static_cast<unsigned>(*jobs);
}

void set_max_decode_depth(Options& o, std::string_view, const std::string& n) {
  const std::optional<long> depth = whole_number(n, 0, kMaxDecodeDepth);
  if (!depth) {
    throw Error("--max-decode-depth: not a depth from 0 to " + std::to_string(kMaxDecodeDepth) + ": \"" + n +
                "\"");
  }
  o.max_decode_depth = static_cast<int>(*depth);
}

void set_max_archive_depth(Options& o, std::string_view, const std::string& n) {
  const std::optional<long> depth = whole_number(n, 0, 16);
  if (!depth) throw Error("--max-archive-depth: not a depth from 0 to 16: \"" + n + "\"");
  o.max_archive_depth = static_cast<int>(*depth);
}

void set_timeout(Options& o, std::string_view, const std::string& t) {
  char* end = nullptr;
  o.timeout = std::strtod(t.c_str(), &end);
  if (t.empty() || *end != '\0' || !(o.timeout > 0))
    throw Error("--timeout: not a number of seconds: \"" + t + "\"");
}

void set_on_timeout(Options& o, std::string_view, const std::string& p) {
  if (p != "reject" && p != "accept") throw Error("--on-timeout: \"" + p + "\" (reject or accept)");
  o.accept_on_timeout = p == "accept";
}

void add_rule_pack(Options& o, std::string_view, const std::string& pack) {
  if (!rule_pack_known(pack)) throw Error("--rules: unknown rule pack \"" + pack + "\" (pii)");
  o.packs.push_back(pack);
}

// The --verify options: their values are the verification stage's to judge (verify.hpp).
void set_verify_option(Options& o, std::string_view name, const std::string& value) {
  parse_verify_option(
      std::string(name), [&](const std::string&) { return value; }, o.verify);
}

// The hooks `install --hook` takes: install.cpp's list, checked there.
std::vector<std::string_view> hook_names() {
  std::vector<std::string_view> names;
  for (const HookSpec& hook : known_hooks()) names.push_back(hook.name);
  return names;
}

void set_merge_format(Options& o, std::string_view, const std::string& f) {
  using audit::MergeFormat;
  if (f == "text") {
    o.audit.merge_format = MergeFormat::Text;
  } else if (f == "json") {
    o.audit.merge_format = MergeFormat::Json;
  } else if (f == "sarif") {
    o.audit.merge_format = MergeFormat::Sarif;
  } else if (f == "gitlab") {
    o.audit.merge_format = MergeFormat::Gitlab;
  } else if (f == "html") {
    o.audit.merge_format = MergeFormat::Html;
  } else {
    throw Error("--format: unknown format \"" + f + "\" (text, json, sarif, gitlab or html)");
  }
}

void set_repo_timeout(Options& o, std::string_view, const std::string& t) {
  char* end = nullptr;
  o.audit.repo_timeout = std::strtod(t.c_str(), &end);
  if (t.empty() || *end != '\0' || !(o.audit.repo_timeout > 0))
    throw Error("--repo-timeout: not a number of seconds: \"" + t + "\"");
}

void set_shards(Options& o, std::string_view, const std::string& n) {
  const std::optional<long> count = whole_number(n, 1, 1000000);
  if (!count) throw Error("--shards: not a number of shards: \"" + n + "\"");
  o.audit.shards = static_cast<unsigned>(*count);
}

void set_agent(Options& o, std::string_view, const std::string& name) {
  if (!find_agent(name))
    throw Error("--agent: unknown agent \"" + name + "\" (claude-code, cursor, copilot or codex)");
  o.agent = name;
}

// `keygate COMMAND --help` is `keygate help COMMAND`.
void ask_for_help(Options& o, std::string_view, const std::string&) {
  o.args = {std::string(command_spec(o.command).name)};
  o.command = Command::Help;
}

}  // namespace

const std::vector<CommandSpec>& command_table() {
  static const std::vector<CommandSpec> table = {
      {Command::Staged,
       "staged",
       {},
       "staged [--repo DIR] [options]",
       "Check the staged changes: what the pre-commit and pre-merge-commit hooks run. Only added lines "
       "count.",
       {"keygate staged", "keygate staged --format json > findings.json"},
       Operands::None,
       SourceKind::Staged,
       run_scan},
      {Command::Scan,
       "scan",
       {},
       "scan [options] [--] [PATH...|-]",
       "Scan files and directories (default: the current directory), or standard input with -.",
       {"keygate scan", "keygate scan src config.yml", "cat app.env | keygate scan -"},
       Operands::Paths,
       SourceKind::File,
       run_scan},
      {Command::History,
       "history",
       {},
       "history [--repo DIR] [options] [--] [REVISION...]",
       "Scan every commit reachable from the given revisions (default: all refs); each finding names the "
       "commit that introduced it. Revisions are git's: REV, A..B, ^REV, and --not, --all, --branches[=P], "
       "--remotes[=R], --tags[=P] (revisions too, wherever they stand).",
       {"keygate history", "keygate history origin/main..HEAD", "keygate history NEW --not --all",
        "keygate history --since-commit v1.0 --format sarif"},
       Operands::Revisions,
       SourceKind::Commit,
       run_scan},
      {Command::CommitMsg,
       "commit-msg",
       {},
       "commit-msg [options] [--] FILE",
       "Check a commit message file: what the commit-msg hook runs. Git's # comments and everything below "
       "its scissors line are ignored; a secret blocks the commit (bypass: git commit --no-verify).",
       {"keygate commit-msg .git/COMMIT_EDITMSG", "keygate commit-msg --min-confidence high \"$1\""},
       Operands::MessageFile,
       SourceKind::CommitMessage,
       run_commit_msg},
      {Command::Ignore,
       "ignore",
       {},
       "ignore [staged|scan PATH...|history REVISION...] [options]",
       "Run a scan and add the fingerprints of its findings to .keygateignore.",
       {"keygate ignore", "keygate ignore scan tests/fixtures", "keygate ignore history main"},
       Operands::Scan,
       SourceKind::Staged,
       run_scan},
      {Command::PrePush,
       "pre-push",
       {},
       "pre-push [options] [REMOTE [URL]]",
       "Check the commits a push sends: the client pre-push hook. Reads git's pre-push lines on standard "
       "input and checks the files and messages of the commits the remote does not have yet. Bypass: git "
       "push --no-verify.",
       {"keygate pre-push \"$@\"", "keygate pre-push origin --timeout 30"},
       Operands::RemoteAndUrl,
       SourceKind::Staged,
       run_push_check_command},
      {Command::PreReceive,
       "pre-receive",
       {},
       "pre-receive [options]",
       "Check the commits a push brings to the server: the pre-receive hook. Reads git's <old> <new> <ref> "
       "lines on standard input and checks the files and messages of the commits new to the repository; a "
       "secret rejects the whole push.",
       {"keygate pre-receive", "keygate pre-receive --config /etc/keygate/server.toml --no-repo-config",
        "keygate pre-receive --timeout 4 --on-timeout accept"},
       Operands::None,
       SourceKind::Staged,
       run_push_check_command},
      {Command::Redact,
       "redact",
       {},
       "redact [options] [--] [FILE...|-]",
       "Copy text with every secret replaced by its redacted form. Reads the FILEs (default: standard "
       "input) and writes standard output, or rewrites the FILEs with --in-place; in JSON and JSON Lines "
       "the values of sensitive fields ([redact] fields) are blanked too.",
       {"keygate redact --in-place --rules pii train.jsonl", "tail -f app.log | keygate redact",
        "keygate redact --mask '[REDACTED:{rule}]' --fail-on-secret dump.txt > clean.txt"},
       Operands::Paths,
       SourceKind::File,
       run_redact},
      {Command::AgentHook,
       "agent-hook",
       {},
       "agent-hook --agent NAME [--event NAME] [options]",
       "Judge one coding-agent hook event (its JSON on standard input): the prompt about to be sent, the "
       "file content about to be written or the command about to run, with the project's rules and "
       ".keygateignore; answer in the agent's own form, blocking a secret. What `install --agent` sets up; "
       "an event that cannot be read is blocked too (fails closed).",
       {"keygate install --agent claude-code", "keygate agent-hook --agent cursor < event.json"},
       Operands::None,
       SourceKind::Stream,
       run_agent_hook},
      {Command::Purge,
       "purge",
       {},
       "purge [--repo DIR] [--from FILE] [--output DIR] [--rewrite|--check] [options] [--] [REVISION...]",
       "After a leak: write the history rewrite that removes every secret a history scan finds (or a "
       "keygate JSON report made with --show-secrets lists), in every encoding keygate found it in: a git "
       "filter-repo --replace-text expressions file and BFG's replacement file, both mode 0600 in "
       "<git dir>/keygate, and print the checklist that follows a rewrite. Nothing is rewritten unless "
       "--rewrite is given. --check reads every object of the repository, reachable or not, its reflogs, "
       "stash, refs and the files of its git directory, and exits 0 only if no form of a purged secret is "
       "left; else 1, naming each place and the command that removes it (2: objects missing, as in a "
       "partial clone).",
       {"keygate purge", "keygate purge --from report.json --rewrite", "keygate purge --check"},
       Operands::Revisions,
       SourceKind::Commit,
       run_purge},
      {Command::Import,
       "import",
       {},
       "import [--repo DIR] [--output FILE] [--] REPORT...",
       "Keep the triage made with other scanners: read gitleaks' JSON report and .gitleaksignore, "
       "TruffleHog's JSON, a detect-secrets baseline or any tool's SARIF, match each entry with keygate's "
       "own finding of the same secret (by the secret, else by file and line) and write keygate's baseline "
       "report (default keygate-baseline.json, for --baseline) or, for an --output named .keygateignore, its "
       "fingerprints. Entries that cannot be matched are listed (exit 1).",
       {"keygate import .gitleaksignore gitleaks-report.json",
        "keygate import --output .keygateignore .secrets.baseline", "keygate import trufflehog.jsonl"},
       Operands::Paths,
       SourceKind::Commit,
       run_import},
      {Command::Install,
       "install",
       {},
       "install [--repo DIR] [--hook NAME]... | install --agent NAME [--scope user|project]",
       "Install keygate as the repository's git hooks. By default pre-commit, pre-merge-commit and "
       "commit-msg (also: pre-push, pre-receive); an existing hook is kept and chained. With --agent, "
       "install it as a coding agent's hook instead (claude-code, cursor, copilot, codex), merged into the "
       "agent's settings file.",
       {"keygate install", "keygate install --hook pre-push", "keygate install --agent claude-code",
        "keygate install --agent cursor --scope project"},
       Operands::None,
       SourceKind::Staged,
       run_install},
      {Command::Uninstall,
       "uninstall",
       {},
       "uninstall [--repo DIR] [--hook NAME]... | uninstall --agent NAME [--scope user|project]",
       "Remove the hooks keygate installed (default: all of them) and restore the ones it had kept; with "
       "--agent, remove keygate's entries from that agent's settings file.",
       {"keygate uninstall", "keygate uninstall --hook pre-push", "keygate uninstall --agent codex"},
       Operands::None,
       SourceKind::Staged,
       run_uninstall},
      {Command::Rules,
       "rules",
       {},
       "rules [--config FILE] [--rules NAME] [--test]",
       "List the rules in use, or check every rule against its own examples with --test.",
       {"keygate rules", "keygate rules --rules pii", "keygate rules --test --config my-rules.toml"},
       Operands::None,
       SourceKind::Staged,
       run_rules},
      {Command::Lsp,
       "lsp",
       {},
       "lsp [--config FILE] [--baseline FILE] [--min-confidence LEVEL] [--rules NAME]",
       "Run a language server on standard input and output for editors: each open file's secrets are "
       "diagnostics as it is typed, judged by its repository's .keygate.toml, .keygateignore and baseline as "
       "the hook judges them, with code actions to allow the line, accept the finding or read the key from "
       "an environment variable.",
       {"keygate lsp", "keygate lsp --min-confidence high"},
       Operands::None,
       SourceKind::File,
       run_lsp},
      {Command::Audit,
       "audit",
       {},
       "audit --out DIR [options] [--] [REPOSITORY...]",
       "Scan the full history of many repositories: local paths (bare or not), URLs (mirrored into a cache: "
       "git clone --mirror, then git fetch), a --list file, or a GitHub organisation's or GitLab group's "
       "repositories. One result file per repository goes into --out DIR; a rerun skips repositories whose "
       "result is complete for the same refs. --shard I/N (or Slurm's, Kubernetes' or GitLab's job index) "
       "reads one share of the list.",
       {"keygate audit --out results ~/src/*/", "keygate audit --out results --list repos.txt --shard 0/4",
        "GITHUB_TOKEN=... keygate audit --out results --github-org my-org"},
       Operands::Paths,
       SourceKind::Commit,
       run_audit},
      {Command::Report,
       "report",
       {},
       "report merge [options] [--] FILE|DIR...",
       "Merge audit result files and directories (shards, earlier runs) into one report: one incident per "
       "secret, with every place it was seen.",
       {"keygate report merge results", "keygate report merge --format sarif shard-*/ > audit.sarif",
        "keygate report merge --triage triage.json --format json results"},
       Operands::Paths,
       SourceKind::Commit,
       run_report},
      {Command::Verify,
       "verify",
       {},
       "verify [--rule ID] [--format text|json] [options] < KEY",
       "Ask a key's provider whether it works and whom it belongs to, without a scan. The key is read from "
       "standard input, never from the command line: with --rule, each line is a key of that rule; without, "
       "every key the rules find in it. Exit 1 when a key is live, 2 when none is but one cannot be told.",
       {"keygate verify --rule github-pat < key.txt", "keygate verify --format json < .env",
        "pbpaste | keygate verify"},
       Operands::None,
       SourceKind::File,
       run_verify_key},
      {Command::Revoke,
       "revoke",
       {},
       "revoke [--rule ID | --report FILE] [--yes] < KEY",
       "Switch a leaked key off with its provider's revocation API (GitHub, Slack, GitLab, Dropbox, Google "
       "OAuth); for other providers, print the exact steps and the dashboard link. Keys come from standard "
       "input or a keygate JSON report written with --show-secrets, never from the command line. Asks for "
       "the word revoke on the terminal unless --yes; never runs in a git hook.",
       {"keygate revoke --rule github-pat < key.txt", "keygate revoke --report leaks.json --yes"},
       Operands::None,
       SourceKind::File,
       run_revoke},
      {Command::Help,
       "help",
       {"--help", "-h"},
       "help [COMMAND]",
       "Show the overview, or one command's description, options and examples.",
       {"keygate help scan", "keygate history --help"},
       Operands::CommandName,
       SourceKind::Staged,
       run_help},
      {Command::Version,
       "version",
       {"--version"},
       "version",
       "Print keygate's version.",
       {"keygate version"},
       Operands::None,
       SourceKind::Staged,
       run_version},
  };
  return table;
}

const std::vector<OptionSpec>& option_table() {
  static const std::vector<OptionSpec> table = {
      {"--repo", "DIR", "the repository to read (default: the current one)",
       CommandSet{Command::Staged, Command::History, Command::Ignore, Command::Install, Command::Uninstall,
                  Command::Purge, Command::Import} |
           kPush,
       [](Options& o, std::string_view, const std::string& v) { o.repo = v; }},
      {"--hook",
       "NAME",
       "only this hook (repeatable): pre-commit, pre-merge-commit, commit-msg, pre-push, pre-receive",
       {Command::Install, Command::Uninstall},
       [](Options& o, std::string_view, const std::string& v) { o.hooks.push_back(v); },
       hook_names()},
      {"--config", "FILE", "use these rules instead of the defaults (gitleaks format; [extend] useDefault)",
       kDetecting |
           CommandSet{Command::Rules, Command::Redact, Command::Purge, Command::Import, Command::Lsp,
                      Command::Audit, Command::AgentHook} |
           kPush | kKeyCommands,
       [](Options& o, std::string_view, const std::string& v) { o.config_file = v; }},
      {"--rules",
       "NAME",
       "add a rule pack (repeatable): pii (e-mail addresses, card numbers, IBANs, ...)",
       kReporting | CommandSet{Command::Ignore, Command::Rules, Command::Redact, Command::Lsp, Command::Audit,
                               Command::AgentHook},
       add_rule_pack,
       {"pii"}},
      {"--format",
       "FORMAT",
       "report format: text (default), json, sarif, gitlab or html",
       kReporting | CommandSet{Command::CommitMsg},
       set_format,
       {"text", "json", "sarif", "gitlab", "html"}},
      {"--format",
       "FORMAT",
       "redact: the input's format: text, json or jsonl (default: by file name)",
       {Command::Redact},
       set_redact_format,
       {"text", "json", "jsonl"}},
      {"--color",
       "WHEN",
       "colour in text output: auto (default: on a terminal, unless NO_COLOR or TERM=dumb), always or never",
       kReporting | CommandSet{Command::CommitMsg},
       [](Options& o, std::string_view, const std::string& v) { o.color = parse_color(v); },
       {"auto", "always", "never"},
       {"--colour"}},
      {"--baseline", "FILE", "report only findings that are not in this earlier JSON report",
       kReporting | CommandSet{Command::Ignore, Command::Lsp},
       [](Options& o, std::string_view, const std::string& v) { o.baseline = v; }},
      {"--since-commit",
       "SHA",
       "only the commits after SHA (same as SHA..HEAD)",
       {Command::History, Command::Ignore},
       [](Options& o, std::string_view, const std::string& v) { o.since_commit = v; }},
      {"--min-confidence",
       "LEVEL",
       "report findings this sure or surer: high, medium (default) or low",
       kDetecting | kPush | CommandSet{Command::Lsp, Command::Audit, Command::AgentHook},
       set_min_confidence,
       {"high", "medium", "low"}},
      {"--max-decode-depth", "N",
       "decode base64, hex, escapes ... up to N layers deep (default 3, at most 8; 0: off)",
       kDetecting | CommandSet{Command::Redact, Command::Audit, Command::AgentHook}, set_max_decode_depth},
      {"--max-archive-depth", "N",
       "open archives (zip, jar, tar, 7z, gz ..., Office files) up to N levels deep (default: the config's "
       "[archive] max_depth, or 4; 0: off)",
       kReporting | CommandSet{Command::Ignore} | kPush, set_max_archive_depth},
      {"--explain", "",
       "say why each generic finding got its confidence (the scorer's strongest reasons, JSON \"explain\")",
       kReporting, set_explain},
      {"--show-secrets", "", "print secrets whole (default: a prefix and the last four characters)",
       kReporting | CommandSet{Command::CommitMsg} | kPush, set_show_secrets},
      {"--verify", "",
       "ask each key's provider whether it works (one request per unique key); nothing is sent anywhere "
       "without this option",
       kReporting, set_verify_option},
      {"--only-verified", "", "with --verify: report only live keys", kReporting, set_verify_option},
      {"--verify-concurrency", "N", "with --verify: requests at a time (default 4, at most 64)",
       kReporting | kKeyCommands, set_verify_option},
      {"--verify-timeout", "S", "with --verify: seconds a request may take (default 10)",
       kReporting | kKeyCommands, set_verify_option},
      {"--verify-ca", "FILE", "with --verify: trust this CA bundle instead of the system's",
       kReporting | kKeyCommands, set_verify_option},
      {"--rule", "ID",
       "verify, revoke: each line of standard input is a key of this rule (default: the keys found in it)",
       kKeyCommands, [](Options& o, std::string_view, const std::string& v) { o.rule_id = v; }},
      {"--report",
       "FILE",
       "revoke: the keys of this keygate JSON report (written with --show-secrets)",
       {Command::Revoke},
       [](Options& o, std::string_view, const std::string& v) { o.report_file = v; }},
      {"--yes",
       "",
       "revoke: do not ask for confirmation",
       {Command::Revoke},
       [](Options& o, std::string_view, const std::string&) { o.yes = true; }},
      {"--format",
       "FORMAT",
       "verify: text (default) or json",
       {Command::Verify},
       set_key_format,
       {"text", "json"}},
      {"--jobs",
       "N",
       "threads (default: every core)",
       kReporting | CommandSet{Command::Ignore, Command::Purge, Command::Audit} | kPush,
       set_jobs,
       {},
       {"-j"}},
      {"--max-file-size", "N", "skip files larger than N bytes (K, M, G suffixes; history default 50M)",
       kReporting | CommandSet{Command::Ignore, Command::Audit} | kPush,
       [](Options& o, std::string_view, const std::string& v) { o.max_file_size = parse_size(v); }},
      {"--timeout", "S", "push checks: the time budget in seconds (default 4.5)", kPush, set_timeout},
      {"--on-timeout",
       "WHAT",
       "push checks: when the budget runs out, reject (default) or accept the push",
       kPush,
       set_on_timeout,
       {"reject", "accept"}},
      {"--no-repo-config", "",
       "push checks: ignore the pushed .keygate.toml and .keygateignore (keygate.repoConfig=false)", kPush,
       [](Options& o, std::string_view, const std::string&) { o.repo_config = false; }},
      {"--in-place",
       "",
       "redact: rewrite the FILEs instead of printing them (atomically)",
       {Command::Redact},
       [](Options& o, std::string_view, const std::string&) { o.in_place = true; }},
      {"--mask",
       "TEXT",
       "redact: replace each secret by TEXT ({rule}: the rule id), not its redacted form",
       {Command::Redact},
       [](Options& o, std::string_view, const std::string& v) { o.redact.mask = v; }},
      {"--fail-on-secret",
       "",
       "redact: exit 1 when something was redacted",
       {Command::Redact},
       [](Options& o, std::string_view, const std::string&) { o.fail_on_secret = true; }},
      {"--stdio",
       "",
       "lsp: talk over standard input and output (the only transport; accepted because clients pass it)",
       {Command::Lsp},
       [](Options&, std::string_view, const std::string&) {}},
      {"--progress",
       "",
       "draw a progress line on stderr (default: when stderr is a terminal)",
       {Command::Scan, Command::History, Command::Ignore, Command::Audit},
       [](Options& o, std::string_view, const std::string&) { o.progress = true; }},
      {"--no-progress",
       "",
       "no progress line",
       {Command::Scan, Command::History, Command::Ignore, Command::Audit},
       [](Options& o, std::string_view, const std::string&) { o.progress = false; }},
      {"--verbose",
       "",
       "say what was skipped and why",
       kDetecting | CommandSet{Command::Redact, Command::Audit} | kPush | kKeyCommands,
       [](Options& o, std::string_view, const std::string&) { o.verbose = true; },
       {},
       {"-v"}},
      {"--test",
       "",
       "check every rule against its examples",
       {Command::Rules},
       [](Options& o, std::string_view, const std::string&) { o.test_rules = true; }},
      {"--agent",
       "NAME",
       "the coding agent: claude-code, cursor, copilot or codex (install, uninstall: its hooks, not git's)",
       {Command::AgentHook, Command::Install, Command::Uninstall},
       set_agent,
       agent_names()},
      {"--event",
       "NAME",
       "agent-hook: the event it is installed for (Copilot's input names none), e.g. preToolUse",
       {Command::AgentHook},
       [](Options& o, std::string_view, const std::string& v) { o.agent_event = v; }},
      {"--scope",
       "WHERE",
       "with --agent: the user's settings (default, every project) or the project's (shared through git)",
       {Command::Install, Command::Uninstall},
       [](Options& o, std::string_view, const std::string& v) {
         parse_agent_scope(v);  // checked here, used by install (agent_install.hpp)
         o.scope = v;
       },
       {"user", "project"}},
      {"--from",
       "FILE",
       "purge: the secrets of this keygate JSON report (made with --show-secrets) instead of a history scan; "
       "with --check, also a purge expressions file (default: <git dir>/keygate/purge-expressions.txt)",
       {Command::Purge},
       [](Options& o, std::string_view, const std::string& v) { o.purge.from = v; }},
      {"--output",
       "DIR",
       "purge: write the expressions files here (default: <git dir>/keygate)",
       {Command::Purge},
       [](Options& o, std::string_view, const std::string& v) { o.purge.output_dir = v; }},
      {"--output",
       "FILE",
       "import: write the baseline report here (default keygate-baseline.json; a file named .keygateignore "
       "gets fingerprints instead)",
       {Command::Import},
       [](Options& o, std::string_view, const std::string& v) { o.import_output = v; }},
      {"--rewrite",
       "",
       "purge: then run git filter-repo --force with them (refused when the work tree has changes)",
       {Command::Purge},
       [](Options& o, std::string_view, const std::string&) { o.purge.rewrite = PurgeRewrite::Yes; }},
      {"--check",
       "",
       "purge: prove that no purged secret is left in any object, reflog, ref or file of the git directory",
       {Command::Purge},
       [](Options& o, std::string_view, const std::string&) { o.purge.mode = PurgeMode::Check; }},
      {"--help",
       "",
       "show this command's help",
       CommandSet::every(),
       ask_for_help,
       {},
       {"-h"},
       AfterOption::StopParsing},
      {"--format",
       "FORMAT",
       "report merge: text (default), json (the incidents schema), sarif, gitlab or html",
       {Command::Report},
       set_merge_format,
       {"text", "json", "sarif", "gitlab", "html"}},
      {"--triage",
       "FILE",
       "report merge: apply the HTML viewer's triage marks from FILE",
       {Command::Report},
       [](Options& o, std::string_view, const std::string& v) { o.audit.triage_file = v; }},
      {"--out",
       "DIR",
       "audit: where the result files go (one per repository; created)",
       {Command::Audit},
       [](Options& o, std::string_view, const std::string& v) { o.audit.out_dir = v; }},
      {"--list",
       "FILE",
       "audit: the repositories listed in FILE, one a line (path or URL, optional size)",
       {Command::Audit},
       [](Options& o, std::string_view, const std::string& v) { o.audit.lists.push_back(v); }},
      {"--cache",
       "DIR",
       "audit: where URLs are mirrored (default ~/.cache/keygate/mirrors)",
       {Command::Audit},
       [](Options& o, std::string_view, const std::string& v) { o.audit.cache_dir = v; }},
      {"--github-org",
       "ORG",
       "audit: every repository of a GitHub organisation (token: GITHUB_TOKEN)",
       {Command::Audit},
       [](Options& o, std::string_view, const std::string& v) { o.audit.github_orgs.push_back(v); }},
      {"--gitlab-group",
       "GROUP",
       "audit: every project of a GitLab group and its subgroups (token: GITLAB_TOKEN)",
       {Command::Audit},
       [](Options& o, std::string_view, const std::string& v) { o.audit.gitlab_groups.push_back(v); }},
      {"--api-url",
       "URL",
       "audit: the forge's API (default: api.github.com, gitlab.com/api/v4, or CI's)",
       {Command::Audit},
       [](Options& o, std::string_view, const std::string& v) { o.audit.api_url = v; }},
      {"--shard",
       "I/N",
       "audit: read share I of N (0-based; default: the job engine's index variables)",
       {Command::Audit},
       [](Options& o, std::string_view, const std::string& v) { o.audit.shard = audit::parse_shard(v); }},
      {"--shards",
       "N",
       "audit: the shard count of a Kubernetes Indexed Job (JOB_COMPLETION_INDEX of N)",
       {Command::Audit},
       set_shards},
      {"--max-repo-size",
       "N",
       "audit: fail repositories whose objects take more than N bytes (K, M, G)",
       {Command::Audit},
       [](Options& o, std::string_view, const std::string& v) {
         o.audit.max_repo_size = parse_size(v, "--max-repo-size");
       }},
      {"--repo-timeout",
       "S",
       "audit: seconds each repository may take (a slower one is recorded incomplete)",
       {Command::Audit},
       set_repo_timeout},
      {"--",
       "",
       "end of options: every later word is a path (or revision), even one that starts with -",
       {Command::Scan, Command::History, Command::CommitMsg, Command::Ignore, Command::Redact,
        Command::Staged, Command::PrePush, Command::PreReceive, Command::Purge, Command::Import,
        Command::Audit, Command::Report},
       nullptr,
       {},
       {},
       AfterOption::OperandsOnly},
  };
  return table;
}

const CommandSpec* find_command(std::string_view word) {
  for (const CommandSpec& c : command_table()) {
    if (c.name == word || std::find(c.spellings.begin(), c.spellings.end(), word) != c.spellings.end())
      return &c;
  }
  return nullptr;
}

const CommandSpec& command_spec(Command command) {
  for (const CommandSpec& c : command_table()) {
    if (c.command == command) return c;
  }
  throw Error("internal: a command without a row in the command table");
}

const std::vector<RevisionWord>& revision_words() {
  static const std::vector<RevisionWord> words = {
      {"--not", false}, {"--all", false}, {"--branches", true}, {"--remotes", true}, {"--tags", true}};
  return words;
}

}  // namespace keygate
