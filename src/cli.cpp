// This file implements the command line (see cli.hpp).
#include "cli.hpp"

#include <fmt/core.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <system_error>
#include <thread>

#include "config.hpp"
#include "error.hpp"
#include "git.hpp"
#include "install.hpp"
#include "keywords.hpp"
#include "push.hpp"
#include "rules.hpp"
#include "rules_test.hpp"
#include "source.hpp"
#include "trace.hpp"

#ifndef KEYGATE_VERSION
#define KEYGATE_VERSION "0.0.0"
#endif

namespace keygate {
namespace {

constexpr std::uint64_t kDefaultMaxBlobSize = 50ull << 20;

const char* const kUsage =
    "usage: keygate <command> [options]\n"
    "\n"
    "commands:\n"
    "  staged [--repo DIR]            check the staged changes (what the pre-commit hook runs)\n"
    "  scan [PATH...|-]               scan files and directories (default .), or stdin with -\n"
    "  history [--repo DIR] [RANGE...] scan every commit (default: all refs), e.g. main or v1.0..HEAD\n"
    "  ignore [staged|scan PATH...|history RANGE...]   add the findings' fingerprints to .keygateignore\n"
    "  install [--repo DIR]           install the git pre-commit hook\n"
    "  uninstall [--repo DIR]         remove it (and restore a hook it had kept)\n"
    "  rules [--test]                 list the rules, or check every rule against its examples\n"
    "  pre-receive [--config F] [--timeout S] [--on-timeout reject|accept] [--no-repo-config]\n"
    "                                 server hook: reject pushed commits that add secrets (reads git's "
    "input)\n"
    "  pre-push [REMOTE [URL]]        client hook: check the commits the remote does not have yet\n"
    "  version\n"
    "\n"
    "options:\n"
    "  --config FILE        use these rules instead of the defaults (gitleaks format; [extend] useDefault)\n"
    "  --format text|json|sarif   report format (default text)\n"
    "  --baseline FILE      report only findings that are not in this earlier JSON report\n"
    "  --since-commit SHA   history: only the commits after SHA (same as SHA..HEAD)\n"
    "  history revisions    REV, ^REV, A..B, --not, --all, --branches[=P], --remotes[=R], --tags[=P]\n"
    "  --show-secrets       print secrets whole (default: a prefix and the last four characters)\n"
    "  --jobs N             threads (default: every core)\n"
    "  --max-file-size N    skip files larger than N bytes (K, M, G suffixes; history default 50M)\n"
    "  --progress, --no-progress   history progress on stderr (default: when stderr is a terminal)\n"
    "  --verbose            say what was skipped and why\n"
    "\n"
    "exit status: 0 nothing found, 1 secrets found, 2 error (the scan could not finish)\n";

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
  if (errno != 0 || end == text.c_str() || text[0] == '-') throw Error("--max-file-size: not a size: \"" + text + "\"");
  return value * scale;
}

Command parse_command(const std::string& word) {
  if (word == "staged") return Command::Staged;
  if (word == "scan") return Command::Scan;
  if (word == "history") return Command::History;
  if (word == "ignore") return Command::Ignore;
  if (word == "install") return Command::Install;
  if (word == "uninstall") return Command::Uninstall;
  if (word == "rules") return Command::Rules;
  if (word == "pre-receive") return Command::PreReceive;
  if (word == "pre-push") return Command::PrePush;
  if (word == "version" || word == "--version") return Command::Version;
  if (word == "help" || word == "--help" || word == "-h") return Command::Help;
  throw Error("unknown command \"" + word + "\" (see keygate --help)");
}

// ---- stage helpers ----

std::string read_text_file(const std::string& path, bool* found) {
  std::ifstream in(path, std::ios::binary);
  *found = static_cast<bool>(in);
  if (!in) return {};
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The project's own files (.keygate.toml, .keygateignore): at the top of the work tree, or of the current
// directory for `scan`. For the staged check they are read from the index when it has them: the commit
// is judged by the configuration it commits, and an unstaged allowlist cannot wave a secret through.
struct ProjectFiles {
  std::string root;             // with a trailing '/', or empty (bare repository: none)
  git_repository* staged_repo = nullptr;
  std::string index_path;

  // The file's text and the name to show for it in messages; nullopt when there is none.
  std::optional<std::pair<std::string, std::string>> read(const std::string& name) const {
    if (staged_repo != nullptr) {
      if (std::optional<std::string> text = read_staged_file(staged_repo, index_path, name)) {
        return std::make_pair(std::move(*text), root + name + " (staged)");
      }
    }
    if (root.empty()) return std::nullopt;
    bool found = false;
    std::string text = read_text_file(root + name, &found);
    if (!found) return std::nullopt;
    return std::make_pair(std::move(text), root + name);
  }
};

ProjectFiles project_files(git_repository* repo, Command source, const std::string& index_path) {
  ProjectFiles files;
  if (repo == nullptr) {
    files.root = "./";
    return files;
  }
  const char* workdir = git_repository_workdir(repo);
  files.root = workdir != nullptr ? workdir : "";
  if (source == Command::Staged) {
    files.staged_repo = repo;
    files.index_path = index_path;
  }
  return files;
}

// Resolves --config, [extend] and .keygate.toml into the Config to use.
std::shared_ptr<const Config> resolve_config(const Options& options, const ProjectFiles& project) {
  if (!options.config_file.empty()) {
    Config user = load_config_file(options.config_file);
    Config base;
    if (!user.extend_path.empty()) {
      Config extended = load_config_file(user.extend_path);
      base = extended.use_default.value_or(false) ? merge_configs(default_config(), extended) : extended;
    } else if (user.use_default.value_or(false)) {
      base = default_config();
    }
    return std::make_shared<const Config>(
        user.use_default.value_or(false) || !user.extend_path.empty() ? merge_configs(base, user) : user);
  }
  {
    const auto file = project.read(".keygate.toml");
    if (file) {
      Config repo_config = parse_config(file->first, file->second);
      // A repository's own file extends the defaults unless it says `[extend] useDefault = false`.
      return std::make_shared<const Config>(
          repo_config.use_default.value_or(true) ? merge_configs(default_config(), repo_config) : repo_config);
    }
  }
  // The defaults themselves, not a copy: they live as long as the process.
  return std::shared_ptr<const Config>(&default_config(), [](const Config*) {});
}

// The rule set for `config`, with the embedded keyword automaton when the rules are exactly the defaults.
std::unique_ptr<RuleSet> build_rules(std::shared_ptr<const Config> config) {
  static const KeywordIndex builtin = KeywordIndex::deserialize(default_keyword_index_bytes());
  const bool is_builtin = config->builtin;
  auto rules = std::make_unique<RuleSet>(std::move(config), is_builtin ? &builtin : nullptr);
  rules->compile_user_rules();  // a bad regex is reported with its place before anything is scanned
  return rules;
}

// Fingerprints listed in .keygateignore (one a line, # comments).
std::set<std::string> read_ignore_file(const ProjectFiles& project) {
  std::set<std::string> out;
  const auto file = project.read(".keygateignore");
  if (!file) return out;
  std::istringstream in(file->first);
  for (std::string line; std::getline(in, line);) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    out.insert(line);
  }
  return out;
}

std::vector<Finding> drop_ignored(std::vector<Finding> findings, const std::set<std::string>& ignored) {
  if (ignored.empty()) return findings;
  std::vector<Finding> kept;
  for (Finding& f : findings) {
    if (ignored.count(f.fingerprint) == 0) kept.push_back(std::move(f));
  }
  return kept;
}

void sort_findings(std::vector<Finding>& findings) {
  std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    if (a.file != b.file) return a.file < b.file;
    if (a.line != b.line) return a.line < b.line;
    if (a.column != b.column) return a.column < b.column;
    return a.rule_id < b.rule_id;
  });
}

