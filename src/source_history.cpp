// This file implements the history source: commits -> findings, each attributed to the commit that
// introduced it. Two passes over the commits, oldest first (topological order):
//   1. Scan: each commit's tree is compared with its first parent's, skipping identical subtrees by id.
//      Every blob seen for the first time is read once (on this thread, in history order, which keeps
//      libgit2's delta-base cache warm) and scanned by the worker threads. A blob seen before is never
//      read again, so the cost is that of reading each unique object once.
//   2. Attribute (only when pass 1 found something): the trees are compared again; where a commit adds a
//      blob with findings at a path, the findings that were not already in that path's version in every
//      parent, nor in a blob the commit deleted (a rename), were introduced by this commit.
// Memory holds the ids of the blobs seen, 8 bytes per file change and a bounded queue of blobs in flight,
// never the blobs nor the diffs themselves.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <fstream>
#include <functional>
#include <map>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "git.hpp"
#include "source.hpp"
#include "trace.hpp"

namespace keygate {
namespace {

struct OidHash {
  std::size_t operator()(const git_oid& id) const {
    std::size_t h;
    std::memcpy(&h, id.id, sizeof h);
    return h;
  }
};
struct OidEqual {
  bool operator()(const git_oid& a, const git_oid& b) const { return git_oid_equal(&a, &b) != 0; }
};

bool is_scannable(git_filemode_t mode) { return mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE; }

// git's tree order (base_name_compare): names compare bytewise, a tree's name as if it ended with '/'.
int compare_entries(const git_tree_entry* a, const git_tree_entry* b) {
  const char* an = git_tree_entry_name(a);
  const char* bn = git_tree_entry_name(b);
  const std::size_t al = std::strlen(an), bl = std::strlen(bn), common = std::min(al, bl);
  const int c = std::memcmp(an, bn, common);
  if (c != 0) return c;
  const auto next = [common](const char* name, std::size_t len, const git_tree_entry* e) -> unsigned char {
    if (common < len) return static_cast<unsigned char>(name[common]);
    return git_tree_entry_type(e) == GIT_OBJECT_TREE ? '/' : 0;
  };
  const unsigned char x = next(an, al, a), y = next(bn, bl, b);
  return x < y ? -1 : (x > y ? 1 : 0);
}

// The trees read for the last two commits, by id. Consecutive commits mostly differ in a few paths, so
// the trees one commit's diff reads on its new side are the next commit's old side: keeping exactly those
// lets libgit2's own object cache stay small (it holds every tree it ever read, up to its limit).
class TreeCache {
 public:
  explicit TreeCache(git_repository* repo) : repo_(repo) {}
  const git_tree* get(const git_oid& id) {
    if (auto it = current_.find(id); it != current_.end()) return it->second.get();
    git::Tree tree;
    if (auto it = previous_.find(id); it != previous_.end()) {
      tree = std::move(it->second);
      previous_.erase(it);
    } else {
      git_tree* raw = nullptr;
      git::check(git_tree_lookup(&raw, repo_, &id), std::string("cannot read tree ") + git_oid_tostr_s(&id));
      tree.reset(raw);
    }
    const git_tree* out = tree.get();
    current_.emplace(id, std::move(tree));
    return out;
  }
  // Called between commits: what the last commit did not touch is forgotten.
  void next_commit() {
    previous_ = std::move(current_);
    current_.clear();
  }

 private:
  git_repository* repo_;
  std::unordered_map<git_oid, git::Tree, OidHash, OidEqual> current_, previous_;
};

struct Change {
  const std::string& path;
  const git_oid* old_id;  // null when the path is new (or was not a file)
  const git_oid& new_id;
};

// Compares two trees (either may be null), calling on_change for each regular file whose blob differs and
// on_delete (when set) for each regular file that is gone.
class TreeDiff {
 public:
  TreeDiff(TreeCache& trees, std::function<void(const Change&)> on_change,
           std::function<void(const git_oid&)> on_delete)
      : trees_(trees), on_change_(std::move(on_change)), on_delete_(std::move(on_delete)) {}

  void run(const git_tree* old_tree, const git_tree* new_tree) {
    std::string prefix;
    walk(old_tree, new_tree, prefix);
  }

 private:
  const git_tree* lookup(const git_tree_entry* e) { return trees_.get(*git_tree_entry_id(e)); }

  void added(const git_tree_entry* e, std::string& path, const git_tree_entry* old) {
    const git_oid* old_id = old != nullptr && is_scannable(git_tree_entry_filemode(old)) ? git_tree_entry_id(old) : nullptr;
    if (is_scannable(git_tree_entry_filemode(e))) {
      on_change_(Change{path, old_id, *git_tree_entry_id(e)});
    } else if (git_tree_entry_type(e) == GIT_OBJECT_TREE) {
      const git_tree* sub = lookup(e);
      path += '/';
      walk(nullptr, sub, path);
    }
  }

  void removed(const git_tree_entry* e, std::string& path) {
    if (!on_delete_) return;
    if (is_scannable(git_tree_entry_filemode(e))) {
      on_delete_(*git_tree_entry_id(e));
    } else if (git_tree_entry_type(e) == GIT_OBJECT_TREE) {
      const git_tree* sub = lookup(e);
      path += '/';
      walk(sub, nullptr, path);
    }
  }

