// This file implements the command line (see cli.hpp).
#include "cli/cli.hpp"

#include <fcntl.h>
#include <fmt/core.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <set>
#include <sstream>
#include <system_error>
#include <thread>

#include "agent/agent_hook.hpp"
#include "archive/reader.hpp"
#include "cli/commands.hpp"
#include "cli/help.hpp"
#include "cli/process.hpp"
#include "cli/runners.hpp"
#include "config/config.hpp"
#include "config/resolve.hpp"
#include "core/error.hpp"
#include "core/pipeline.hpp"
#include "core/scanner.hpp"
#include "core/sink.hpp"
#include "core/source.hpp"
#include "filter/dataset.hpp"
#include "filter/env_reuse.hpp"
#include "filter/fingerprint.hpp"
#include "filter/min_confidence.hpp"
#include "filter/suppress.hpp"
#include "git/git.hpp"
#include "install/agent_install.hpp"
#include "install/install.hpp"
#include "push/push.hpp"
#include "report/html.hpp"
#include "report/redact_text.hpp"
#include "rules/keywords.hpp"
#include "rules/rules.hpp"
#include "rules/self_test.hpp"
#include "source/commit_msg.hpp"
#include "util/file_io.hpp"
#include "util/trace.hpp"
#include "verify/revoke.hpp"

#ifndef KEYGATE_VERSION
#define KEYGATE_VERSION "0.0.0"
#endif

