// This file implements the history source: commits -> findings, each attributed to the commit that
// introduced it. Two passes over the commits, parents before children (history_walk.hpp walks them):
//   1. Scan: each commit's tree is compared with its first parent's, skipping identical subtrees by id.
//      Every blob seen for the first time goes to a worker thread, which reads it through its own libgit2
//      handle and scans it; a blob seen before is never read again, so the cost is that of reading each
//      unique object once. Each change is noted as (commit, blob) in 8 bytes.
//   2. Attribute (history_attribute.cpp; only the commits that added a blob with findings): where a
//      commit adds such a blob at a path, the findings that were not already in that path's version in
//      every parent, nor in a blob the commit deleted (a rename), were introduced by this commit.
// Commit messages are scanned in pass 1 and annotated tags' messages after it; a finding in a message is
// its commit's own (no attribution).
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
#include <optional>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "archive/reader.hpp"
#include "cli/progress.hpp"
#include "core/error.hpp"
#include "core/scanner.hpp"
#include "core/source.hpp"
#include "filter/history_attribute.hpp"
#include "filter/only_new.hpp"
#include "git/git.hpp"
#include "git/history_walk.hpp"
#include "git/pack_reader.hpp"
#include "util/trace.hpp"
#include "util/utf16.hpp"

namespace keygate {
namespace {

struct BlobJob {
  git_oid id;
  std::string path;      // where the blob was first seen
  bool message = false;  // the job is commit `id`'s message, not a blob
};

// Pass 1's worker pool. Each worker reads its blobs itself, through its own repository handle (libgit2
// objects are not shared between threads), and scans them: reading was the bottleneck on one thread.
// Blobs are assigned by path, so the versions of one file go to one worker, whose delta-base cache then
// holds the previous version. Jobs travel in batches to keep locking rare; memory holds a bounded number
// of batches of ids and one blob per worker.
class BlobScanPool {
 public:
  BlobScanPool(Scanner& scanner, unsigned threads, std::string git_dir, const PackSet& packs)
      : scanner_(scanner), git_dir_(std::move(git_dir)), packs_(packs), lanes_(threads) {
    for (unsigned t = 0; t < threads; ++t) threads_.emplace_back([this, t] { work(lanes_[t]); });
  }
  ~BlobScanPool() { finish(); }

  void submit(BlobJob job) {
    const std::size_t key = job.message ? OidHash{}(job.id) : std::hash<std::string>{}(job.path);
    Lane& lane = lanes_[key % lanes_.size()];
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
    // Each worker's cache of resolved objects: the versions of a file are deltas of each other, and one
    // worker reads them all (lanes are by path), oldest first. An eighth of the packs, 16 to 48 MB: on
    // git/git (a 500 MB pack, chains of depth 50) 64 MB saved a third of the inflating that 16 MB costs,
    // and 48 MB keeps peak memory (0.65 GB) a tenth under what `git cat-file` uses for the same objects.
    const std::size_t cache =
        static_cast<std::size_t>(std::clamp<std::uint64_t>(packs_.bytes() / 8, 16u << 20, 48u << 20));
    PackCursor cursor(packs_, cache);
    for (;;) {
      std::vector<BlobJob> batch;
      {
        std::unique_lock<std::mutex> lock(lane.mutex);
        lane.ready.wait(lock, [&] { return lane.done || !lane.batches.empty(); });
        if (lane.batches.empty()) {
          const PackCursor::Stats& s = cursor.stats();
          trace_note("worker: %llu objects read, %llu entries inflated (%llu MB)",
                     static_cast<unsigned long long>(s.reads), static_cast<unsigned long long>(s.inflates),
                     static_cast<unsigned long long>(s.inflated_bytes >> 20));
          return;
        }
        batch = std::move(lane.batches.front());
        lane.batches.pop_front();
        lane.room.notify_one();
      }
      if (!odb) continue;
      for (const BlobJob& job : batch) {
        try {
          if (job.message) {
            scan_message(repo.get(), odb.get(), cursor, job.id);
          } else {
            scan_blob(odb.get(), cursor, job, limit);
          }
        } catch (const std::exception& e) {
          scanner_.warn(job.path.empty() ? std::string(e.what()) : job.path + ": " + e.what());
        }
      }
    }
  }