  void walk(const git_tree* old_tree, const git_tree* new_tree, std::string& prefix) {
    const std::size_t prefix_size = prefix.size();
    const std::size_t on = old_tree ? git_tree_entrycount(old_tree) : 0;
    const std::size_t nn = new_tree ? git_tree_entrycount(new_tree) : 0;
    std::size_t i = 0, j = 0;
    while (i < on || j < nn) {
      const git_tree_entry* o = i < on ? git_tree_entry_byindex(old_tree, i) : nullptr;
      const git_tree_entry* n = j < nn ? git_tree_entry_byindex(new_tree, j) : nullptr;
      const int c = o == nullptr ? 1 : n == nullptr ? -1 : compare_entries(o, n);
      prefix.resize(prefix_size);
      if (c < 0) {
        prefix += git_tree_entry_name(o);
        removed(o, prefix);
        ++i;
      } else if (c > 0) {
        prefix += git_tree_entry_name(n);
        added(n, prefix, nullptr);
        ++j;
      } else {
        prefix += git_tree_entry_name(n);
        if (!git_oid_equal(git_tree_entry_id(o), git_tree_entry_id(n)) ||
            git_tree_entry_filemode(o) != git_tree_entry_filemode(n)) {
          if (git_tree_entry_type(o) == GIT_OBJECT_TREE && git_tree_entry_type(n) == GIT_OBJECT_TREE) {
            const git_tree* a = lookup(o);
            const git_tree* b = lookup(n);
            prefix += '/';
            walk(a, b, prefix);
          } else if (git_tree_entry_type(o) == git_tree_entry_type(n)) {
            added(n, prefix, o);
          } else {
            removed(o, prefix);
            prefix.resize(prefix_size);
            prefix += git_tree_entry_name(n);
            added(n, prefix, nullptr);
          }
        }
        ++i, ++j;
      }
    }
    prefix.resize(prefix_size);
  }

