// This file implements the staged source: the index against HEAD's tree (or the empty tree before the
// first commit) -> one fragment per changed file: its whole staged content, with the added lines marked,
// so that a secret counts only where the commit adds it. The working tree is never read.
//
// The fast path walks HEAD's tree and the index's cache-tree together and skips every directory whose
// cached tree id equals HEAD's, as `git diff --cached` does; objects and line diffs come from libgit2.
// When the index cannot be read that way, libgit2's own git_diff_tree_to_index finds the changes.
#include <git2.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <exception>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "archive/reader.hpp"
#include "core/scanner.hpp"
#include "core/source.hpp"
#include "filter/only_new.hpp"
#include "git/git.hpp"
#include "git/index_file.hpp"
#include "git/line_diff.hpp"
#include "util/trace.hpp"
#include "util/utf16.hpp"

namespace keygate {
namespace {

struct StagedFile {
  std::string path;
  git_oid new_id;
  bool has_old = false;
  git_oid old_id{};
};

bool is_regular_file(std::uint32_t mode) { return (mode & 0170000) == 0100000; }

// A file whose content is pushed: a regular file, or a symbolic link, whose blob is its target's text
// (`ln -s "token=..." creds` commits that text).
bool is_file_or_link(std::uint32_t mode) { return is_regular_file(mode) || (mode & 0170000) == 0120000; }

// The files a commit removes from HEAD: their blobs, and by file name, so that a file that moved (and
// maybe changed) is compared with its old self instead of counting as new.
struct Removed {
  std::unordered_set<git_oid, git::OidHash, git::OidEqual> ids;
  std::unordered_map<std::string, git_oid> by_name;
  void add(std::string_view path, const git_oid& id) {
    ids.insert(id);
    const std::size_t slash = path.rfind('/');
    by_name.emplace(std::string(slash == std::string_view::npos ? path : path.substr(slash + 1)), id);
  }
};

int collect_blob(const char*, const git_tree_entry* entry, void* payload) {
  if (git_tree_entry_type(entry) == GIT_OBJECT_BLOB) {
    static_cast<Removed*>(payload)->add(git_tree_entry_name(entry), *git_tree_entry_id(entry));
  }
  return 0;
}

// Compares one directory of the index (entries [begin, end), all under `prefix`) with the HEAD tree of
// the same directory (null if HEAD has none), appending staged regular files that differ, and noting
// the blobs of HEAD files the index no longer has (to recognise a file that only moved).
void diff_directory(git_repository* repo, const IndexFile& index, std::size_t begin, std::size_t end,
                    std::string_view prefix, const git_tree* head, const CacheTreeNode* cached,
                    std::vector<StagedFile>& out, Removed& deleted) {
  if (head != nullptr && cached != nullptr && cached->entry_count >= 0 &&
      git_oid_equal(&cached->id, git_tree_id(head))) {
    return;  // the whole directory is as in HEAD
  }
  std::vector<std::string_view> present;  // names of this directory the index has
  std::size_t i = begin;
  while (i < end) {
    const IndexEntry& e = index.entries[i];
    const std::string_view rest = e.path.substr(prefix.size());
    const std::size_t slash = rest.find('/');
    present.push_back(rest.substr(0, slash));
    if (slash == std::string_view::npos) {
      ++i;
      if (e.stage != 0 || e.intent_to_add || !is_file_or_link(e.mode)) continue;
      const git_tree_entry* old = head ? git_tree_entry_byname(head, std::string(rest).c_str()) : nullptr;
      const bool old_is_blob = old != nullptr && git_tree_entry_type(old) == GIT_OBJECT_BLOB;
      if (old_is_blob && git_oid_equal(git_tree_entry_id(old), &e.id)) continue;
      StagedFile f{std::string(e.path), e.id, old_is_blob, {}};
      if (old_is_blob) git_oid_cpy(&f.old_id, git_tree_entry_id(old));
      out.push_back(std::move(f));
      continue;
    }
    // A subdirectory: its entries are contiguous, since the index is sorted by path.
    const std::string_view name = rest.substr(0, slash);
    const std::string_view sub_prefix = e.path.substr(0, prefix.size() + slash + 1);
    std::size_t j = i + 1;
    while (j < end && index.entries[j].path.substr(0, sub_prefix.size()) == sub_prefix) ++j;
    const CacheTreeNode* sub_cached = cached ? cached->child(name) : nullptr;
    git::Tree sub_head;
    if (head != nullptr) {
      const git_tree_entry* t = git_tree_entry_byname(head, std::string(name).c_str());
      if (t != nullptr && sub_cached != nullptr && sub_cached->entry_count >= 0 &&
          git_oid_equal(&sub_cached->id, git_tree_entry_id(t))) {
        i = j;  // unchanged: decided from the ids alone, without reading the subtree
        continue;
      }
      if (t != nullptr && git_tree_entry_type(t) == GIT_OBJECT_TREE) {
        git_tree* tree = nullptr;
        git::check(git_tree_lookup(&tree, repo, git_tree_entry_id(t)),
                   "cannot read tree " + std::string(sub_prefix));
        sub_head.reset(tree);
      }
    }
    diff_directory(repo, index, i, j, sub_prefix, sub_head.get(), sub_cached, out, deleted);
    i = j;
  }
  if (head == nullptr) return;
  // HEAD entries the index no longer has. (The index's order puts "a-b" and "a.txt" before the
  // directory "a/", so the names are sorted again.)
  std::sort(present.begin(), present.end());
  for (std::size_t k = 0; k < git_tree_entrycount(head); ++k) {
    const git_tree_entry* t = git_tree_entry_byindex(head, k);
    if (std::binary_search(present.begin(), present.end(), std::string_view(git_tree_entry_name(t))))
      continue;
    if (git_tree_entry_type(t) == GIT_OBJECT_BLOB) {
      deleted.add(git_tree_entry_name(t), *git_tree_entry_id(t));
    } else if (git_tree_entry_type(t) == GIT_OBJECT_TREE) {
      git_tree* tree = nullptr;
      if (git_tree_lookup(&tree, repo, git_tree_entry_id(t)) == 0) {
        git_tree_walk(tree, GIT_TREEWALK_PRE, collect_blob, &deleted);
        git_tree_free(tree);
      }
    }
  }
}

// The slow path: libgit2 reads the index and diffs it against the whole HEAD tree.
std::vector<StagedFile> staged_files_by_libgit2(git_repository* repo, const std::string& index_path,
                                                const git_tree* head, Removed& deleted) {
  git_index* raw_index = nullptr;
  if (index_path.empty()) {
    git::check(git_repository_index(&raw_index, repo), "cannot read the index");
  } else {
    git::check(git_index_open(&raw_index, index_path.c_str()), index_path + ": cannot read the index");
  }
  git::Index index(raw_index);
  // The repository may hold an index loaded earlier; make sure it is the file as it is now.
  git::check(git_index_read(index.get(), 0), "cannot read the index");
  git_diff_options options;
  git_diff_options_init(&options, GIT_DIFF_OPTIONS_VERSION);
  options.flags = GIT_DIFF_IGNORE_SUBMODULES;
  git_diff* raw_diff = nullptr;
  git::check(git_diff_tree_to_index(&raw_diff, repo, const_cast<git_tree*>(head), index.get(), &options),
             "cannot diff the index against HEAD");
  git::Diff diff(raw_diff);
  std::vector<StagedFile> out;
  for (std::size_t i = 0; i < git_diff_num_deltas(diff.get()); ++i) {
    const git_diff_delta* d = git_diff_get_delta(diff.get(), i);
    if (d->status == GIT_DELTA_DELETED && is_file_or_link(d->old_file.mode))
      deleted.add(d->old_file.path, d->old_file.id);
    if (d->status != GIT_DELTA_ADDED && d->status != GIT_DELTA_MODIFIED && d->status != GIT_DELTA_TYPECHANGE)
      continue;
    if (!is_file_or_link(d->new_file.mode)) continue;
    StagedFile f{d->new_file.path, d->new_file.id, is_file_or_link(d->old_file.mode), d->old_file.id};
    out.push_back(std::move(f));
  }
  return out;
}

git::Blob lookup_blob(git_repository* repo, const git_oid& id, const std::string& path) {
  git_blob* blob = nullptr;
  git::check(git_blob_lookup(&blob, repo, &id), path + ": cannot read staged blob");
  return git::Blob(blob);
}

// Above this size a staged file is not diffed line by line (the line table alone would take more memory
// than the file): both versions are scanned whole and the findings the old one lacks are the new ones.
constexpr std::size_t kLineDiffLimit = 16u << 20;

std::string_view bytes_of(const git::Blob& blob) {
  return std::string_view(static_cast<const char*>(git_blob_rawcontent(blob.get())),
                          static_cast<std::size_t>(git_blob_rawsize(blob.get())));
}

// The blob's text: its bytes, or, when it is UTF-16, its text decoded into `storage` (as `scan` reads
// files), so that line numbers and added lines are those of the decoded text.
std::string_view text_of(const git::Blob& blob, std::string& storage) {
  const std::string_view bytes = bytes_of(blob);
  return decode_utf16(bytes, storage) ? std::string_view(storage) : bytes;
}

// Whether a file's reading and scanning go to KEYGATE_TRACE: only on the calling thread (the trace's
// clock is not shared between threads), and then per file, for the one-file hook's figures.
enum class TraceFile { Yes, No };

// Reads and scans one staged file; returns the bytes of its staged content (0 when it is not read).
std::uint64_t scan_staged_file(git_repository* repo, const StagedFile& file, Scanner& scanner,
                               TraceFile trace) {
  const auto stage = [trace](const char* name) {
    if (trace == TraceFile::Yes) trace_stage(name);
  };
  Origin origin;
  origin.kind = SourceKind::Staged;
  origin.path = file.path;
  scanner.scan_name(origin);
  git::Blob blob = lookup_blob(repo, file.new_id, file.path);
  stage("  read staged blob");
  const std::size_t size = bytes_of(blob).size();
  const std::uint64_t limit = scanner.settings().max_file_size;
  if (limit != 0 && size > limit) {
    scanner.warn(file.path + ": not scanned: " + std::to_string(size) + " bytes is over --max-file-size");
    return 0;
  }
  // A staged archive is opened from the index blob; of its findings, those its HEAD version lacks are new.
  if (archive::is_container(bytes_of(blob).substr(0, 8000), scanner.settings().max_archive_depth)) {
    std::vector<Finding> found = archive::read_container(bytes_of(blob), origin, scanner);
    if (file.has_old && !found.empty()) {
      const git::Blob old = lookup_blob(repo, file.old_id, file.path);
      if (archive::is_container(bytes_of(old).substr(0, 8000), scanner.settings().max_archive_depth))
        found = new_findings(archive::read_container(bytes_of(old), origin, scanner), found);
    }
    if (!found.empty()) scanner.add(std::move(found));
    return size;
  }
  std::string decoded, old_decoded;
  const std::string_view text = text_of(blob, decoded);
  if (looks_binary(text)) {
    scanner.note(file.path, "skipped: binary file");
    return size;
  }
  if (text.data() == decoded.data()) scanner.note(file.path, "read as UTF-16");
  if (text.size() > kLineDiffLimit) {
    std::vector<Finding> found = scanner.detect_text(text, origin);
    if (file.has_old && !found.empty()) {
      const git::Blob old = lookup_blob(repo, file.old_id, file.path);
      found = new_findings(scanner.detect_text(text_of(old, old_decoded), origin), found);
    }
    if (!found.empty()) scanner.add(std::move(found));
    return size;
  }
  Fragment fragment;
  fragment.text = text;
  fragment.origin = std::move(origin);
  std::vector<LineRange> added;
  if (file.has_old) {
    const git::Blob old = lookup_blob(repo, file.old_id, file.path);
    added = added_lines(text_of(old, old_decoded), text);
    stage("  read HEAD blob and diff");
    if (added.empty()) return size;  // only deletions
    fragment.added_lines = &added;
  }
  scanner.scan(fragment);
  stage("  detect");
  return size;
}

// A new file whose content is exactly that of a file the commit removes only moved (git mv): it adds no
// lines; it is dropped from `files`. A new file named like a removed one is taken as that file moved and
// edited: only the lines it adds to it count.
void resolve_moves(std::vector<StagedFile>& files, const Removed& deleted, Scanner& scanner) {
  std::size_t kept = 0;
  for (StagedFile& f : files) {
    if (!f.has_old) {
      if (deleted.ids.count(f.new_id) != 0) {
        scanner.note(f.path, "moved without changes: nothing added");
        continue;
      }
      const std::size_t slash = f.path.rfind('/');
      const auto same_name =
          deleted.by_name.find(slash == std::string::npos ? f.path : f.path.substr(slash + 1));
      if (same_name != deleted.by_name.end()) {
        f.has_old = true;
        f.old_id = same_name->second;
      }
    }
    if (&files[kept] != &f) files[kept] = std::move(f);
    ++kept;
  }
  files.resize(kept);
}

// Reads and scans the staged files. The calling thread starts alone, so that the hook for a small change
// pays for no thread; once it has read settings().staged_parallel_from_bytes with files left, jobs-1
// helpers join it (the initial commit of a large tree). Files are taken in index order from one counter;
// each helper reads through its own repository handle (libgit2 objects are not shared between threads).
// Findings go to the sink from every thread; the report sorts them, so the output does not depend on
// which thread scanned which file.
class StagedScan {
 public:
  StagedScan(git_repository* repo, const std::vector<StagedFile>& files, Scanner& scanner)
      : repo_(repo), files_(files), scanner_(scanner) {}