  void scan_blob(git_odb* odb, PackCursor& cursor, const BlobJob& job, std::uint64_t limit) {
    std::size_t size = 0;
    git_object_t type;
    bool in_pack = false;
    try {
      in_pack = cursor.header(job.id, size, type);
    } catch (const Error&) {  // libgit2 reads it, or says why not
    }
    if (in_pack) {
      // read below
    } else if (const int rc = git_odb_read_header(&size, &type, odb, &job.id); rc != 0) {
      if (rc == GIT_ENOTFOUND) return missing(job);
      scanner_.warn(job.path + ": cannot read blob " + git_oid_tostr_s(&job.id) + ": " +
                    git::last_error_message());
      return;
    }
    if (limit != 0 && size > limit) {
      // Unread content is never a clean result (issue #23), unless the server's owner allows it.
      if (scanner_.settings().oversize == Oversize::Incomplete) {
        scanner_.warn(job.path + ": blob " + git_oid_tostr_s(&job.id) +
                      " not scanned: " + std::to_string(size) + " bytes is over the size limit (" +
                      std::to_string(limit) + " bytes; --max-file-size)");
      } else {
        ++skipped_large_;
        scanner_.note(job.path, "skipped: blob over --max-file-size");
      }
      return;
    }
    const ObjectData object = read_object(cursor, odb, job.id, type);
    if (!object) return missing(job);
    bytes_ += object->size();
    Fragment fragment;
    fragment.text = *object;
    fragment.origin.kind = SourceKind::Commit;
    fragment.origin.path = job.path;
    // A blob is scanned once for every path it is at: its findings get each path's confidence when they
    // are attributed (attribute_commit).
    fragment.path_confidence = Fragment::PathConfidence::Deferred;
    std::vector<Finding> found;
    if (archive::is_container(fragment.text.substr(0, 8000), scanner_.settings().max_archive_depth)) {
      // An archive's findings are attributed like a file's: a commit that adds the archive introduces them.
      found = archive::read_container(fragment.text, fragment.origin, scanner_);
      keep(job, std::move(found));
      return;
    }
    // A UTF-16 blob is scanned as its decoded text, as `scan` reads the file (line numbers are the text's).
    std::string decoded;
    if (decode_utf16(fragment.text, decoded)) fragment.text = decoded;
    if (looks_binary(fragment.text.substr(0, 8000))) {
      scanner_.note(job.path, "skipped: binary blob");
      return;
    }
    try {
      found = scanner_.detect(fragment);
    } catch (const std::exception& e) {
      scanner_.warn(job.path + ": " + e.what());
    }
    keep(job, std::move(found));
  }

  // Keeps a blob's findings for attribution (pass 2).
  void keep(const BlobJob& job, std::vector<Finding> found) {
    // What the chain would drop anyway (the confidence filter) is not attributed: in a real history most
    // such findings are in test fixtures, and each of their versions would cost pass 2 a commit to re-diff.
    found.erase(std::remove_if(found.begin(), found.end(),
                               [this](const Finding& f) { return scanner_.chain_drops(f); }),
                found.end());
    if (!found.empty()) {
      std::lock_guard<std::mutex> lock(results_mutex_);
      results_.emplace(job.id, std::move(found));
    }
  }

