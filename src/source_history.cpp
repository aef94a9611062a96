// This file implements the history source: commits -> findings, each attributed to the commit that
// introduced it. Two passes over the commits, parents before children (history_walk.hpp walks them):
//   1. Scan: each commit's tree is compared with its first parent's, skipping identical subtrees by id.
//      Every blob seen for the first time goes to a worker thread, which reads it through its own libgit2
//      handle and scans it; a blob seen before is never read again, so the cost is that of reading each
//      unique object once. Each change is noted as (commit, blob) in 8 bytes.
//   2. Attribute (only the commits that added a blob with findings): where a commit adds such a blob at a
//      path, the findings that were not already in that path's version in every parent, nor in a blob
//      the commit deleted (a rename), were introduced by this commit.
// Memory holds the ids of the blobs seen, 8 bytes per file change and a bounded number of blob ids in
// flight, never the blobs nor the diffs themselves.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "git.hpp"
#include "history_walk.hpp"
#include "source.hpp"
#include "trace.hpp"

namespace keygate {
namespace {

// Shows a one-line progress report on stderr, at most a few times a second.
class Progress {
 public:
  Progress(bool enabled, std::size_t total) : enabled_(enabled), total_(total), start_(Clock::now()) {}
  void update(std::size_t done, std::uint64_t bytes, bool final = false) {
    if (!enabled_) return;
    const auto now = Clock::now();
    if (!final && now - last_ < std::chrono::milliseconds(200)) return;
    last_ = now;
    const double seconds = std::chrono::duration<double>(now - start_).count();
    const double mb = static_cast<double>(bytes) / (1 << 20);
    const double eta = done > 0 ? seconds * static_cast<double>(total_ - done) / static_cast<double>(done) : 0;
    std::fprintf(stderr, "\r\033[Kkeygate: history: %zu/%zu commits, %.0f MB, %.0f MB/s, ETA %.0fs", done, total_, mb,
                 seconds > 0 ? mb / seconds : 0.0, eta);
    if (final) std::fprintf(stderr, "\n");
  }

 private:
  using Clock = std::chrono::steady_clock;
  bool enabled_;
  std::size_t total_;
  Clock::time_point start_, last_{};
};

struct BlobJob {
  git_oid id;
  std::string path;  // where the blob was first seen
};

using BlobFindings = std::unordered_map<git_oid, std::vector<Finding>, OidHash, OidEqual>;

// Pass 1's worker pool. Each worker reads its blobs itself, through its own repository handle (libgit2
// objects are not shared between threads), and scans them: reading was the bottleneck on one thread.
// Blobs are assigned by path, so the versions of one file go to one worker, whose delta-base cache then
// holds the previous version. Jobs travel in batches to keep locking rare; memory holds a bounded number
// of batches of ids and one blob per worker.
class BlobScanPool {
 public:
  BlobScanPool(Scanner& scanner, unsigned threads, std::string git_dir)
      : scanner_(scanner), git_dir_(std::move(git_dir)), lanes_(threads) {
    for (unsigned t = 0; t < threads; ++t) threads_.emplace_back([this, t] { work(lanes_[t]); });
  }
  ~BlobScanPool() { finish(); }

  void submit(BlobJob job) {
    Lane& lane = lanes_[std::hash<std::string>{}(job.path) % lanes_.size()];
    lane.pending.push_back(std::move(job));
    if (lane.pending.size() >= kBatch) flush(lane);
  }

  // Waits for every submitted blob; returns the findings of the blobs that have any.
  BlobFindings finish() {
    if (threads_.empty()) return std::move(results_);
    for (Lane& lane : lanes_) flush(lane);
    for (Lane& lane : lanes_) {
      std::lock_guard<std::mutex> lock(lane.mutex);
      lane.done = true;
      lane.ready.notify_all();
    }
    for (std::thread& t : threads_) t.join();
    threads_.clear();
    return std::move(results_);
  }

  std::uint64_t bytes() const { return bytes_; }
  std::uint64_t skipped_large() const { return skipped_large_; }
  // The blobs that are not in the repository (a damaged or partial clone): how many, and the first few.
  std::pair<std::size_t, std::vector<std::string>> missing_blobs() {
    std::lock_guard<std::mutex> lock(results_mutex_);
    return {missing_count_, missing_first_};
  }

