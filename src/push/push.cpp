// This file implements the push checks (see push.hpp): git's pre-receive / pre-push input -> the commits
// new to the receiving side (revisions.hpp's walk by date) -> the history source and a scan of each new
// commit's message -> a verdict, with what to do about each finding. Objects come from git's quarantine.
#include "push/push.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdlib>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <tuple>

#include "config/resolve.hpp"
#include "core/error.hpp"
#include "core/scanner.hpp"
#include "core/sink.hpp"
#include "core/source.hpp"
#include "filter/fingerprint.hpp"
#include "filter/history_attribute.hpp"
#include "filter/suppress.hpp"
#include "git/git.hpp"
#include "git/history_walk.hpp"
#include "git/revisions.hpp"

namespace keygate {
namespace {

using Clock = std::chrono::steady_clock;

struct Update {
  std::string ref;  // the ref being updated (the remote's name for it in pre-push)
  git_oid tip;      // the commit it will point at
};

bool is_zero(const std::string& hex) { return hex.find_first_not_of('0') == std::string::npos; }

// The commit `hex` names, or nullopt when it is not one (a tag of a tree or blob).
std::optional<git_oid> commit_of(git_repository* repo, const std::string& hex) {
  git_oid id;
  git::check(git_oid_fromstr(&id, hex.c_str()), "not an object id: \"" + hex + "\"");
  git_object* obj = nullptr;
  git::check(git_object_lookup(&obj, repo, &id, GIT_OBJECT_ANY), "cannot read pushed object " + hex);
  git::Object owned(obj);
  git_object* commit = nullptr;
  if (git_object_peel(&commit, obj, GIT_OBJECT_COMMIT) != 0) {
    git_error_clear();
    return std::nullopt;
  }
  const git_oid out = *git_object_id(commit);
  git_object_free(commit);
  return out;
}

// git config of the repository (the server's, for pre-receive).
struct GitSettings {
  std::string config_file;
  bool repo_config = true;
  bool allow_skip = false;
};
GitSettings read_git_settings(git_repository* repo) {
  GitSettings out;
  git_config* raw = nullptr;
  if (git_repository_config_snapshot(&raw, repo) != 0) {
    git_error_clear();
    return out;
  }
  const git::Config config(raw);
  const char* path = nullptr;
  if (git_config_get_string(&path, raw, "keygate.config") == 0 && path != nullptr) out.config_file = path;
  int value = 0;
  if (git_config_get_bool(&value, raw, "keygate.repoConfig") == 0) out.repo_config = value != 0;
  if (git_config_get_bool(&value, raw, "keygate.allowSkip") == 0) out.allow_skip = value != 0;
  git_error_clear();
  return out;
}

// Who is pushing, as the hosting software tells hooks.
std::string pusher() {
  for (const char* name :
       {"GL_USERNAME", "GITHUB_USER_LOGIN", "GITHUB_USER", "GITEA_PUSHER_NAME", "REMOTE_USER", "USER"}) {
    if (const char* v = std::getenv(name); v != nullptr && *v != '\0')
      return std::string(v) + " (" + name + ")";
  }
  return "an unknown user";
}

bool push_option_set(const std::string& wanted) {
  const char* count_text = std::getenv("GIT_PUSH_OPTION_COUNT");
  const int count = count_text != nullptr ? std::atoi(count_text) : 0;
  for (int i = 0; i < count; ++i) {
    const char* v = std::getenv(fmt::format("GIT_PUSH_OPTION_{}", i).c_str());
    if (v != nullptr && v == wanted) return true;
  }
  return false;
}

std::string short_id(const std::string& id) { return id.substr(0, 12); }

void print_finding(const Finding& f, const std::string& ref, Secrets secrets) {
  const std::string where = f.file.empty() ? "commit message" : f.file + ":" + std::to_string(f.line);
  fmt::print(stderr, "  {}  commit {}  {} <{}>\n    {}  rule {}  secret {}\n", ref,
             f.commit ? short_id(f.commit->id) : "?", f.commit ? f.commit->author : "",
             f.commit ? f.commit->email : "", where, f.rule_id,
             secrets == Secrets::Shown ? f.secret : redact(f.secret));
}

}  // namespace

int run_push_check(const PushCheckOptions& options, std::FILE* in) {
  const auto start = Clock::now();
  const auto deadline = start + std::chrono::duration_cast<Clock::duration>(
                                    std::chrono::duration<double>(options.timeout_seconds));
  const bool server = options.hook == PushHook::PreReceive;
  const char* const name = server ? "pre-receive" : "pre-push";
  // 1. Git's input: which refs move to which commits. Deletions ask for nothing.
  std::vector<std::array<std::string, 4>> lines;
  {
    char buffer[4096];
    while (std::fgets(buffer, sizeof buffer, in) != nullptr) {
      std::istringstream words(buffer);
      std::array<std::string, 4> w;
      words >> w[0] >> w[1] >> w[2] >> w[3];
      if (!w[0].empty()) lines.push_back(w);
    }
  }
  git::Repository repo = git::open(options.repo);
  std::vector<Update> updates;
  std::vector<git_oid> hidden;
  for (const auto& w : lines) {
    // pre-receive: <old> <new> <ref>; pre-push: <local-ref> <local-oid> <remote-ref> <remote-oid>.
    const std::string& new_hex = w[1];
    const std::string& ref = w[2];
    if (new_hex.empty() || ref.empty())
      throw Error(std::string(name) + ": unexpected input line \"" + w[0] + " ...\"");
    if (is_zero(new_hex)) continue;
    if (const std::optional<git_oid> tip = commit_of(repo.get(), new_hex)) updates.push_back({ref, *tip});
    if (!server && !w[3].empty() && !is_zero(w[3])) {
      git_oid remote_id;
      git_object* obj = nullptr;
      // The remote's commit, when this clone has it: everything it reaches is there already.
      if (git_oid_fromstr(&remote_id, w[3].c_str()) == 0 &&
          git_object_lookup(&obj, repo.get(), &remote_id, GIT_OBJECT_COMMIT) == 0) {
        hidden.push_back(remote_id);
        git_object_free(obj);
      }
      git_error_clear();
    }
  }
  if (updates.empty()) return 0;

  // 2. The server's settings, and the audited bypass.
  const GitSettings settings = read_git_settings(repo.get());
  if (server && push_option_set("keygate.skip")) {
    if (settings.allow_skip) {
      fmt::print(stderr,
                 "keygate: pre-receive: check SKIPPED by {} with push option keygate.skip ({} ref(s))\n",
                 pusher(), updates.size());
      return 0;
    }
    fmt::print(stderr,
               "keygate: pre-receive: push option keygate.skip ignored: this server does not allow it "
               "(git config keygate.allowSkip)\n");
  }
  const std::string server_config = !options.config_file.empty() ? options.config_file : settings.config_file;
  const bool use_repo_config = options.repo_config.value_or(settings.repo_config);

  // 3. What the other side has: every existing ref (pre-receive runs before any is updated), or the
  // remote's tracking refs and the commits it reported (pre-push).
  if (server) {
    const std::vector<git_oid> all = ref_commits(repo.get(), "refs/");
    hidden.insert(hidden.end(), all.begin(), all.end());
  } else if (!options.remote.empty() && options.remote.find_first_of(":/") == std::string::npos) {
    const std::vector<git_oid> tracked = ref_commits(repo.get(), "refs/remotes/" + options.remote + "/");
    hidden.insert(hidden.end(), tracked.begin(), tracked.end());
  }

  // 4. Each pushed tip is judged by its own .keygate.toml and .keygateignore; tips that carry the same
  // ones are scanned together.
  struct Group {
    ProjectFiles files;  // the first tip's (none when the server turned them off)
    std::vector<Update> updates;
  };
  std::map<std::pair<std::string, std::string>, Group> groups;
  for (const Update& u : updates) {
    const ProjectFiles files = project_files_at(repo.get(), u.tip, u.ref);
    const std::optional<ProjectFiles::File> toml = files.read(".keygate.toml");
    const std::optional<ProjectFiles::File> ignore = files.read(".keygateignore");
    if (!use_repo_config && (toml || ignore)) {
      fmt::print(stderr,
                 "keygate: {}: {}'s own .keygate.toml/.keygateignore ignored: this server applies only "
                 "its own rules (keygate.repoConfig=false or --no-repo-config)\n",
                 name, u.ref);
    }
    const std::string none(1, '\0');  // no file, unlike an empty one
    Group& g = use_repo_config ? groups[{toml ? toml->text : none, ignore ? ignore->text : none}]
                               : groups[{none, none}];
    if (g.updates.empty() && use_repo_config) g.files = files;
    g.updates.push_back(u);
  }

  // 5. Scan each group's new commits within the budget.
  std::vector<std::pair<Finding, std::string>> findings;  // with the ref that brings it
  std::size_t total = 0, unscanned = 0;
  std::vector<std::string> unscanned_ids;
  bool incomplete = false;
  for (auto& [key, group] : groups) {
    RevisionSelection selection;
    for (const Update& u : group.updates) selection.tips.push_back(u.tip);
    selection.hidden = hidden;
    const std::vector<CommitNode> commits = list_commits(repo.get(), selection);
    if (commits.empty()) continue;
    const std::unique_ptr<RuleSet> rules = build_rules(resolve_server_config(server_config, group.files));
    const std::optional<ProjectFiles::File> ignore_file = group.files.read(".keygateignore");
    FindingCollector collector;
    SuppressionFilter suppress(collector,
                               ignore_file ? parse_ignore_file(ignore_file->text) : std::set<std::string>());
    FingerprintFilter fingerprint(suppress);
    ScanSettings scan_settings;
    scan_settings.jobs = options.jobs;
    scan_settings.max_file_size = options.max_file_size != 0 ? options.max_file_size : 50ull << 20;
    Scanner scanner(*rules, scan_settings, fingerprint);
    HistoryOptions history;
    history.commits = &commits;
    history.deadline = deadline;
    // read_history scans the commits' messages too.
    const HistoryStats stats = read_history(repo.get(), history, scanner);
    fingerprint.finish();
    total += commits.size();
    unscanned += commits.size() - stats.commits_scanned;
    for (std::size_t i = stats.commits_scanned; i < commits.size() && unscanned_ids.size() < 3; ++i) {
      unscanned_ids.push_back(short_id(git_oid_tostr_s(&commits[i].id)));
    }
    incomplete = incomplete || scanner.incomplete();
    for (Finding& f : collector.take()) {
      // The ref that brings the commit (the first, when several do).
      std::string via = group.updates[0].ref;
      git_oid id;
      if (f.commit && git_oid_fromstr(&id, f.commit->id.c_str()) == 0) {
        for (const Update& u : group.updates) {
          if (git_oid_equal(&u.tip, &id) || git_graph_descendant_of(repo.get(), &u.tip, &id) == 1) {
            via = u.ref;
            break;
          }
        }
      }
      findings.emplace_back(std::move(f), via);
    }
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();

  // 6. The verdict.
  if (!findings.empty()) {
    std::stable_sort(findings.begin(), findings.end(), [](const auto& a, const auto& b) {
      return std::tie(a.second, a.first.file, a.first.line) < std::tie(b.second, b.first.file, b.first.line);
    });
    fmt::print(stderr, "keygate: {}: push rejected: {} secret(s) in {} new commit(s):\n", name,
               findings.size(), total);
    for (const auto& [f, ref] : findings) print_finding(f, ref, options.secrets);
    fmt::print(
        stderr,
        "How to fix: remove the secret from the commit that added it and rewrite the commits after it\n"
        "(`git commit --amend` for the last one, `git rebase -i <commit>^` for an older one), then push "
        "again.\n"
        "The key has left your machine in those commits: revoke it and make a new one.\n");
    if (server && settings.allow_skip) {
      fmt::print(stderr, "A false positive? This server allows `git push -o keygate.skip` (audited).\n");
    } else if (!server) {
      fmt::print(stderr, "A false positive? `git push --no-verify` skips this check.\n");
    }
  }
  if (incomplete) {
    fmt::print(stderr,
               "keygate: {}: push rejected: some new objects could not be read (see above), so the check "
               "is incomplete\n",
               name);
    return 2;
  }
  if (unscanned > 0) {
    std::string first_ids;
    for (const std::string& id : unscanned_ids) first_ids += (first_ids.empty() ? "" : ", ") + id;
    fmt::print(stderr,
               "keygate: {}: time budget of {:.1f} s exceeded: {} of {} new commit(s) not scanned ({}{})\n",
               name, options.timeout_seconds, unscanned, total, first_ids,
               unscanned > unscanned_ids.size() ? ", ..." : "");
    if (findings.empty() && options.on_timeout == OnTimeout::Accept) {
      fmt::print(stderr, "keygate: {}: accepted without a full check (--on-timeout accept)\n", name);
      return 0;
    }
    if (findings.empty()) {
      fmt::print(stderr, "keygate: {}: push rejected (--on-timeout reject): push fewer commits at a time{}\n",
                 name,
                 server ? (settings.allow_skip ? ", or bypass with `git push -o keygate.skip`" : "")
                        : ", or skip with `git push --no-verify`");
    }
    return 1;
  }
  if (!findings.empty()) return 1;
  if (options.verbose) {
    fmt::print(stderr, "keygate: {}: {} new commit(s) clean ({:.2f} s)\n", name, total, seconds);
  }
  return 0;
}

}  // namespace keygate