namespace keygate {
namespace {

// ---- stage helpers ----

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

// Writes `findings` to stdout in `format`.
void report(Format format, const std::vector<Finding>& findings, const ReportContext& context,
            const RuleSet& rules) {
  try {
    if (format == Format::Json) {
      write_json_report(stdout, findings, context);
    } else if (format == Format::Gitlab) {
      write_gitlab_report(stdout, findings, context);
    } else if (format == Format::Html) {
      write_html_report(stdout, findings, context);
    } else if (format == Format::Sarif) {
      std::vector<RuleInfo> infos;
      for (const auto& r : rules.rules())
        infos.push_back({r->spec().id, r->spec().description, r->spec().tags});
      write_sarif_report(stdout, findings, context, infos);
    } else {
      write_text_report(stdout, findings, context);
    }
    std::fflush(stdout);
  } catch (const std::system_error& e) {
    // A reader that stopped early (keygate ... | head) is not an error; the exit status still tells.
    if (e.code() != std::errc::broken_pipe) throw;
  }
}

// Appends the fingerprints of `findings` that are not there yet to ROOT/.keygateignore.
int record_ignores(const std::vector<Finding>& findings, const std::string& root) {
  const std::string path = root + ".keygateignore";
  const std::size_t added = add_to_ignore_file(path, findings);
  fmt::print("keygate: {} fingerprint{} added to {}\n", added, added == 1 ? "" : "s", path);
  return 0;
}

// The repository a staged or history scan reads, and the index file git named (GIT_INDEX_FILE, set by
// `git commit -a` and `git commit PATH` for the hook); nothing for `scan`.
struct RepositoryInput {
  git::Repository repo;
  std::string index_path;
};

RepositoryInput open_repository(const Options& options) {
  RepositoryInput input;
  if (options.source != SourceKind::Staged && options.source != SourceKind::Commit) return input;
  input.repo = git::open(options.repo);
  if (options.repo.empty() && std::getenv("GIT_INDEX_FILE") != nullptr)
    input.index_path = std::getenv("GIT_INDEX_FILE");
  trace_stage("open repository");
  return input;
}

std::unique_ptr<RuleSet> load_rules(const Options& options, const ProjectFiles& project) {
  RuleOptions rule_options;
  rule_options.max_decode_depth = options.max_decode_depth;
  rule_options.explain = options.explain ? Explain::On : Explain::Off;
  std::unique_ptr<RuleSet> rules =
      build_rules(with_rule_packs(resolve_config(options.config_file, project), options.packs), rule_options);
  for (const std::string& w : rules->config().warnings) fmt::print(stderr, "keygate: warning: {}\n", w);
  trace_stage("load rules");
  return rules;
}

ScanSettings scan_settings(const Options& options) {
  ScanSettings settings;
  settings.verbose = options.verbose;
  settings.jobs = options.jobs != 0 ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  settings.max_file_size = options.max_file_size;
  settings.max_archive_depth = options.max_archive_depth.value_or(kDefaultArchiveDepth);
  // History skips huge blobs by default (they are usually data, and every version would be read); the
  // staged check scans everything it would commit.
  if (settings.max_file_size == 0 && options.source == SourceKind::Commit)
    settings.max_file_size = kDefaultMaxBlobSize;
  return settings;
}

// `scan`'s paths, listed from now on (on a thread of its own when the scan may use several), or nothing
// for the other sources.
std::optional<PathListing> start_listing(const Options& options) {
  if (options.source != SourceKind::File) return std::nullopt;
  return PathListing(options.args.empty() ? std::vector<std::string>{"."} : options.args,
                     scan_settings(options).jobs > 1);
}

// Runs the source `options` names; it pushes fragments into `scanner`. `listing`: start_listing's.
void read_source(const Options& options, const RepositoryInput& input, std::optional<PathListing>& listing,
                 Scanner& scanner) {
  if (options.source == SourceKind::Staged) {
    read_staged_changes(input.repo.get(), input.index_path, scanner);
  } else if (options.source == SourceKind::CommitMessage) {
    read_commit_message_file(options.args.front(), scanner);
  } else if (options.source == SourceKind::Commit) {
    HistoryOptions history;
    history.ranges = options.args;
    history.progress = options.progress.value_or(::isatty(STDERR_FILENO) != 0);
    read_history(input.repo.get(), history, scanner);
  } else {
    listing->read(scanner, options.progress.value_or(::isatty(STDERR_FILENO) != 0));
  }
  trace_stage("read and detect");
}

void report(const Options& options, const std::vector<Finding>& findings, const RuleSet& rules,
            std::time_t started, const std::string& gap) {
  ReportContext context;
  context.source = options.source;
  context.secrets = options.secrets;
  context.version = KEYGATE_VERSION;
  context.color = use_color(options.color, STDOUT_FILENO);
  context.started = started;
  context.repo = options.repo;
  context.gap = gap;
  report(options.format, findings, context, rules);
  trace_stage("report");
}

// pre-receive and pre-push: the push checks' own pipeline (push/push.cpp) from the command line.
PushCheckOptions push_check_options(const Options& options) {
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
  push.max_archive_depth = options.max_archive_depth;
  push.max_file_size = options.max_file_size;
  push.min_confidence = options.min_confidence;
  push.verbose = options.verbose;
  return push;
}

// After the findings of a scan that read datasets: what a reviewer of a fine-tuning file needs to know.
void print_dataset_summary(const DatasetSummary& s) {
  fmt::print("dataset summary: {} file{}, {} record{}, {} with findings\n", s.files, s.files == 1 ? "" : "s",
             s.records, s.records == 1 ? "" : "s", s.records_with_findings);
  for (const auto& [rule, n] : s.findings_per_rule) fmt::print("    {:<36} {}\n", rule, n);
  std::fflush(stdout);
}

// redact: copy the input with every secret (and sensitive JSON field) replaced.
int redact_command(const Options& options) {
  // 1. Rules as `scan` has them: --config, ./.keygate.toml or the defaults, plus --rules packs.
  const ProjectFiles project = project_files(nullptr, SourceKind::File, "");
  const std::unique_ptr<RuleSet> rules = load_rules(options, project);
  RedactOptions redact = options.redact;
  if (!rules->config().redact_fields.empty()) redact.fields = rules->config().redact_fields;
  // 2. The one pipeline, as for a scan, judging with every confidence (a log line masked too many is cheaper
  //    than a key left readable) and no suppression; the redactor rewrites what its chain keeps.
  Pipeline pipeline(
      *rules, Judgement{Confidence::Low, {}},
      archive::with_archive_config(scan_settings(options), options.max_archive_depth, rules->config()));
  Scanner& scanner = pipeline.scanner();
  // 3. Each input: stdin to stdout, files to stdout or rewritten in place (redact.hpp).
  RedactStats stats;
  const bool failed = !redact_inputs(scanner, redact, options.args, options.in_place, stats);
  // 4. What happened, then the exit code: 2 errors, 1 redacted with --fail-on-secret, else 0.
  if (stats.invalid_json_lines > 0) {
    fmt::print(stderr, "keygate: warning: {} JSON record{} not valid JSON: redacted as text\n",
               stats.invalid_json_lines, stats.invalid_json_lines == 1 ? " was" : "s were");
  }
  if (options.verbose) {
    fmt::print(stderr, "keygate: redacted {} secret{} and {} field{}\n", stats.secrets,
               stats.secrets == 1 ? "" : "s", stats.fields, stats.fields == 1 ? "" : "s");
  }
  if (failed || scanner.incomplete()) return 2;
  return options.fail_on_secret && stats.secrets + stats.fields > 0 ? 1 : 0;
}

// True iff a commit-msg run with `options` reads nothing but the default rules and prints nothing when
// there is no finding (commit_msg.hpp says what the directory must not hold).
bool default_rules_only(const Options& o) {
  return o.config_file.empty() && o.packs.empty() && o.baseline.empty() && !o.max_decode_depth &&
         !o.verbose && o.format == Format::Text && no_project_rules_here();
}

}  // namespace

// staged, scan, history, commit-msg and ignore: the pipeline, one stage a line (runners.hpp).
ScanOutcome scan_findings(const Options& options) {
  ScanOutcome out;
  out.started = std::time(nullptr);  // for the GitLab report
  // 1. Open the repository, if the source is one (and the index file git named).
  const RepositoryInput input = open_repository(options);
  //    `scan`: its paths' files are listed meanwhile, while the stages up to 5 run (gitleaks' config takes
  //    as long to load as a 6,000-file tree to list).
  std::optional<PathListing> listing = start_listing(options);
  // 2. Where the project's own files come from: the index (staged), the work tree, or the current directory.
  const ProjectFiles project = project_files(input.repo.get(), options.source, input.index_path);
  out.root = project.root.empty() ? "./" : project.root;
  // 3. Rules: --config, .keygate.toml or the defaults, [extend] chains followed (config/resolve.hpp).
  out.rules = load_rules(options, project);
  // 4. The one pipeline (core/pipeline.hpp): detector -> fingerprint -> suppress (.keygateignore,
  //    --baseline) -> confidence -> collect, judged as every other mode judges.
  Pipeline pipeline(
      *out.rules,
      make_judgement(options.min_confidence, out.rules->config(),
                     suppressed_fingerprints(project, options.baseline)),
      archive::with_archive_config(scan_settings(options), options.max_archive_depth, out.rules->config()));
  // 5. Read the source; the Scanner runs the detector on each fragment and feeds the chain.
  read_source(options, input, listing, pipeline.scanner());
  // 6. The findings in report order, placed in datasets (record, JSON pointer).
  out.findings = pipeline.finish();
  if (pipeline.scanner().incomplete()) {
    out.gap = pipeline.scanner().first_warning();
    if (out.gap.empty()) out.gap = "not everything was read (see the warnings)";
  }
  out.datasets = annotate_datasets(out.findings, pipeline.scanner().datasets());
  annotate_reuse(out.findings);  // one key in .env.dev and .env.production: reported once, with the places
  return out;
}

namespace {

int scan_command(const Options& options) {
  ScanOutcome scanned = scan_findings(options);
  std::vector<Finding>& findings = scanned.findings;
  const RuleSet& rules = *scanned.rules;
  //    Secrets in commit texts redacted (E14).
  if (options.secrets != Secrets::Shown) redact_commit_texts(findings, rules);
  // 7. Only with --verify: ask the providers which keys work (verify.hpp); --only-verified keeps live ones.
  verify_findings(findings, rules, options.verify);
  // 8. Record them (ignore) or report them.
  if (options.command == Command::Ignore) return record_ignores(findings, scanned.root);
  report(options, findings, rules, scanned.started, scanned.gap);
  if (options.format == Format::Text && scanned.datasets.files > 0) print_dataset_summary(scanned.datasets);
  // 9. The exit code: 2 incomplete, 1 findings, 0 clean.
  return scanned.incomplete() ? 2 : findings.empty() ? 0 : 1;
}

}  // namespace

// ---- the command runners (runners.hpp), which the command table points at ----

int run_help(const Options& options) { return print_help(options.args, options.no_command); }

int run_version(const Options&) {
  fmt::print("keygate {}\n", KEYGATE_VERSION);
  return 0;
}

// install/uninstall --agent: the agent and where its settings are. Throws Error for --hook with --agent,
// and for --scope without it.
std::optional<std::pair<Agent, AgentScope>> agent_install_target(const Options& options) {
  if (options.agent.empty()) {
    if (!options.scope.empty()) throw Error("--scope applies to --agent only (a coding agent's hooks)");
    return std::nullopt;
  }
  if (!options.hooks.empty()) throw Error("--hook and --agent: git's hooks or an agent's, one at a time");
  return std::make_pair(*find_agent(options.agent),
                        options.scope.empty() ? AgentScope::User : parse_agent_scope(options.scope));
}

int run_install(const Options& options) {
  if (const auto target = agent_install_target(options)) {
    fmt::print("{}\n", install_agent_hooks(target->first, target->second, options.repo,
                                           self_path(options.program.c_str())));
    return 0;
  }
  fmt::print("{}\n", install_hooks(options.repo, self_path(options.program.c_str()), options.hooks));
  return 0;
}

int run_uninstall(const Options& options) {
  if (const auto target = agent_install_target(options)) {
    fmt::print("{}\n", uninstall_agent_hooks(target->first, target->second, options.repo));
    return 0;
  }
  fmt::print("{}\n", uninstall_hooks(options.repo, options.hooks));
  return 0;
}

// The agent's event on stdin, answered on stdout and stderr (agent_hook.hpp). Whatever goes wrong is an
// answer that stops the event, never an exit the agent might take for "go ahead".
int run_agent_hook(const Options& options) {
  if (options.agent.empty())
    throw Error("agent-hook needs --agent NAME (claude-code, cursor, copilot or codex)");
  const AgentHookSettings settings{.agent = *find_agent(options.agent),
                                   .event = options.agent_event,
                                   .config_file = options.config_file,
                                   .packs = options.packs,
                                   .min_confidence = options.min_confidence,
                                   .max_decode_depth = options.max_decode_depth};
  std::string input;
  char buffer[65536];
  for (;;) {
    const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
    if (n > 0) {
      input.append(buffer, static_cast<std::size_t>(n));
    } else if (n == 0) {
      break;
    } else if (errno != EINTR) {
      input.clear();  // an unreadable event is judged as no event: it fails closed
      break;
    }
  }
  const AgentAnswer answer = answer_agent_event(input, settings);
  std::fwrite(answer.out.data(), 1, answer.out.size(), stdout);
  std::fflush(stdout);
  std::fwrite(answer.err.data(), 1, answer.err.size(), stderr);
  return answer.exit_code;
}

// The rules as `scan` loads them in the current directory, with the same warnings.
int run_rules(const Options& options) {
  const std::unique_ptr<RuleSet> rules = load_rules(options, project_files(nullptr, SourceKind::File, ""));
  if (options.test_rules) return test_rules(*rules, stdout) ? 0 : 1;
  print_rules(*rules);
  return 0;
}

int run_push_check_command(const Options& options) {
  return run_push_check(push_check_options(options), stdin);
}

int run_redact(const Options& options) { return redact_command(options); }

int run_commit_msg(const Options& options) {
  // The hook's common case ends here: the default rules alone, and a message none of them can match.
  if (default_rules_only(options) && message_clean_under_default_rules(options.args.front())) return 0;
  return scan_command(options);
}

int run_scan(const Options& options) { return scan_command(options); }

namespace {

// The keys of `verify` and `revoke`: from --report, else standard input (never argv).
std::vector<KeyInput> key_inputs(const Options& options, const RuleSet& rules) {
  if (!options.report_file.empty()) return keys_in_report(options.report_file);
  if (::isatty(STDIN_FILENO)) fmt::print(stderr, "keygate: paste the key, then press Ctrl-D\n");
  return keys_in_text(rules, read_key_input(stdin, "standard input"), options.rule_id, "standard input");
}

}  // namespace

int run_verify_key(const Options& options) {
  const std::unique_ptr<RuleSet> rules = load_rules(options, project_files(nullptr, SourceKind::File, ""));
  VerifySettings settings = options.verify;
  settings.enabled = true;  // the command is the consent to send
  return verify_keys(*rules, key_inputs(options, *rules), settings,
                     options.format == Format::Json ? KeyFormat::Json : KeyFormat::Text, stdout);
}

int run_revoke(const Options& options) {
  const std::unique_ptr<RuleSet> rules = load_rules(options, project_files(nullptr, SourceKind::File, ""));
  return revoke_keys(key_inputs(options, *rules), options.verify,
                     options.yes ? Confirmation::Given : Confirmation::Ask, stdout);
}

int run(int argc, char** argv) {
  init_process();  // every process-wide setting, once (process.hpp)
  try {
    const Options options = parse_options(argc, argv);
    trace_stage("start");
    return command_spec(options.command).run(options);
  } catch (const Error& e) {
    std::fflush(stdout);
    fmt::print(stderr, "keygate: error: {}\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fflush(stdout);
    fmt::print(stderr, "keygate: internal error: {}\n", e.what());
    return 2;
  }
}

}  // namespace keygate