 private:
  static constexpr std::size_t kBatch = 64;
  static constexpr std::size_t kMaxBatchesQueued = 16;

  struct Lane {
    std::mutex mutex;
    std::condition_variable ready, room;
    std::deque<std::vector<BlobJob>> batches;
    std::vector<BlobJob> pending;  // the submitting thread's, not shared
    bool done = false;
  };

  void flush(Lane& lane) {
    if (lane.pending.empty()) return;
    std::unique_lock<std::mutex> lock(lane.mutex);
    lane.room.wait(lock, [&] { return lane.batches.size() < kMaxBatchesQueued; });
    lane.batches.push_back(std::move(lane.pending));
    lane.pending.clear();
    lane.ready.notify_one();
  }

  void work(Lane& lane) {
    git::Repository repo;
    git::Odb odb;
    try {
      repo = git::open(git_dir_);
      git::add_object_dirs_from_env(repo.get());  // the pre-receive quarantine
      git_odb* raw = nullptr;
      git::check(git_repository_odb(&raw, repo.get()), "cannot open the object database");
      odb.reset(raw);
    } catch (const std::exception& e) {
      scanner_.warn(e.what());
    }
    const std::uint64_t limit = scanner_.settings().max_file_size;
    for (;;) {
      std::vector<BlobJob> batch;
      {
        std::unique_lock<std::mutex> lock(lane.mutex);
        lane.ready.wait(lock, [&] { return lane.done || !lane.batches.empty(); });
        if (lane.batches.empty()) return;
        batch = std::move(lane.batches.front());
        lane.batches.pop_front();
        lane.room.notify_one();
      }
      if (!odb) continue;
      for (const BlobJob& job : batch) scan_blob(odb.get(), job, limit);
    }
  }

  void scan_blob(git_odb* odb, const BlobJob& job, std::uint64_t limit) {
    std::size_t size = 0;
    git_object_t type;
    if (const int rc = git_odb_read_header(&size, &type, odb, &job.id); rc != 0) {
      if (rc == GIT_ENOTFOUND) return missing(job);
      scanner_.warn(job.path + ": cannot read blob " + git_oid_tostr_s(&job.id) + ": " + git_error_last()->message);
      return;
    }
    if (limit != 0 && size > limit) {
      ++skipped_large_;
      scanner_.note(job.path, "skipped: blob over --max-file-size");
      return;
    }
    git_odb_object* raw = nullptr;
    if (git_odb_read(&raw, odb, &job.id) != 0) {
      scanner_.warn(job.path + ": cannot read blob " + git_oid_tostr_s(&job.id) + ": " + git_error_last()->message);
      return;
    }
    const git::OdbObject object(raw);
    bytes_ += size;
    Fragment fragment;
    fragment.text = std::string_view(static_cast<const char*>(git_odb_object_data(raw)), size);
    fragment.path = job.path;
    if (looks_binary(fragment.text.substr(0, 8000))) {
      scanner_.note(job.path, "skipped: binary blob");
      return;
    }
    std::vector<Finding> found;
    try {
      scanner_.scan_name(job.path);
      found = keygate::scan(scanner_.rules(), fragment);
    } catch (const std::exception& e) {
      scanner_.warn(job.path + ": " + e.what());
    }
    if (!found.empty()) {
      std::lock_guard<std::mutex> lock(results_mutex_);
      results_.emplace(job.id, std::move(found));
    }
  }

  void missing(const BlobJob& job) {
    git_error_clear();
    std::lock_guard<std::mutex> lock(results_mutex_);
    if (++missing_count_ <= 3) missing_first_.push_back(job.path + " (" + git_oid_tostr_s(&job.id) + ")");
  }

