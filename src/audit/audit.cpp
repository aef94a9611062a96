// This file implements `keygate audit` (see audit.hpp): the stages below, one a line in run_audit. Each
// repository is read by the history source through its own Pipeline, as `keygate history` reads one, and
// its incidents are written to OUT/<name>-<hash>.json before the next repository starts on that worker;
// nothing of a finished repository stays in memory.
#include "audit/audit.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <thread>

#include "audit/mirror.hpp"
#include "audit/targets.hpp"
#include "cli/cli.hpp"
#include "cli/runners.hpp"
#include "config/resolve.hpp"
#include "core/error.hpp"
#include "core/pipeline.hpp"
#include "core/scanner.hpp"
#include "core/source.hpp"
#include "git/git.hpp"
#include "git/revisions.hpp"
#include "report/incidents.hpp"
#include "report/place_context.hpp"
#include "rules/rules.hpp"
#include "util/file_io.hpp"
#include "util/sha256.hpp"

#ifndef KEYGATE_VERSION
#define KEYGATE_VERSION "0.0.0"
#endif

namespace keygate::audit {
namespace {

using Clock = std::chrono::steady_clock;

// 64 hex digits naming what the repository's refs point at (every ref and a detached HEAD, as `history`
// with no revision reads them): a result made for the same digest is complete for this repository.
std::string refs_digest(git_repository* repo) {
  const RevisionSelection all = parse_revisions(repo, {});
  std::vector<std::string> lines;
  for (const git_oid& tip : all.tips) lines.push_back(std::string("tip ") + git_oid_tostr_s(&tip));
  for (const NamedObject& o : all.objects) lines.push_back("object " + o.name + " " + git_oid_tostr_s(&o.id));
  std::sort(lines.begin(), lines.end());
  Sha256 hash;
  for (const std::string& line : lines) hash.update(line + "\n");
  return to_hex(hash.finish());
}

// The progress line: repositories done of the total, the one started last, and the time left at the
// pace so far. Thread-safe; draws at most five times a second, and only on a terminal.
class AuditProgress {
 public:
  AuditProgress(bool enabled, std::size_t total) : enabled_(enabled), total_(total), start_(Clock::now()) {}
  void started(const std::string& name) {
    std::lock_guard<std::mutex> lock(mutex_);
    current_ = name;
    draw(false);
  }
  void finished() {
    std::lock_guard<std::mutex> lock(mutex_);
    ++done_;
    draw(done_ == total_);
  }