  // Scans every file. Throws the error of the first file, in index order, that could not be read (as
  // the single-threaded loop would), after every thread has stopped.
  void run() {
    const unsigned jobs = std::max(1u, scanner_.settings().jobs);
    std::vector<std::thread> helpers;
    std::uint64_t bytes = 0;
    for (std::size_t i; (i = next_++) < files_.size();) {
      bytes += scan_one(repo_, i, TraceFile::Yes);
      if (helpers.empty() && jobs > 1 && bytes >= scanner_.settings().staged_parallel_from_bytes &&
          next_ + 1 < files_.size()) {
        git_dir_ = git_repository_path(repo_);  // read here: the calling thread keeps using repo_
        helpers.reserve(jobs - 1);
        for (unsigned t = 1; t < jobs; ++t) helpers.emplace_back([this] { help(); });
      }
    }
    for (std::thread& t : helpers) t.join();
    if (failed_ != kNone) std::rethrow_exception(error_);
  }

 private:
  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);

  void help() {
    git::Repository repo;
    try {
      repo = git::open(git_dir_);
      git::add_object_dirs_from_env(repo.get());  // the objects the main handle sees from the environment
    } catch (const std::exception&) {
      return;  // the calling thread scans what this helper would have: the result is the same
    }
    for (std::size_t i; (i = next_++) < files_.size();) scan_one(repo.get(), i, TraceFile::No);
  }