  Scanner& scanner_;
  std::string git_dir_;
  std::size_t missing_count_ = 0;
  std::vector<std::string> missing_first_;
  std::vector<Lane> lanes_;
  std::vector<std::thread> threads_;
  std::mutex results_mutex_;
  BlobFindings results_;
  std::atomic<std::uint64_t> bytes_{0};
  std::atomic<std::uint64_t> skipped_large_{0};
};


std::string iso_date(const git_time& t) {
  const std::time_t seconds = static_cast<std::time_t>(t.time) + t.offset * 60;
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[40];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &tm);
  const int offset = t.offset;
  char zone[32];
  std::snprintf(zone, sizeof zone, "%c%02d:%02d", offset < 0 ? '-' : '+', std::abs(offset) / 60, std::abs(offset) % 60);
  return std::string(buffer) + zone;
}

std::shared_ptr<const CommitInfo> describe(const git_commit* c) {
  auto info = std::make_shared<CommitInfo>();
  info->id = git_oid_tostr_s(git_commit_id(c));
  const git_signature* author = git_commit_author(c);
  info->author = author->name ? author->name : "";
  info->email = author->email ? author->email : "";
  info->date = iso_date(author->when);
  const char* summary = git_commit_summary(const_cast<git_commit*>(c));
  info->summary = summary ? summary : "";
  return info;
}

// Pass 2 for one commit: the findings it introduced.
void attribute_commit(git_repository* repo, TreeCache& trees, const CommitNode& node, const BlobFindings& blob_findings,
                      Scanner& scanner) {
  const git::Commit commit_handle = lookup_commit(repo, node.id);
  const git_commit* commit = commit_handle.get();
  const git_tree* tree = trees.get(*git_commit_tree_id(commit));
  const git_tree* first = node.parents.empty() ? nullptr : tree_of(repo, trees, node.parents[0]);
  struct Candidate {
    std::string path;
    git_oid new_id;
    std::vector<git_oid> old_ids;
  };
  std::vector<Candidate> candidates;
  TreeDiff find(trees, [&](const Change& c) {
    if (blob_findings.count(c.new_id) == 0) return;
    Candidate candidate{c.path, c.new_id, {}};
    if (c.old_id) candidate.old_ids.push_back(*c.old_id);
    candidates.push_back(std::move(candidate));
  }, nullptr);
  find.run(first, tree);
  if (candidates.empty()) return;

  // A merge introduces only what is in none of its parents at that path.
  for (std::size_t p = 1; p < node.parents.size(); ++p) {
    const git_tree* other = tree_of(repo, trees, node.parents[p]);
    for (Candidate& c : candidates) {
      git_tree_entry* entry = nullptr;
      if (git_tree_entry_bypath(&entry, other, c.path.c_str()) != 0) {
        git_error_clear();
        continue;
      }
      if (is_scannable(git_tree_entry_filemode(entry))) c.old_ids.push_back(*git_tree_entry_id(entry));
      git_tree_entry_free(entry);
    }
  }
  // Blobs this commit deleted: a file moved elsewhere brings its secrets along, it does not introduce them.
  std::vector<git_oid> deleted;
  TreeDiff deletions(trees, [](const Change&) {}, [&](const git_oid& id) { deleted.push_back(id); });
  deletions.run(first, tree);

  std::shared_ptr<const CommitInfo> info;
  for (const Candidate& c : candidates) {
    if (std::any_of(c.old_ids.begin(), c.old_ids.end(), [&](const git_oid& o) { return git_oid_equal(&o, &c.new_id); })) {
      continue;
    }
    // What the old versions already held: of each old blob's findings, the larger count per secret.
    std::map<std::pair<std::string, std::string>, std::vector<const Finding*>> before_by_key;
    auto count = [&](const git_oid& id) {
      auto it = blob_findings.find(id);
      if (it == blob_findings.end()) return;
      std::map<std::pair<std::string, std::string>, std::vector<const Finding*>> here;
      for (const Finding& f : it->second) here[{f.rule_id, f.secret}].push_back(&f);
      for (auto& [key, list] : here) {
        if (list.size() > before_by_key[key].size()) before_by_key[key] = std::move(list);
      }
    };
    for (const git_oid& o : c.old_ids) count(o);
    for (const git_oid& d : deleted) count(d);
    std::vector<Finding> before;
    for (const auto& [key, list] : before_by_key) {
      for (const Finding* f : list) before.push_back(*f);
    }
    std::vector<Finding> introduced = new_findings(before, blob_findings.at(c.new_id));
    for (Finding& f : introduced) {
      if (!info) info = describe(commit);
      f.file = c.path;
      f.commit = info;
      f.fingerprint = fingerprint(f.rule_id, f.file, f.secret);
    }
    if (!introduced.empty()) scanner.add(std::move(introduced));
  }
}

}  // namespace

