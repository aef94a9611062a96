// This file implements the push checks (see push.hpp): git's pre-receive / pre-push input -> the commits
// new to the receiving side (revisions.hpp's walk by date) -> the history source and a scan of each new
// commit's message -> a verdict, with what to do about each finding. Objects come from git's quarantine.
#include "push/push.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>
#include <tuple>

#include "archive/reader.hpp"
#include "config/resolve.hpp"
#include "core/error.hpp"
#include "core/pipeline.hpp"
#include "core/scanner.hpp"
#include "core/sink.hpp"
#include "core/source.hpp"
#include "filter/history_attribute.hpp"
#include "filter/suppress.hpp"
#include "git/git.hpp"
#include "git/history_walk.hpp"
#include "git/revisions.hpp"
#include "report/redact_text.hpp"

namespace keygate {
namespace {

using Clock = std::chrono::steady_clock;

struct Update {
  std::string ref;  // the ref being updated (the remote's name for it in pre-push)
  git_oid tip;      // the commit it will point at
};

bool is_zero(const std::string& hex) { return hex.find_first_not_of('0') == std::string::npos; }

// The commit `object` peels to, or nullopt when it is not one (a tag of a tree or blob, a blob, a tree).
std::optional<git_oid> commit_of(git_object* object) {
  git_object* commit = nullptr;
  if (git_object_peel(&commit, object, GIT_OBJECT_COMMIT) != 0) {
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
  bool allow_large_blobs = false;  // blobs over the size limit pass unscanned (else the push is rejected)
  PushTrust trust;                 // what pushed files may weaken (keygate.trustPushed)
};
GitSettings read_git_settings(git_repository* repo) {
  GitSettings out;
  git_config* raw = nullptr;
  if (git_repository_config_snapshot(&raw, repo) != 0) {
    git_error_clear();
    return out;
  }
  const git::Config config(raw);
  const char* text = nullptr;
  if (git_config_get_string(&text, raw, "keygate.config") == 0 && text != nullptr) out.config_file = text;
  int value = 0;
  if (git_config_get_bool(&value, raw, "keygate.repoConfig") == 0) out.repo_config = value != 0;
  if (git_config_get_bool(&value, raw, "keygate.allowSkip") == 0) out.allow_skip = value != 0;
  if (git_config_get_bool(&value, raw, "keygate.allowLargeBlobs") == 0) out.allow_large_blobs = value != 0;
  git_error_clear();
  if (git_config_get_string(&text, raw, "keygate.trustPushed") == 0 && text != nullptr) {
    out.trust = parse_push_trust(text, "git config keygate.trustPushed");
  }
  git_error_clear();
  return out;
}

// The push's budget, enforced while a scan runs: at the deadline, `expire` says the verdict and the
// process ends with the status it returns, whatever was running (a pushed config of heavy regexes, one
// huge blob). Destroying the watchdog first cancels it.
class Watchdog {
 public:
  Watchdog(Clock::time_point deadline, std::function<int()> expire)
      : expire_(std::move(expire)), thread_([this, deadline] { watch(deadline); }) {}
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;
  ~Watchdog() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      done_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }

 private:
  void watch(Clock::time_point deadline) {
    std::unique_lock<std::mutex> lock(mutex_);
    if (wake_.wait_until(lock, deadline, [this] { return done_; })) return;
    const int status = expire_();
    std::fflush(stderr);
    std::_Exit(status);  // other threads may be inside libgit2 or RE2: nothing is left to clean up
  }

  std::function<int()> expire_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool done_ = false;
  std::thread thread_;
};

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
  const std::string where = f.file.empty() ? "commit message" : full_path(f) + ":" + std::to_string(f.line);
  fmt::print(stderr, "  {}  commit {}  {} <{}>\n    {}  rule {}  secret {}\n", ref,
             f.commit ? short_id(f.commit->id) : "?", f.commit ? f.commit->author : "",
             f.commit ? f.commit->email : "", where, f.rule_id,
             secrets == Secrets::Shown ? f.secret : redacted(f.secret));
}

// Hook input is a line a ref: 64 MB is hundreds of thousands of refs.
constexpr std::size_t kMaxPushInput = 64u << 20;

bool is_object_id(std::string_view s) {
  return (s.size() == 40 || s.size() == 64) &&
         s.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

}  // namespace

std::vector<PushLine> parse_push_input(std::string_view text, PushHook hook) {
  const char* const name = hook == PushHook::PreReceive ? "pre-receive" : "pre-push";
  const std::size_t fields = hook == PushHook::PreReceive ? 3 : 4;
  std::vector<PushLine> out;
  int number = 0;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    ++number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    std::vector<std::string_view> words;
    for (std::size_t i = 0; i < line.size();) {
      const std::size_t start = line.find_first_not_of(" \t", i);
      if (start == std::string_view::npos) break;
      const std::size_t stop = std::min(line.find_first_of(" \t", start), line.size());
      words.push_back(line.substr(start, stop - start));
      i = stop;
    }
    // pre-receive: <old> <new> <ref>; pre-push: <local-ref> <local-oid> <remote-ref> <remote-oid>.
    const bool ok = words.size() == fields && is_object_id(words[hook == PushHook::PreReceive ? 0 : 1]) &&
                    is_object_id(words[hook == PushHook::PreReceive ? 1 : 3]);
    if (!ok) {
      throw Error(std::string(name) + ": input line " + std::to_string(number) + ": expected " +
                  (hook == PushHook::PreReceive ? "\"<old> <new> <ref>\""
                                                : "\"<local-ref> <local-oid> <remote-ref> <remote-oid>\"") +
                  ", got " + std::to_string(words.size()) + " field(s)");
    }
    if (hook == PushHook::PreReceive) {
      out.push_back({std::string(words[2]), std::string(words[1]), std::string()});
    } else {
      out.push_back({std::string(words[2]), std::string(words[1]), std::string(words[3])});
    }
  }
  return out;
}