  // Scans file `i`; on an error, keeps the one of the lowest index and lets no thread take more files.
  // (Files are taken in order, so every file before a failed one has been taken and finishes.)
  std::uint64_t scan_one(git_repository* repo, std::size_t i, TraceFile trace) {
    try {
      return scan_staged_file(repo, files_[i], scanner_, trace);
    } catch (...) {
      next_ = files_.size();
      std::lock_guard<std::mutex> lock(error_mutex_);
      if (i < failed_) {
        failed_ = i;
        error_ = std::current_exception();
      }
      return 0;
    }
  }

  git_repository* repo_;
  const std::vector<StagedFile>& files_;
  Scanner& scanner_;
  std::string git_dir_;  // set before the helpers start
  std::atomic<std::size_t> next_{0};
  std::mutex error_mutex_;
  std::size_t failed_ = kNone;  // guarded by error_mutex_ while helpers run
  std::exception_ptr error_;    // guarded by error_mutex_ while helpers run
};

void scan_staged_files(git_repository* repo, std::vector<StagedFile> files, const Removed& deleted,
                       Scanner& scanner) {
  resolve_moves(files, deleted, scanner);
  StagedScan(repo, files, scanner).run();
}

}  // namespace

namespace {

std::string index_file_of(git_repository* repo, const std::string& index_path) {
  return index_path.empty() ? std::string(git_repository_path(repo)) + "index" : index_path;
}

}  // namespace