HistoryStats read_history(git_repository* repo, const HistoryOptions& options, Scanner& scanner) {
  // libgit2's object cache holds every tree and commit it reads, up to this limit per cache; the
  // TreeCache keeps the ones the next diff needs, so a small limit costs little time (bench/run.py history:
  // 8 MB gives 1.48x the floor and 173 MB peak, 32 MB gives 1.25x and 252 MB).
  git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, static_cast<ssize_t>(8) << 20);
  std::vector<CommitNode> listed;
  if (options.commits == nullptr) listed = list_commits(repo, options.ranges);
  const std::vector<CommitNode>& commits = options.commits != nullptr ? *options.commits : listed;
  HistoryStats stats;
  stats.commits = commits.size();
  trace_stage("list commits");

  // Pass 1: read and scan every blob once. Every change is also noted, as 8 bytes (commit, blob), so that
  // pass 2 visits only the commits that added a blob with findings.
  std::unordered_map<git_oid, std::uint32_t, OidHash, OidEqual> blob_numbers;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> changes;  // (commit index, blob number)
  TreeCache trees(repo);
  Progress progress(options.progress, commits.size());
  BlobFindings blob_findings;
  std::uint64_t skipped_large = 0;
  {
    BlobScanPool pool(scanner, std::max(1u, scanner.settings().jobs), git_repository_path(repo));
    for (std::uint32_t index = 0; index < commits.size(); ++index) {
      if (options.deadline && std::chrono::steady_clock::now() >= *options.deadline) break;
      stats.commits_scanned = index + 1;
      const CommitNode& node = commits[index];
      const git_tree* tree = tree_of(repo, trees, node.id);
      const git_tree* parent = node.parents.empty() ? nullptr : tree_of(repo, trees, node.parents[0]);
      TreeDiff diff(trees, [&](const Change& c) {
        const auto [it, is_new] = blob_numbers.emplace(c.new_id, static_cast<std::uint32_t>(blob_numbers.size()));
        changes.emplace_back(index, it->second);
        if (is_new) pool.submit({c.new_id, c.path});
      }, nullptr);
      diff.run(parent, tree);
      trees.next_commit();
      progress.update(index + 1, pool.bytes());
    }
    blob_findings = pool.finish();
    // Missing objects make the result incomplete: say which (C6 of issue #9), once, not per blob.
    if (const auto [count, first] = pool.missing_blobs(); count > 0) {
      std::string names;
      for (const std::string& n : first) names += (names.empty() ? "" : ", ") + n;
      scanner.warn(std::to_string(count) + " blob(s) missing from the repository, not scanned: " + names +
                   (count > first.size() ? " and " + std::to_string(count - first.size()) + " more" : "") +
                   partial_clone_note(repo));
    }
    progress.update(commits.size(), pool.bytes(), true);
    skipped_large = pool.skipped_large();
  }
  trace_stage("pass 1: read and scan blobs");
  if (skipped_large > 0) {
    std::fprintf(stderr, "keygate: %llu blob(s) over --max-file-size were not scanned\n",
                 static_cast<unsigned long long>(skipped_large));
  }

  // Pass 2: attribute each finding to the commit that introduced it. Merges are visited too: a merge
  // adds the blobs of its other parents relative to its first, and must be seen to introduce nothing.
  if (blob_findings.empty()) return stats;
  std::vector<bool> has_findings(blob_numbers.size(), false);
  for (const auto& [id, found] : blob_findings) has_findings[blob_numbers.at(id)] = true;
  std::vector<std::uint32_t> to_visit;
  for (const auto& [commit, blob] : changes) {
    if (has_findings[blob] && (to_visit.empty() || to_visit.back() != commit)) to_visit.push_back(commit);
  }
  changes.clear();
  changes.shrink_to_fit();
  for (std::uint32_t index : to_visit) {
    attribute_commit(repo, trees, commits[index], blob_findings, scanner);
    trees.next_commit();
  }
  trace_stage("pass 2: attribute findings");
  return stats;
}

}  // namespace keygate