namespace {

// A finding and the ref that brings it.
struct Judged {
  Finding finding;
  std::string ref;
};

}  // namespace

int run_push_check(const PushCheckOptions& options, std::FILE* in) {
  const auto start = Clock::now();
  const auto budget =
      std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(options.timeout_seconds));
  const bool server = options.hook == PushHook::PreReceive;
  const char* const name = server ? "pre-receive" : "pre-push";
  // 1. Git's input: which refs move to which objects. Deletions ask for nothing.
  std::string input;
  {
    char buffer[1 << 16];
    std::size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, in)) > 0) {
      input.append(buffer, n);
      if (input.size() > kMaxPushInput) {
        throw Error(std::string(name) + ": more than " + std::to_string(kMaxPushInput >> 20) +
                    " MB of hook input");
      }
    }
  }
  // The repository first: one keygate cannot read (SHA-256) says so whatever the input holds.
  git::Repository repo = git::open(options.repo);
  const std::vector<PushLine> lines = parse_push_input(input, options.hook);
  std::vector<NamedObject> pushed;
  std::vector<git_oid> hidden;
  for (const PushLine& line : lines) {
    if (is_zero(line.new_id)) continue;
    git_oid id;
    git::check(git_oid_fromstr(&id, line.new_id.c_str()), "not an object id: \"" + line.new_id + "\"");
    pushed.push_back({id, line.ref});
    if (!server && !is_zero(line.remote_id)) {
      git_oid remote_id;
      git_object* obj = nullptr;
      // The remote's commit, when this clone has it: everything it reaches is there already.
      if (git_oid_fromstr(&remote_id, line.remote_id.c_str()) == 0 &&
          git_object_lookup(&obj, repo.get(), &remote_id, GIT_OBJECT_COMMIT) == 0) {
        hidden.push_back(remote_id);
        git_object_free(obj);
      }
      git_error_clear();
    }
  }
  if (pushed.empty()) return 0;

  // 2. The server's settings, and the audited bypass. On the pusher's own machine (pre-push) the
  //    project's files are the pusher's to trust.
  GitSettings settings = read_git_settings(repo.get());
  if (!server) settings.trust = PushTrust{true, true, true, true, true};
  if (server && push_option_set("keygate.skip")) {
    if (settings.allow_skip) {
      fmt::print(stderr,
                 "keygate: pre-receive: check SKIPPED by {} with push option keygate.skip ({} ref(s))\n",
                 pusher(), pushed.size());
      return 0;
    }
    fmt::print(stderr,
               "keygate: pre-receive: push option keygate.skip ignored: this server does not allow it "
               "(git config keygate.allowSkip)\n");
  }
  const std::string server_config = !options.config_file.empty() ? options.config_file : settings.config_file;
  const bool use_repo_config = options.repo_config.value_or(settings.repo_config);
  ScanSettings scan_settings;
  scan_settings.jobs = options.jobs;
  scan_settings.max_file_size = options.max_file_size != 0 ? options.max_file_size : kDefaultMaxBlobSize;
  scan_settings.oversize = settings.allow_large_blobs ? Oversize::Skip : Oversize::Incomplete;

  // 3. What the other side has: every existing ref (pre-receive runs before any is updated), or the
  //    remote's tracking refs and the commits it reported (pre-push).
  if (server) {
    const std::vector<git_oid> all = ref_commits(repo.get(), "refs/");
    hidden.insert(hidden.end(), all.begin(), all.end());
  } else if (!options.remote.empty() && options.remote.find_first_of(":/") == std::string::npos) {
    const std::vector<git_oid> tracked = ref_commits(repo.get(), "refs/remotes/" + options.remote + "/");
    hidden.insert(hidden.end(), tracked.begin(), tracked.end());
  }

  // 4. What each pushed object is: a commit goes to the commit walk; tags, blobs and trees are read as
  //    objects (a tag's message, then what it points at; a tag of a commit also walks the commit).
  std::vector<Update> updates;
  std::vector<NamedObject> objects;
  for (const NamedObject& p : pushed) {
    git_object* raw = nullptr;
    git::check(git_object_lookup(&raw, repo.get(), &p.id, GIT_OBJECT_ANY),
               "cannot read pushed object " + std::string(git_oid_tostr_s(&p.id)));
    const git::Object object(raw);
    if (git_object_type(raw) != GIT_OBJECT_COMMIT) objects.push_back(p);
    if (const std::optional<git_oid> tip = commit_of(object.get())) updates.push_back({p.name, *tip});
  }

  // 5. Each pushed tip is judged by the server's policy with what its own .keygate.toml and .keygateignore
  //    may add; tips that carry the same ones are scanned together. Objects outside commits are judged by
  //    the server's policy alone.
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

  // 6. Scan within the budget. The walk starts no commit after nine tenths of it; the watchdog ends the
  //    run at the budget itself, whatever is running.
  std::vector<Judged> findings;
  std::vector<std::string> refused;  // what pushed files asked for that the server did not apply
  std::atomic<bool> found{false};
  const Watchdog watchdog(start + budget, [&] {
    fmt::print(stderr,
               "keygate: {}: time budget of {:.1f} s exceeded while scanning: the rest of the push is "
               "not scanned\n",
               name, options.timeout_seconds);
    if (!found && options.on_timeout == OnTimeout::Accept) {
      fmt::print(stderr, "keygate: {}: accepted without a full check (--on-timeout accept)\n", name);
      return 0;
    }
    fmt::print(stderr, "keygate: {}: push rejected{}\n", name,
               found ? ": secrets were found before the budget ran out" : " (--on-timeout reject)");
    return 1;
  });
  std::size_t total = 0, unscanned = 0;
  std::vector<std::string> unscanned_ids;
  bool incomplete = false;
  const auto judge = [&](Pipeline& pipeline, const RuleSet& rules, const std::string& default_ref,
                         const std::vector<Update>* group_updates) {
    incomplete = incomplete || pipeline.scanner().incomplete();
    std::vector<Finding> kept = pipeline.finish();
    if (options.secrets != Secrets::Shown) redact_commit_texts(kept, rules);
    if (!kept.empty()) found = true;
    for (Finding& f : kept) {
      // The ref that brings the commit (the first, when several do).
      std::string via = default_ref;
      git_oid id;
      if (group_updates != nullptr && f.commit && git_oid_fromstr(&id, f.commit->id.c_str()) == 0) {
        for (const Update& u : *group_updates) {
          if (git_oid_equal(&u.tip, &id) || git_graph_descendant_of(repo.get(), &u.tip, &id) == 1) {
            via = u.ref;
            break;
          }
        }
      }
      findings.push_back({std::move(f), via});
    }
  };
  for (auto& [key, group] : groups) {
    RevisionSelection selection;
    for (const Update& u : group.updates) selection.tips.push_back(u.tip);
    selection.hidden = hidden;
    const std::vector<CommitNode> commits = list_commits(repo.get(), selection);
    if (commits.empty()) continue;
    const std::unique_ptr<RuleSet> rules =
        build_rules(resolve_server_config(server_config, group.files, settings.trust, refused));
    const std::optional<ProjectFiles::File> ignore_file = group.files.read(".keygateignore");
    std::set<std::string> suppressed;
    if (ignore_file && settings.trust.ignore_file) {
      suppressed = parse_ignore_file(ignore_file->text);
    } else if (ignore_file && !parse_ignore_file(ignore_file->text).empty()) {
      refused.push_back(ignore_file->name +
                        " not applied: the server does not trust pushed ignore files (git config "
                        "keygate.trustPushed)");
    }
    Pipeline pipeline(
        *rules, make_judgement(options.min_confidence, rules->config(), std::move(suppressed)),
        archive::with_archive_config(scan_settings, options.max_archive_depth, rules->config()));
    HistoryOptions history;
    history.commits = &commits;
    history.deadline = start + budget * 9 / 10;
    // read_history scans the commits' messages too.
    const HistoryStats stats = read_history(repo.get(), history, pipeline.scanner());
    total += commits.size();
    unscanned += commits.size() - stats.commits_scanned;
    for (std::size_t i = stats.commits_scanned; i < commits.size() && unscanned_ids.size() < 3; ++i) {
      unscanned_ids.push_back(short_id(git_oid_tostr_s(&commits[i].id)));
    }
    judge(pipeline, *rules, group.updates[0].ref, &group.updates);
  }
  if (!objects.empty()) {
    const std::unique_ptr<RuleSet> rules =
        build_rules(resolve_server_config(server_config, ProjectFiles{}, settings.trust, refused));
    for (const NamedObject& object : objects) {
      Pipeline pipeline(
          *rules, make_judgement(options.min_confidence, rules->config(), {}),
          archive::with_archive_config(scan_settings, options.max_archive_depth, rules->config()));
      read_ref_objects(repo.get(), {object}, pipeline.scanner());
      judge(pipeline, *rules, object.name, nullptr);
    }
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();

  // 7. The verdict.
  const bool reject = !findings.empty() || incomplete || unscanned > 0;
  if ((reject || options.verbose) && !refused.empty()) {
    for (const std::string& r : refused) fmt::print(stderr, "keygate: {}: {}\n", name, r);
  }
  if (!findings.empty()) {
    std::stable_sort(findings.begin(), findings.end(), [](const Judged& a, const Judged& b) {
      return std::tie(a.ref, a.finding.file, a.finding.line) <
             std::tie(b.ref, b.finding.file, b.finding.line);
    });
    fmt::print(stderr, "keygate: {}: push rejected: {} secret(s) in {} new commit(s){}:\n", name,
               findings.size(), total, objects.empty() ? "" : " and the pushed tags and objects");
    for (const Judged& j : findings) print_finding(j.finding, j.ref, options.secrets);
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
               "keygate: {}: push rejected: some pushed content could not be scanned (see above), so the "
               "check is incomplete{}\n",
               name, server ? "" : "; `git push --no-verify` skips this check");
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