 private:
  void draw(bool final) {
    if (!enabled_) return;
    const auto now = Clock::now();
    if (!final && now - last_ < std::chrono::milliseconds(200)) return;
    last_ = now;
    const double seconds = std::chrono::duration<double>(now - start_).count();
    const double eta =
        done_ > 0 ? seconds * static_cast<double>(total_ - done_) / static_cast<double>(done_) : 0;
    std::string current = current_.size() > 50 ? "..." + current_.substr(current_.size() - 47) : current_;
    std::fprintf(stderr, "\r\033[Kkeygate: audit: %zu/%zu repositories, %s, ETA %.0fs", done_, total_,
                 final ? "done" : current.c_str(), eta);
    if (final) std::fprintf(stderr, "\n");
  }
  std::mutex mutex_;
  bool enabled_;
  std::size_t total_, done_ = 0;
  std::string current_;
  Clock::time_point start_, last_{};
};

// What one audit run shares between its workers.
struct AuditRun {
  const Options& options;
  const RuleSet& rules;
  AuditKey key;
  std::string cache;
  unsigned cores = 1;
};

// What became of one repository.
enum class Outcome { Scanned, UpToDate };

struct RepositoryOutcome {
  Outcome outcome = Outcome::Scanned;
  RepositoryStatus status = RepositoryStatus::Ok;
  std::size_t incidents = 0;
  std::string error;
};

// The result file of `target`, when it is complete for `refs` under `key`: then it need not be read again.
std::optional<Incidents> complete_result(const std::string& path, const std::string& refs,
                                         const AuditKey& key) {
  std::optional<std::string> text;
  try {
    text = load_file_if_exists(path);
    if (!text) return std::nullopt;
    Incidents earlier = parse_incidents(*text, path);
    if (earlier.repositories.size() != 1 || earlier.repositories[0].status != RepositoryStatus::Ok ||
        earlier.repositories[0].refs != refs || (!earlier.key_id.empty() && earlier.key_id != key.id())) {
      return std::nullopt;
    }
    return earlier;
  } catch (const Error&) {
    return std::nullopt;  // a damaged or foreign file is read again and replaced
  }
}

RepositoryOutcome audit_repository(AuditRun& run, const Target& target) {
  const AuditOptions& options = run.options.audit;
  const Clock::time_point start = Clock::now();
  const auto limit =
      std::chrono::milliseconds(options.repo_timeout > 0 ? static_cast<long long>(options.repo_timeout * 1000)
                                                         : 365LL * 24 * 3600 * 1000);
  const std::string result_path = options.out_dir + "/" + safe_file_name(target.name) + ".json";
  Incidents result;
  result.tool = "keygate " KEYGATE_VERSION;
  result.key_id = run.key.id();
  RepositoryResult repository;
  repository.name = target.name;
  RepositoryOutcome outcome;
  try {
    if (options.max_repo_size > 0 && target.size > options.max_repo_size)
      throw Error(std::to_string(target.size) + " bytes, over --max-repo-size");
    const std::string path = target.remote ? update_mirror(target, run.cache, limit) : target.location;
    if (options.max_repo_size > 0) {
      const std::uint64_t size = local_repository_size(path);
      if (size > options.max_repo_size)
        throw Error(std::to_string(size) + " bytes of objects, over --max-repo-size");
    }
    const git::Repository repo = git::open(path);
    repository.refs = refs_digest(repo.get());
    if (std::optional<Incidents> earlier = complete_result(result_path, repository.refs, run.key)) {
      outcome.outcome = Outcome::UpToDate;
      outcome.incidents = earlier->incidents.size();
      return outcome;
    }
    // Every repository may use every core (capped): the workers' threads then share the cores, and the
    // largest repository, started first, takes them all once the small ones are done instead of finishing
    // alone on one thread.
    ScanSettings settings;
    settings.jobs = std::min(run.cores, 16u);
    settings.max_file_size = run.options.max_file_size != 0 ? run.options.max_file_size : kDefaultMaxBlobSize;
    settings.verbose = run.options.verbose;
    Pipeline pipeline(run.rules, make_judgement(run.options.min_confidence, run.rules.config(), {}),
                      settings);
    HistoryOptions history;
    if (options.repo_timeout > 0) history.deadline = start + limit;
    const HistoryStats stats = read_history(repo.get(), history, pipeline.scanner());
    std::vector<Finding> findings = pipeline.finish();
    repository.commits = stats.commits_scanned;
    repository.bytes = pipeline.scanner().bytes_scanned();
    if (stats.commits_scanned < stats.commits) {
      repository.status = RepositoryStatus::Incomplete;
      repository.error = "over --repo-timeout: " + std::to_string(stats.commits_scanned) + " of " +
                         std::to_string(stats.commits) + " commits scanned";
    } else if (pipeline.scanner().incomplete()) {
      repository.status = RepositoryStatus::Incomplete;
      repository.error = "not everything was scanned: " + pipeline.scanner().first_warning();
    }
    result.incidents = group_findings(findings, target.name, run.key);
    // Each place's line, secrets redacted, read back from its commit: the scan itself keeps no text.
    ReportContext lines;
    lines.source = SourceKind::Commit;
    lines.repo = path;
    add_place_context(result.incidents, findings, lines);
  } catch (const std::exception& e) {
    repository.status = RepositoryStatus::Failed;
    repository.error = e.what();
    result.incidents.clear();
  }
  result.generated = utc_now();
  outcome.status = repository.status;
  outcome.error = repository.error;
  outcome.incidents = result.incidents.size();
  result.repositories.push_back(std::move(repository));
  write_file_atomic(result_path, incidents_json(result));
  return outcome;
}

// Every repository the command line names, sorted by name, each once.
std::vector<Target> list_targets(const Options& options) {
  std::vector<Target> targets;
  for (const std::string& word : options.args) targets.push_back(target_for(word));
  for (const std::string& list : options.audit.lists) {
    for (Target& t : read_target_list(list)) targets.push_back(std::move(t));
  }
  for (const std::string& org : options.audit.github_orgs) {
    for (Target& t : list_forge(Forge::GitHub, org, options.audit.api_url)) targets.push_back(std::move(t));
  }
  for (const std::string& group : options.audit.gitlab_groups) {
    for (Target& t : list_forge(Forge::GitLab, group, options.audit.api_url)) targets.push_back(std::move(t));
  }
  if (targets.empty())
    throw Error("audit: no repository given (paths, URLs, --list, --github-org or --gitlab-group)");
  sort_targets(targets);
  return targets;
}

// This job's share of `targets`.
std::vector<Target> this_shard(std::vector<Target> targets, const AuditOptions& options) {
  const std::optional<Shard> shard = options.shard ? options.shard : shard_from_environment(options.shards);
  if (!shard || shard->count == 1) return targets;
  // Sizes are used only when every job can know them all alike: given in the list or by the API, or read
  // from local repositories (a shared file system).
  std::vector<std::string> names;
  std::vector<std::uint64_t> sizes;
  const bool all_known =
      std::all_of(targets.begin(), targets.end(), [](const Target& t) { return t.size > 0 || !t.remote; });
  for (Target& t : targets) {
    names.push_back(t.name);
    if (all_known && t.size == 0) t.size = std::max<std::uint64_t>(1, local_repository_size(t.location));
    sizes.push_back(all_known ? t.size : 0);
  }
  std::vector<Target> mine;
  for (std::size_t i : shard_members(names, sizes, *shard)) mine.push_back(std::move(targets[i]));
  return mine;
}

std::unique_ptr<RuleSet> audit_rules(const Options& options) {
  RuleOptions rule_options;
  rule_options.max_decode_depth = options.max_decode_depth;
  // One rule set for every repository: --config, else the defaults (a repository's own .keygate.toml would
  // let it hide its secrets from the audit).
  std::unique_ptr<RuleSet> rules = build_rules(
      with_rule_packs(resolve_config(options.config_file, ProjectFiles{}), options.packs), rule_options);
  for (const std::string& w : rules->config().warnings)
    std::fprintf(stderr, "keygate: warning: %s\n", w.c_str());
  return rules;
}

}  // namespace

std::string default_cache_dir() {
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && *xdg == '/')
    return std::string(xdg) + "/keygate/mirrors";
  const char* home = std::getenv("HOME");
  return std::string(home != nullptr && *home != '\0' ? home : ".") + "/.cache/keygate/mirrors";
}

}  // namespace keygate::audit

