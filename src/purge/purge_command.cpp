// This file implements `keygate purge` (see purge.hpp), one stage a line: the secrets (a history scan, or
// --from), the plan written beside the repository, the checklist; or, with --check, the proof.
#include <fmt/core.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <set>
#include <thread>

#include "cli/runners.hpp"
#include "core/error.hpp"
#include "git/git.hpp"
#include "purge/check.hpp"
#include "purge/plan.hpp"
#include "util/file_io.hpp"

namespace keygate {
namespace {

using purge::Plan;

// <git dir>/keygate/, created 0700 (it holds the secrets whole), or --output.
std::string purge_dir(git_repository* repo, const Options& options, bool create) {
  std::string dir = options.purge.output_dir.empty() ? std::string(git_repository_commondir(repo)) + "keygate"
                                                     : options.purge.output_dir;
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  if (create && ::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
    throw Error(dir + ": cannot create: " + std::strerror(errno));
  return dir + "/";
}

bool looks_like_json(std::string_view text) {
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && (text[first] == '[' || text[first] == '{');
}

// The encoded text a decoded finding came from: `length` bytes at line:column of the blob at
// commit:path; empty when it cannot be read (the plan then holds the computed encodings only).
std::string encoded_span(git_repository* repo, const Finding& f) {
  if (f.commit == nullptr) return "";
  std::optional<std::string> blob;
  try {
    blob = git::blob_at(repo, f.commit->id, f.file);
  } catch (const Error&) {
    return "";
  }
  if (!blob) return "";
  const std::string_view text = *blob;
  std::size_t at = 0;
  for (int line = 1; line < f.line && at != std::string_view::npos; ++line) {
    at = text.find('\n', at);
    if (at != std::string_view::npos) ++at;
  }
  if (at == std::string_view::npos) return "";
  at += static_cast<std::size_t>(std::max(f.column, 1) - 1);
  if (at >= text.size()) return "";
  return std::string(text.substr(at, f.encoded_length));
}

// The secrets of the history scan `options` names (the same judgement as `keygate history`).
bool add_history_findings(const Options& options, git_repository* repo, Plan& plan) {
  Options history = options;
  history.command = Command::History;
  history.source = SourceKind::Commit;
  ScanOutcome scanned = scan_findings(history);
  for (const Finding& f : scanned.findings) {
    plan.add(f.secret, f.rule_id, f.decoded);
    if (f.encoded_length > 0 && f.kind == SourceKind::Commit)
      plan.add_encoded_span(f.secret, encoded_span(repo, f));
  }
  return !scanned.incomplete();
}

// True iff the work tree has changes to tracked files (staged or not): a rewrite would lose them.
bool work_tree_dirty(git_repository* repo) {
  if (git_repository_is_bare(repo)) return false;
  git_status_options opts;  // (the _INIT macro leaves fields out, which clang's -Wextra refuses)
  git_status_options_init(&opts, GIT_STATUS_OPTIONS_VERSION);
  opts.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
  opts.flags = GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
  git_status_list* raw = nullptr;
  git::check(git_status_list_new(&raw, repo, &opts), "cannot read the work tree's status");
  const std::size_t changes = git_status_list_entrycount(raw);
  git_status_list_free(raw);
  return changes > 0;
}

// Runs `git filter-repo --force --replace-text FILE --replace-message FILE` in the repository; returns
// its exit status (127: not installed).
int run_filter_repo(git_repository* repo, const std::string& expressions) {
  const char* workdir = git_repository_workdir(repo);
  const std::string dir = workdir != nullptr ? workdir : git_repository_path(repo);
  const pid_t pid = ::fork();
  if (pid < 0) throw Error(std::string("cannot start git filter-repo: ") + std::strerror(errno));
  if (pid == 0) {
    if (::chdir(dir.c_str()) != 0) ::_exit(126);
    ::execlp("git", "git", "filter-repo", "--force", "--replace-text", expressions.c_str(),
             "--replace-message", expressions.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

int plan_command(const Options& options, git_repository* repo) {
  // 1. The secrets: a keygate JSON report (--from), or the history scan of the given revisions.
  Plan plan;
  bool complete = true;
  if (!options.purge.from.empty()) {
    const std::string text = load_file(options.purge.from);
    if (!looks_like_json(text))
      throw Error(options.purge.from +
                  ": not a keygate JSON report (make one with keygate history --format json --show-secrets)");
    purge::add_report(plan, text, options.purge.from);
  } else {
    complete = add_history_findings(options, repo, plan);
  }
  for (const std::string& w : plan.warnings) fmt::print(stderr, "keygate: warning: {}\n", w);
  if (plan.secrets.empty()) {
    fmt::print("keygate: no secret to purge{}\n", complete ? "" : " found, but the scan was incomplete");
    return complete ? 0 : 2;
  }
  // 2. The rewriters' files, 0600: they hold the secrets whole.
  const std::string dir = purge_dir(repo, options, true);
  const std::string expressions = dir + "purge-expressions.txt";
  const std::string bfg = dir + "purge-bfg.txt";
  purge::write_private_file(expressions, purge::filter_repo_expressions(plan));
  purge::write_private_file(bfg, purge::bfg_replacements(plan));
  std::size_t forms = 0;
  for (const purge::PurgeSecret& s : plan.secrets) forms += s.forms.size();
  fmt::print(
      "keygate: {} secret{} in {} form{}; wrote\n  {}  (git filter-repo --replace-text)\n  {}  (BFG "
      "--replace-text)\nBoth are mode 0600: they hold the secrets whole. Nothing was rewritten.\n\n",
      plan.secrets.size(), plan.secrets.size() == 1 ? "" : "s", forms, forms == 1 ? "" : "s", expressions,
      bfg);
  // 3. The checklist; with --rewrite, the rewrite itself.
  fmt::print("{}", purge::after_rewrite_checklist(expressions, bfg));
  std::fflush(stdout);
  if (!complete) {
    fmt::print(stderr, "keygate: the history scan was incomplete: the plan may miss secrets\n");
    return 2;
  }
  if (options.purge.rewrite == PurgeRewrite::No) return 0;
  if (work_tree_dirty(repo))
    throw Error(
        "purge --rewrite: the work tree has changes; commit or stash them first (a rewrite would lose them)");
  const int status = run_filter_repo(repo, expressions);
  if (status == 127)
    throw Error("purge --rewrite: git filter-repo is not installed (Debian: git-filter-repo)");
  if (status != 0)
    throw Error("purge --rewrite: git filter-repo failed (exit " + std::to_string(status) + ")");
  fmt::print("\nkeygate: history rewritten; now follow steps 3 to 8 above, then: keygate purge --check\n");
  return 0;
}

int check_command(const Options& options, git_repository* repo) {
  // 1. What to look for: the plan's expressions file, or the secrets of a report.
  std::string place = options.purge.from;
  if (place.empty()) place = purge_dir(repo, options, false) + "purge-expressions.txt";
  const std::optional<std::string> text = load_file_if_exists(place);
  if (!text) throw Error(place + ": no purge file here; run keygate purge first, or give --from FILE");
  std::vector<std::string> literals;
  if (looks_like_json(*text)) {
    Plan plan;
    purge::add_report(plan, *text, place);
    literals = plan.literals();
    if (literals.empty()) throw Error(place + ": the report lists no secret");
  } else {
    literals = purge::read_expressions(*text, place);
  }
  // 2. Every object and the git directory's files.
  const unsigned jobs = options.jobs != 0 ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  const purge::CheckResult result = purge::check_repository(repo, literals, jobs);
  // 3. Each place, then the verdict: 2 incomplete, 1 a secret survives, 0 proven gone.
  for (const purge::Survivor& s : result.survivors) {
    fmt::print("keygate: survives: {}{}{}: {}\n    remove it: {}\n", s.object, s.object.empty() ? "" : ", ",
               s.where, s.form, s.remedy);
  }
  if (result.missing > 0) {
    fmt::print(stderr,
               "keygate: incomplete: {} object{} named in the repository {} missing, so cannot be read:\n",
               result.missing, result.missing == 1 ? "" : "s", result.missing == 1 ? "is" : "are");
    for (const std::string& e : result.missing_examples) fmt::print(stderr, "    {}\n", e);
    if (!result.missing_note.empty()) {
      fmt::print(stderr, "  {}\n", result.missing_note);
    } else {
      fmt::print(stderr, "  (a damaged repository, or a shallow or partial one: check on a full clone)\n");
    }
    return 2;
  }
  if (!result.survivors.empty()) return 1;
  fmt::print(
      "keygate: none of {} form{} survives in {} object{} ({} bytes), the refs, reflogs or git "
      "directory files\n",
      literals.size(), literals.size() == 1 ? "" : "s", result.objects, result.objects == 1 ? "" : "s",
      result.bytes);
  return 0;
}

}  // namespace

int run_purge(const Options& options) {
  const git::Repository repo = git::open(options.repo);
  return options.purge.mode == PurgeMode::Check ? check_command(options, repo.get())
                                                : plan_command(options, repo.get());
}

}  // namespace keygate