std::string self_path(const char* argv0) {
  char buffer[4096];
  const ssize_t n = ::readlink("/proc/self/exe", buffer, sizeof buffer - 1);
  if (n > 0) return std::string(buffer, static_cast<std::size_t>(n));
  return argv0;
}

void print_rules(const RuleSet& rules) {
  for (const auto& r : rules.rules()) fmt::print("{:<40} {}\n", r->spec().id, r->spec().description);
  fmt::print("{} rules\n", rules.rules().size());
}

// Appends the fingerprints of `findings` that are not there yet to ROOT/.keygateignore.
int record_ignores(const std::vector<Finding>& findings, const std::string& root) {
  const std::string path = root + ".keygateignore";
  ProjectFiles in_work_tree;
  in_work_tree.root = root;
  const std::set<std::string> known = read_ignore_file(in_work_tree);
  bool exists = false;
  const std::string before = read_text_file(path, &exists);
  std::string added;
  std::set<std::string> written;
  for (const Finding& f : findings) {
    if (known.count(f.fingerprint) || !written.insert(f.fingerprint).second) continue;
    added += "# " + f.rule_id + " at " + f.file + (f.line > 0 ? ":" + std::to_string(f.line) : "") + "\n";
    added += f.fingerprint + "\n";
  }
  if (!added.empty()) {
    std::ofstream out(path, std::ios::binary | std::ios::app);
    if (!before.empty() && before.back() != '\n') out << '\n';
    out << added;
    out.flush();
    if (!out) throw Error(path + ": cannot write: " + std::strerror(errno));
  }
  fmt::print("keygate: {} fingerprint{} added to {}\n", written.size(), written.size() == 1 ? "" : "s", path);
  return 0;
}