std::optional<std::string> read_staged_file(git_repository* repo, const std::string& index_path,
                                            const std::string& path) {
  if (git_repository_is_bare(repo)) return std::nullopt;
  const std::optional<git_oid> id =
      find_index_entry(index_file_of(repo, index_path), path, git_repository_path(repo));
  if (!id) return std::nullopt;
  const git::Blob blob = lookup_blob(repo, *id, path);
  return std::string(static_cast<const char*>(git_blob_rawcontent(blob.get())),
                     static_cast<std::size_t>(git_blob_rawsize(blob.get())));
}

void read_staged_changes(git_repository* repo, const std::string& index_path, Scanner& scanner) {
  if (git_repository_is_bare(repo)) throw Error("a bare repository has no index to check");
  const git::Tree head = git::head_tree(repo);
  const std::string path = index_file_of(repo, index_path);
  trace_stage("read HEAD");
  std::vector<StagedFile> files;
  Removed deleted;
  if (std::optional<IndexFile> index = read_index_file(path, git_repository_path(repo))) {
    trace_stage("read index");
    const CacheTreeNode* root = index->cache_tree ? &*index->cache_tree : nullptr;
    diff_directory(repo, *index, 0, index->entries.size(), "", head.get(), root, files, deleted);
  } else {
    scanner.note(path, "index read by libgit2 (a format this reader does not know)");
    files = staged_files_by_libgit2(repo, index_path, head.get(), deleted);
  }
  trace_stage("diff index against HEAD");
  scan_staged_files(repo, std::move(files), deleted, scanner);
  trace_stage("scan staged files");
}

void read_staged_changes_with_libgit2(git_repository* repo, const std::string& index_path, Scanner& scanner) {
  const git::Tree head = git::head_tree(repo);
  Removed deleted;
  std::vector<StagedFile> files = staged_files_by_libgit2(repo, index_path, head.get(), deleted);
  scan_staged_files(repo, std::move(files), deleted, scanner);
}

}  // namespace keygate