  // A commit's message is pushed and mirrored like its files. A finding there is the commit's own: no
  // blob attribution. The commit is read raw (the message follows the headers' blank line) and described
  // only when something is found.
  void scan_message(git_repository* repo, git_odb* odb, PackCursor& cursor, const git_oid& id) {
    git_object_t type = GIT_OBJECT_INVALID;
    const ObjectData object = read_object(cursor, odb, id, type);
    if (!object)
      throw Error(std::string("cannot read commit ") + git_oid_tostr_s(&id) + ": not in the repository");
    const std::string_view text(*object);
    const std::size_t blank = text.find("\n\n");
    if (blank == std::string_view::npos) return;
    std::string_view message = text.substr(blank + 2);
    while (!message.empty() && message.front() == '\n') message.remove_prefix(1);  // as libgit2 reads it
    if (message.empty()) return;
    auto bare = std::make_shared<CommitInfo>();
    bare->id = git_oid_tostr_s(&id);  // a [[allowlists]] commits entry applies here too
    Fragment fragment;
    fragment.text = message;
    fragment.origin.kind = SourceKind::CommitMessage;
    fragment.origin.commit = bare;
    std::vector<Finding> found = scanner_.detect(fragment);
    if (found.empty()) return;
    std::shared_ptr<const CommitInfo> info = bare;
    try {
      info = describe(lookup_commit(repo, id).get());
    } catch (const std::exception& e) {
      scanner_.warn(e.what());
    }
    for (Finding& f : found) f.commit = info;
    scanner_.add(std::move(found));
  }

  void missing(const BlobJob& job) {
    git_error_clear();
    std::lock_guard<std::mutex> lock(results_mutex_);
    if (++missing_count_ <= 3) missing_first_.push_back(job.path + " (" + git_oid_tostr_s(&job.id) + ")");
  }