  TreeCache& trees_;
  std::function<void(const Change&)> on_change_;
  std::function<void(const git_oid&)> on_delete_;
};

// A commit and its parents that exist in the repository: a shallow clone's boundary commits keep their
// parents' ids but not the parents themselves (.git/shallow lists them), and they start history here.
struct CommitNode {
  git_oid id;
  std::vector<git_oid> parents;
};

git::Commit lookup_commit(git_repository* repo, const git_oid& id);

std::unordered_set<git_oid, OidHash, OidEqual> read_shallow_commits(git_repository* repo) {
  std::unordered_set<git_oid, OidHash, OidEqual> out;
  std::ifstream in(std::string(git_repository_commondir(repo)) + "shallow");
  for (std::string line; std::getline(in, line);) {
    git_oid id;
    if (line.size() >= GIT_OID_HEXSZ && git_oid_fromstrn(&id, line.c_str(), GIT_OID_HEXSZ) == 0) out.insert(id);
  }
  return out;
}

// The commit a revision names (a ref, an id, HEAD~2, ...).
git_oid resolve_commit(git_repository* repo, const std::string& spec) {
  git_object* obj = nullptr;
  git::check(git_revparse_single(&obj, repo, spec.c_str()), "unknown revision \"" + spec + "\"");
  git::Object owned(obj);
  git_object* commit = nullptr;
  git::check(git_object_peel(&commit, obj, GIT_OBJECT_COMMIT), "\"" + spec + "\" is not a commit");
  git::Object owned_commit(commit);
  return *git_object_id(commit);
}

// Every commit reachable from `tips` and not from `hidden`, parents before children (depth-first
// post-order, iterative: histories are deeper than any stack).
std::vector<CommitNode> list_commits(git_repository* repo, const std::vector<std::string>& ranges) {
  std::vector<git_oid> tips, hidden;
  if (ranges.empty()) {
    git_reference_iterator* raw = nullptr;
    git::check(git_reference_iterator_new(&raw, repo), "cannot read the references");
    git_reference* ref = nullptr;
    while (git_reference_next(&ref, raw) == 0) {
      git::Reference owned(ref);
      git_object* commit = nullptr;
      if (git_reference_peel(&commit, ref, GIT_OBJECT_COMMIT) == 0) {  // refs to trees and blobs: skipped
        tips.push_back(*git_object_id(commit));
        git_object_free(commit);
      }
      git_error_clear();
    }
    git_reference_iterator_free(raw);
    if (git_repository_head_unborn(repo) == 0 && git_repository_head_detached(repo) == 1) {
      tips.push_back(resolve_commit(repo, "HEAD"));
    }
  }
  for (const std::string& range : ranges) {
    const std::size_t dots = range.find("..");
    if (dots != std::string::npos) {
      const std::string from = range.substr(0, dots), to = range.substr(dots + 2);
      if (to.empty() == false && to[0] == '.') throw Error("symmetric ranges (A...B) are not supported: \"" + range + "\"");
      hidden.push_back(resolve_commit(repo, from.empty() ? "HEAD" : from));
      tips.push_back(resolve_commit(repo, to.empty() ? "HEAD" : to));
    } else if (!range.empty() && range[0] == '^') {
      hidden.push_back(resolve_commit(repo, range.substr(1)));
    } else {
      tips.push_back(resolve_commit(repo, range));
    }
  }

  const auto shallow = read_shallow_commits(repo);
  git_odb* raw_odb = nullptr;
  git::check(git_repository_odb(&raw_odb, repo), "cannot open the object database");
  const git::Odb odb(raw_odb);
  auto parents_of = [&](const git_oid& id) {
    std::vector<git_oid> parents;
    const git::Commit commit = lookup_commit(repo, id);
    const bool boundary = shallow.count(id) != 0;
    for (unsigned i = 0; i < git_commit_parentcount(commit.get()); ++i) {
      const git_oid* parent = git_commit_parent_id(commit.get(), i);
      if (boundary && !git_odb_exists(odb.get(), parent)) continue;
      parents.push_back(*parent);
    }
    return parents;
  };

  // What the hidden commits reach is excluded.
  std::unordered_set<git_oid, OidHash, OidEqual> excluded;
  for (std::vector<git_oid> stack = hidden; !stack.empty();) {
    const git_oid id = stack.back();
    stack.pop_back();
    if (!excluded.insert(id).second) continue;
    for (const git_oid& p : parents_of(id)) stack.push_back(p);
  }

  std::vector<CommitNode> out;
  std::unordered_set<git_oid, OidHash, OidEqual> visited;
  struct Frame {
    CommitNode node;
    std::size_t next_parent;
  };
  std::vector<Frame> stack;
  for (const git_oid& tip : tips) {
    if (excluded.count(tip) || !visited.insert(tip).second) continue;
    stack.push_back({{tip, parents_of(tip)}, 0});
    while (!stack.empty()) {
      Frame& top = stack.back();
      if (top.next_parent < top.node.parents.size()) {
        const git_oid parent = top.node.parents[top.next_parent++];
        if (excluded.count(parent) || !visited.insert(parent).second) continue;
        stack.push_back({{parent, parents_of(parent)}, 0});
        continue;
      }
      out.push_back(std::move(top.node));
      stack.pop_back();
    }
  }
  return out;
}

git::Commit lookup_commit(git_repository* repo, const git_oid& id) {
  git_commit* c = nullptr;
  git::check(git_commit_lookup(&c, repo, &id), std::string("cannot read commit ") + git_oid_tostr_s(&id));
  return git::Commit(c);
}


// The root tree of commit `id`, through the tree cache.
const git_tree* tree_of(git_repository* repo, TreeCache& trees, const git_oid& id) {
  const git::Commit commit = lookup_commit(repo, id);
  return trees.get(*git_commit_tree_id(commit.get()));
}

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
    if (git_odb_read_header(&size, &type, odb, &job.id) != 0) {
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

  Scanner& scanner_;
  std::string git_dir_;
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
    // What the old versions already held, by (rule, secret), counted.
    std::map<std::pair<std::string, std::string>, int> before;
    auto count = [&](const git_oid& id) {
      auto it = blob_findings.find(id);
      if (it == blob_findings.end()) return;
      std::map<std::pair<std::string, std::string>, int> here;
      for (const Finding& f : it->second) ++here[{f.rule_id, f.secret}];
      for (const auto& [key, n] : here) before[key] = std::max(before[key], n);
    };
    for (const git_oid& o : c.old_ids) count(o);
    for (const git_oid& d : deleted) count(d);
    const std::vector<Finding>& now = blob_findings.at(c.new_id);
    std::map<std::pair<std::string, std::string>, int> total;
    for (const Finding& f : now) ++total[{f.rule_id, f.secret}];
    std::map<std::pair<std::string, std::string>, int> seen;
    std::vector<Finding> introduced;
    for (const Finding& f : now) {
      const auto key = std::make_pair(f.rule_id, f.secret);
      // With k of n occurrences already there, the last n-k are taken as the new ones.
      if (++seen[key] <= total[key] - (before.count(key) ? before[key] : 0)) {
        if (!info) info = describe(commit);
        Finding copy = f;
        copy.file = c.path;
        copy.commit = info;
        copy.fingerprint = fingerprint(copy.rule_id, copy.file, copy.secret);
        introduced.push_back(std::move(copy));
      }
    }
    if (!introduced.empty()) scanner.add(std::move(introduced));
  }
}

}  // namespace

void read_history(git_repository* repo, const HistoryOptions& options, Scanner& scanner) {
  // libgit2's object cache holds every tree and commit it reads, up to this limit per cache; the
  // TreeCache keeps the ones the next diff needs, so a small limit costs little time (bench/run.py history:
  // 8 MB gives 1.48x the floor and 173 MB peak, 32 MB gives 1.25x and 252 MB).
  git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, static_cast<ssize_t>(8) << 20);
  const std::vector<CommitNode> commits = list_commits(repo, options.ranges);
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
  if (blob_findings.empty()) return;
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
}

}  // namespace keygate