int scan_command(const Options& options) {
  const Command source = options.command == Command::Ignore ? options.source : options.command;
  // 1. Open the repository, if the command reads one.
  git::Repository repo;
  std::string index_path;
  if (source == Command::Staged || source == Command::History) {
    repo = git::open(options.repo);
    trace_stage("open repository");
    if (options.repo.empty() && std::getenv("GIT_INDEX_FILE") != nullptr) index_path = std::getenv("GIT_INDEX_FILE");
  }
  // 2. Rules: the defaults, --config, or the repository's .keygate.toml.
  const ProjectFiles project = project_files(repo.get(), source, index_path);
  const std::string& root = project.root;
  const std::unique_ptr<RuleSet> rule_set = build_rules(resolve_config(options, project));
  const RuleSet& rules = *rule_set;
  trace_stage("load rules");
  for (const std::string& w : rules.config().warnings) fmt::print(stderr, "keygate: warning: {}\n", w);
  // 3. Read the source and detect.
  ScanSettings settings;
  settings.verbose = options.verbose;
  settings.jobs = options.jobs != 0 ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  settings.max_file_size = options.max_file_size;
  // History skips huge blobs by default (they are usually data, and every version would be read); the
  // staged check scans everything it would commit.
  if (settings.max_file_size == 0 && source == Command::History) settings.max_file_size = kDefaultMaxBlobSize;
  Scanner scanner(rules, settings);
  ReportContext context;
  context.secrets = options.secrets;
  context.version = KEYGATE_VERSION;
  if (source == Command::Staged) {
    context.mode = Mode::Staged;
    read_staged_changes(repo.get(), index_path, scanner);
  } else if (source == Command::History) {
    context.mode = Mode::History;
    HistoryOptions history;
    history.ranges = options.args;
    history.progress = options.progress.value_or(::isatty(STDERR_FILENO) != 0);
    read_history(repo.get(), history, scanner);
  } else {
    read_paths(options.args.empty() ? std::vector<std::string>{"."} : options.args, scanner);
  }
  trace_stage("read and detect");
  // 4. Suppressions, then order.
  std::vector<Finding> findings = drop_ignored(scanner.take_findings(), read_ignore_file(project));
  if (!options.baseline.empty()) {
    const std::vector<std::string> old = read_baseline_fingerprints(options.baseline);
    findings = drop_ignored(std::move(findings), std::set<std::string>(old.begin(), old.end()));
  }
  sort_findings(findings);
  if (options.command == Command::Ignore) return record_ignores(findings, root.empty() ? "./" : root);
  // 5. Report.
  try {
    if (options.format == Format::Json) {
      write_json_report(stdout, findings, context);
    } else if (options.format == Format::Sarif) {
      std::vector<RuleInfo> infos;
      for (const auto& r : rules.rules()) infos.push_back({r->spec().id, r->spec().description, r->spec().tags});
      write_sarif_report(stdout, findings, context, infos);
    } else {
      write_text_report(stdout, findings, context);
    }
    std::fflush(stdout);
  } catch (const std::system_error& e) {
    // A reader that stopped early (keygate ... | head) is not an error; the exit status still tells.
    if (e.code() != std::errc::broken_pipe) throw;
  }
  trace_stage("report");
  if (scanner.incomplete()) return 2;
  return findings.empty() ? 0 : 1;
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
    const bool revision_option =
        o.command == Command::History &&
        (a == "--not" || a == "--all" || is("--branches") || is("--remotes") || is("--tags"));
    if (only_args || a == "-" || a.empty() || a[0] != '-' || revision_option) {
      o.args.push_back(a);
    } else if (a == "--") {
      only_args = true;
    } else if (is("--repo")) {
      o.repo = value("--repo");
    } else if (is("--config")) {
      o.config_file = value("--config");
    } else if (is("--baseline")) {
      o.baseline = value("--baseline");
    } else if (is("--since-commit")) {
      o.since_commit = value("--since-commit");
    } else if (is("--format")) {
      const std::string f = value("--format");
      if (f == "text") {
        o.format = Format::Text;
      } else if (f == "json") {
        o.format = Format::Json;
      } else if (f == "sarif") {
        o.format = Format::Sarif;
      } else {
        throw Error("--format: unknown format \"" + f + "\" (text, json or sarif)");
      }
    } else if (a == "--show-secrets") {
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
      if (n.empty() || *end != '\0' || jobs < 1 || jobs > 1024) throw Error("--jobs: not a thread count: \"" + n + "\"");
      o.jobs = static_cast<unsigned>(jobs);
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
    } else if (is("--max-file-size")) {
      o.max_file_size = parse_size(value("--max-file-size"));
    } else {
      throw Error("unknown option \"" + a + "\" (see keygate --help)");
    }
  }
  if (o.command == Command::Ignore) {
    if (!o.args.empty() && (o.args[0] == "staged" || o.args[0] == "scan" || o.args[0] == "history")) {
      o.source = parse_command(o.args[0]);
      o.args.erase(o.args.begin());
    }
    if (!o.args.empty() && o.source == Command::Staged) {
      throw Error("unexpected argument \"" + o.args.front() + "\" (see keygate --help)");
    }
  } else if (o.command == Command::PrePush && o.args.size() <= 2) {
    // git passes the remote's name and URL.
  } else if (!o.args.empty() && o.command != Command::Scan && o.command != Command::History) {
    throw Error("unexpected argument \"" + o.args.front() + "\" (see keygate --help)");
  }
  if (!o.since_commit.empty()) {
    if (o.command != Command::History && !(o.command == Command::Ignore && o.source == Command::History)) {
      throw Error("--since-commit only applies to history");
    }
    // The commits after SHA: of the given revisions, or of HEAD.
    const bool has_tips = std::any_of(o.args.begin(), o.args.end(), [](const std::string& a) { return a[0] != '^'; });
    if (!has_tips) o.args.push_back("HEAD");
    o.args.push_back("^" + o.since_commit);
  }
  return o;
}