  Scanner& scanner_;
  std::string git_dir_;
  const PackSet& packs_;
  std::size_t missing_count_ = 0;
  std::vector<std::string> missing_first_;
  std::vector<Lane> lanes_;
  std::vector<std::thread> threads_;
  std::mutex results_mutex_;
  BlobFindings results_;
  std::atomic<std::uint64_t> bytes_{0};
  std::atomic<std::uint64_t> skipped_large_{0};
};

// The messages of annotated tags that point at one of `commits`; each finding carries the tagged commit,
// with the tag's name as its summary.
void scan_tag_messages(git_repository* repo, const std::vector<CommitNode>& commits, Scanner& scanner) {
  std::vector<git_oid> tags;
  git_tag_foreach(
      repo,
      [](const char*, git_oid* oid, void* payload) {
        static_cast<std::vector<git_oid>*>(payload)->push_back(*oid);
        return 0;
      },
      &tags);
  if (tags.empty()) return;
  std::unordered_set<git_oid, OidHash, OidEqual> listed;
  for (const CommitNode& c : commits) listed.insert(c.id);
  for (const git_oid& id : tags) {
    git_tag* tag = nullptr;
    if (git_tag_lookup(&tag, repo, &id) != 0) {  // a lightweight tag: no message
      git_error_clear();
      continue;
    }
    const char* message = git_tag_message(tag);
    const git_oid target = *git_tag_target_id(tag);
    const std::string name = git_tag_name(tag) ? git_tag_name(tag) : "";
    const std::string text = message ? message : "";
    git_tag_free(tag);
    if (listed.count(target) == 0 || text.empty()) continue;
    auto info = std::make_shared<CommitInfo>(*describe(lookup_commit(repo, target).get()));
    info->summary = name;
    Fragment fragment;
    fragment.text = text;
    fragment.origin.kind = SourceKind::TagMessage;
    fragment.origin.commit = std::move(info);
    scanner.scan(fragment);
  }
}

}  // namespace

HistoryStats read_history(git_repository* repo, const HistoryOptions& options, Scanner& scanner) {
  // (libgit2's object cache limit, which this pass depends on, is set once in git::init().)
  // Without a progress line (which needs the total first) or a deadline (audit: checked between listed
  // commits), commits are scanned as the walk lists them.
  const bool stream = options.commits == nullptr && !options.progress && !options.deadline;
  std::vector<CommitNode> listed;
  std::optional<RevisionSelection> selection;
  if (options.commits == nullptr) selection = parse_revisions(repo, options.ranges);
  if (options.commits == nullptr && !stream) listed = list_commits(repo, *selection);
  const std::vector<CommitNode>& commits = options.commits != nullptr ? *options.commits : listed;
  HistoryStats stats;
  trace_stage(stream ? "resolve revisions" : "list commits");

  // Pass 1: read and scan every blob once. Every change is also noted, as 8 bytes (commit, blob), so that
  // pass 2 visits only the commits that added a blob with findings.
  std::unordered_map<git_oid, std::uint32_t, OidHash, OidEqual> blob_numbers;
  // Where each listed commit is in `commits`: its tree id is there, so parents need not be read again.
  std::unordered_map<git_oid, std::uint32_t, OidHash, OidEqual> commit_numbers;
  commit_numbers.reserve(commits.size());
  for (std::uint32_t i = 0; i < commits.size(); ++i) commit_numbers.emplace(commits[i].id, i);
  std::vector<std::pair<std::uint32_t, std::uint32_t>> changes;  // (commit index, blob number)
  const PackSet packs(objects_dir(repo));                        // mapped once, read by every thread
  TreeCache trees(repo, packs);
  Progress progress(options.progress, commits.size());
  BlobFindings blob_findings;
  std::uint64_t skipped_large = 0;
  // Path-only rules judge file names: each path they flag is reported once, at the first commit (parents
  // come first) that added a file there, whatever its content.
  std::map<std::string, std::pair<std::uint32_t, std::vector<Finding>>> flagged_paths;
  {
    BlobScanPool pool(scanner, std::max(1u, scanner.settings().jobs), git_repository_path(repo), packs);
    const auto scan_commit = [&](std::uint32_t index) {
      stats.commits_scanned = index + 1;
      const CommitNode& node = commits[index];
      pool.submit({node.id, std::string(), true});
      const RawTree* tree = trees.get(node.tree);
      const RawTree* parent = nullptr;
      if (!node.parents.empty()) {
        const auto listed_parent = commit_numbers.find(node.parents[0]);
        parent = listed_parent != commit_numbers.end() ? trees.get(commits[listed_parent->second].tree)
                                                       : tree_of(repo, trees, node.parents[0]);
      }
      TreeDiff diff(
          trees,
          [&](const Change& c) {
            const auto [it, is_new] =
                blob_numbers.emplace(c.new_id, static_cast<std::uint32_t>(blob_numbers.size()));
            changes.emplace_back(index, it->second);
            if (is_new) pool.submit({c.new_id, c.path});
            if (!scanner.rules().path_only().empty() && flagged_paths.count(c.path) == 0) {
              Origin origin;
              origin.kind = SourceKind::Commit;
              origin.path = c.path;
              std::vector<Finding> named = scanner.detect_name(origin);
              if (!named.empty()) flagged_paths.emplace(c.path, std::make_pair(index, std::move(named)));
            }
          },
          nullptr);
      diff.run(parent, tree);
      trees.next_commit();
      progress.update(index + 1, pool.bytes());
    };
    if (stream) {
      walk_commits(
          repo, *selection,
          [&](CommitNode&& node) {
            listed.push_back(std::move(node));
            const auto index = static_cast<std::uint32_t>(listed.size() - 1);
            commit_numbers.emplace(listed.back().id, index);
            scan_commit(index);
          },
          &packs);
    } else {
      for (std::uint32_t index = 0; index < commits.size(); ++index) {
        if (options.deadline && std::chrono::steady_clock::now() >= *options.deadline) break;
        scan_commit(index);
      }
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
  stats.commits = commits.size();
  scan_tag_messages(repo, commits, scanner);
  // Refs that name no commit (a tag of a file, notes at a blob): what they hold is in no commit's tree.
  if (selection && !selection->objects.empty()) read_ref_objects(repo, selection->objects, scanner);
  trace_stage("pass 1: read and scan blobs");
  for (auto& [path, found] : flagged_paths) {
    const std::shared_ptr<const CommitInfo> info =
        describe(lookup_commit(repo, commits[found.first].id).get());
    for (Finding& f : found.second) f.commit = info;
    scanner.add(std::move(found.second));
  }
  if (skipped_large > 0) {
    std::fprintf(stderr,
                 "keygate: %llu blob(s) over --max-file-size were not scanned (allowed by the server)\n",
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
  trace_note("%zu blobs with findings, %zu commits to attribute", blob_findings.size(), to_visit.size());
  for (std::uint32_t index : to_visit) {
    attribute_commit(repo, trees, commits[index], blob_findings, scanner);
    trees.next_commit();
  }
  trace_stage("pass 2: attribute findings");
  return stats;
}

}  // namespace keygate