namespace keygate {

int run_audit(const Options& options) {
  using namespace audit;
  const AuditOptions& audit = options.audit;
  if (audit.out_dir.empty())
    throw Error("audit: --out DIR is required (one result file per repository goes there)");
  // 1. The repositories: operands, --list files, forge organisations; sorted, each once.
  std::vector<Target> targets = list_targets(options);
  // 2. This job's share (--shard, or the job engine's variables).
  targets = this_shard(std::move(targets), audit);
  // 3. The output directory and the key that names secrets in it.
  std::error_code ec;
  std::filesystem::create_directories(audit.out_dir, ec);
  if (ec) throw Error(audit.out_dir + ": cannot create: " + ec.message());
  // 4. The rules, once for all repositories.
  const std::unique_ptr<RuleSet> rules = audit_rules(options);
  AuditRun run{options, *rules, load_audit_key(audit.out_dir),
               audit.cache_dir.empty() ? default_cache_dir() : audit.cache_dir};
  run.cores = options.jobs != 0 ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  // Largest first (local sizes read now; URLs last, in name order): a big repository started last would
  // finish alone.
  for (Target& t : targets) {
    if (t.size == 0 && !t.remote && targets.size() > 1) t.size = local_repository_size(t.location);
  }
  std::stable_sort(targets.begin(), targets.end(),
                   [](const Target& a, const Target& b) { return a.size > b.size; });
  // 5. The repositories, several at once; each result written as soon as it is known.
  AuditProgress progress(options.progress.value_or(::isatty(STDERR_FILENO) != 0), targets.size());
  std::atomic<std::size_t> next{0};
  std::mutex outcomes_mutex;
  std::size_t scanned = 0, up_to_date = 0, incidents = 0;
  std::vector<std::string> problems;
  const auto worker = [&] {
    for (std::size_t i; (i = next++) < targets.size();) {
      progress.started(targets[i].name);
      const RepositoryOutcome outcome = audit_repository(run, targets[i]);
      progress.finished();
      std::lock_guard<std::mutex> lock(outcomes_mutex);
      (outcome.outcome == Outcome::UpToDate ? up_to_date : scanned) += 1;
      incidents += outcome.incidents;
      if (outcome.status != RepositoryStatus::Ok)
        problems.push_back(targets[i].name + ": " + status_name(outcome.status) + ": " + outcome.error);
    }
  };
  std::vector<std::thread> workers;
  const std::size_t threads = std::min<std::size_t>(run.cores, targets.size());
  for (std::size_t t = 1; t < threads; ++t) workers.emplace_back(worker);
  worker();
  for (std::thread& t : workers) t.join();
  // 6. What happened, then the exit code: 2 when a repository failed or is incomplete, 1 incidents, 0 clean.
  std::sort(problems.begin(), problems.end());
  for (const std::string& p : problems) std::fprintf(stderr, "keygate: audit: %s\n", p.c_str());
  std::printf(
      "keygate: audit: %zu repositor%s (%zu scanned, %zu up to date, %zu failed or incomplete), %zu "
      "incident%s; results in %s\n",
      targets.size(), targets.size() == 1 ? "y" : "ies", scanned, up_to_date, problems.size(), incidents,
      incidents == 1 ? "" : "s", audit.out_dir.c_str());
  std::fflush(stdout);
  return !problems.empty() ? 2 : incidents > 0 ? 1 : 0;
}

}  // namespace keygate