int run(int argc, char** argv) {
  // A closed pipe (keygate ... | head) ends output quietly instead of killing the process.
  ::signal(SIGPIPE, SIG_IGN);
  try {
    const Options options = parse_options(argc, argv);
    git::init();
    trace_stage("start");
    switch (options.command) {
      case Command::Help:
        fmt::print("{}", kUsage);
        return argc < 2 ? 2 : 0;
      case Command::Version:
        fmt::print("keygate {}\n", KEYGATE_VERSION);
        return 0;
      case Command::Install:
        fmt::print("{}\n", install_hook(options.repo, self_path(argv[0])));
        return 0;
      case Command::Uninstall:
        fmt::print("{}\n", uninstall_hook(options.repo));
        return 0;
      case Command::Rules: {
        const std::unique_ptr<RuleSet> rules = build_rules(resolve_config(options, project_files(nullptr, Command::Scan, "")));
        if (options.test_rules) return test_rules(*rules, stdout) ? 0 : 1;
        print_rules(*rules);
        return 0;
      }
      case Command::PreReceive:
      case Command::PrePush: {
        PushCheckOptions push;
        push.hook = options.command == Command::PreReceive ? PushHook::PreReceive : PushHook::PrePush;
        push.repo = options.repo;
        push.remote = options.args.empty() ? "" : options.args[0];
        push.config_file = options.config_file;
        push.repo_config = options.repo_config;
        push.timeout_seconds = options.timeout;
        push.on_timeout = options.accept_on_timeout ? OnTimeout::Accept : OnTimeout::Reject;
        push.secrets = options.secrets;
        push.jobs = options.jobs != 0 ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
        push.max_file_size = options.max_file_size;
        push.verbose = options.verbose;
        return run_push_check(push, stdin);
      }
      case Command::Staged:
      case Command::Scan:
      case Command::History:
      case Command::Ignore:
        return scan_command(options);
    }
  } catch (const Error& e) {
    std::fflush(stdout);
    fmt::print(stderr, "keygate: error: {}\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fflush(stdout);
    fmt::print(stderr, "keygate: internal error: {}\n", e.what());
    return 2;
  }
  return 2;
}

}  // namespace keygate
