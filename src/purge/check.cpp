// This file implements `purge --check` (see check.hpp): every object read once, packs in pack order by
// `jobs` threads (each delta costs one step, as `git cat-file --batch-all-objects --unordered` reads
// them), loose objects and alternates through libgit2; the files of the git directory read whole; then,
// only for the objects that still hold a secret, where each is reachable from (reach.cpp).
#include "purge/check.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <filesystem>
#include <mutex>
#include <thread>

#include "core/error.hpp"
#include "git/git.hpp"
#include "git/pack_reader.hpp"
#include "git/revisions.hpp"
#include "purge/literal_search.hpp"
#include "purge/reach.hpp"
#include "util/file_io.hpp"

namespace keygate::purge {
namespace {

constexpr std::size_t kMissingExamples = 5;

// The ids of the object database, for the question every tree entry asks ("is it here?"): open addressing
// over a flat array, one cache miss a lookup where a node-based set takes several (git/git's trees name
// tens of millions of entries). The all-zero id, which no object has, marks an empty slot.
class IdTable {
 public:
  explicit IdTable(const std::vector<git_oid>& ids) {
    std::size_t capacity = 16;
    while (capacity < ids.size() * 2) capacity *= 2;
    slots_.assign(capacity, git_oid{});
    mask_ = capacity - 1;
    for (const git_oid& id : ids) {
      if (git_oid_is_zero(&id)) continue;
      std::size_t i = git::OidHash()(id) & mask_;
      while (!git_oid_is_zero(&slots_[i]) && !git_oid_equal(&slots_[i], &id)) i = (i + 1) & mask_;
      slots_[i] = id;
    }
  }
  bool contains(const git_oid& id) const {
    for (std::size_t i = git::OidHash()(id) & mask_;; i = (i + 1) & mask_) {
      if (git_oid_is_zero(&slots_[i])) return false;
      if (git_oid_equal(&slots_[i], &id)) return true;
    }
  }

 private:
  std::vector<git_oid> slots_;
  std::size_t mask_ = 0;
};

// Reads every object once and remembers which hold a literal and which ids they name that are absent.
class ObjectScan {
 public:
  ObjectScan(const LiteralSearch& search, const IdTable& present, const OidSet& shallow)
      : search_(search), present_(present), shallow_(shallow) {}

  // Looks at one object. Thread-safe.
  void look(const git_oid& id, git_object_t type, std::string_view data, Tally& tally) const {
    ++tally.objects;
    tally.bytes += data.size();
    const std::size_t first = tally.hits.size();  // this object's hits start here
    search_.search(data, [&](std::size_t literal, std::size_t) {
      for (std::size_t i = first; i < tally.hits.size(); ++i) {
        if (tally.hits[i].literal == literal) return;
      }
      tally.hits.push_back({id, type, literal});
    });
    if (type == GIT_OBJECT_COMMIT && shallow_.count(id) != 0) return;  // its parents are not here
    for_each_named_id(type, data, [&](const git_oid& named) {
      if (present_.contains(named) || !tally.missing.insert(named).second) return;
      if (tally.missing_examples.size() < kMissingExamples) {
        tally.missing_examples.push_back(hex_id(named) + " (named by " + git_object_type2string(type) + " " +
                                         hex_id(id) + ")");
      }
    });
  }

 private:
  const LiteralSearch& search_;
  const IdTable& present_;
  const OidSet& shallow_;
};

int collect_id(const git_oid* id, void* payload) {
  auto* ids = static_cast<std::vector<git_oid>*>(payload);
  ids->push_back(*id);
  return 0;
}

// Reads the packs' objects in pack order, each pack cut into `jobs` runs read by threads of their own.
void scan_packs(const PackSet& packs, const ObjectScan& scan, unsigned jobs, std::vector<Tally>& tallies) {
  struct Run {
    std::size_t pack;
    std::vector<std::pair<std::uint64_t, git_oid>> objects;
  };
  std::vector<Run> runs;
  for (std::size_t p = 0; p < packs.count(); ++p) {
    std::vector<std::pair<std::uint64_t, git_oid>> all = packs.objects_in_order(p);
    const std::size_t per = (all.size() + jobs - 1) / std::max(1u, jobs);
    for (std::size_t from = 0; from < all.size(); from += per) {
      const std::size_t to = std::min(all.size(), from + per);
      runs.push_back({p, std::vector<std::pair<std::uint64_t, git_oid>>(
                             all.begin() + static_cast<long>(from), all.begin() + static_cast<long>(to))});
    }
  }
  const std::size_t cache =
      static_cast<std::size_t>(std::clamp<std::uint64_t>(packs.bytes() / 8, 16u << 20, 96u << 20));
  std::mutex mutex;
  std::size_t next = 0;
  std::exception_ptr failure;
  auto work = [&](Tally& tally) {
    PackCursor cursor(packs, cache);
    for (;;) {
      std::size_t r;
      {
        const std::lock_guard<std::mutex> lock(mutex);
        if (next == runs.size() || failure) return;
        r = next++;
      }
      try {
        ObjectData data;
        git_object_t type;
        for (const auto& [offset, id] : runs[r].objects) {
          if (!cursor.read(id, data, type)) continue;  // a duplicate of another pack's: read there
          scan.look(id, type, *data, tally);
        }
      } catch (...) {
        const std::lock_guard<std::mutex> lock(mutex);
        failure = std::current_exception();
        return;
      }
    }
  };
  tallies.resize(std::max(1u, jobs));
  std::vector<std::thread> threads;
  for (unsigned t = 1; t < tallies.size(); ++t) threads.emplace_back(work, std::ref(tallies[t]));
  work(tallies[0]);
  for (std::thread& t : threads) t.join();
  if (failure) std::rethrow_exception(failure);
}

// What removes a secret from a file of the git directory (`name` relative to it).
std::string file_remedy(const std::string& name, const std::string& path) {
  if (name.rfind("logs/", 0) == 0 || name.find("/logs/") != std::string::npos)
    return "git reflog expire --expire=now --all";
  if (name == "index" || (name.size() > 6 && name.compare(name.size() - 6, 6, "/index") == 0))
    return "git rm --cached -- <the file> (or git reset), then stage the cleaned file";
  if (name == "config") return "edit " + path + " (a URL or setting holds it)";
  return "rm " + path + " (git left it behind; nothing needs it)";
}

// The files of the git directory that can hold text from history: everything but the object database
// (read object by object), hooks, submodules' repositories and purge's own files.
void scan_git_dir_files(const std::string& git_dir, const LiteralSearch& search, CheckResult& result) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::recursive_directory_iterator it(git_dir, fs::directory_options::skip_permission_denied, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const std::string name = fs::relative(it->path(), git_dir, ec).generic_string();
    if (it->is_directory(ec)) {
      if (it.depth() == 0 && (name == "objects" || name == "hooks" || name == "modules" ||
                              name == "keygate" || name == "lfs" || name == "refs")) {
        it.disable_recursion_pending();
      }
      continue;
    }
    if (!it->is_regular_file(ec)) continue;
    const std::string path = it->path().string();
    std::vector<std::size_t> found;
    const std::string text = load_file(path);
    search.search(text, [&](std::size_t literal, std::size_t) {
      if (std::find(found.begin(), found.end(), literal) == found.end()) found.push_back(literal);
    });
    if (found.empty()) continue;
    std::string forms;
    for (const std::size_t literal : found)
      forms += (forms.empty() ? "" : "; ") + describe_form(search, literal);
    result.survivors.push_back({"", "file " + path, file_remedy(name, path), forms});
  }
  if (ec) throw Error(git_dir + ": cannot list: " + ec.message());
}

}  // namespace

std::string describe_form(const LiteralSearch& search, std::size_t literal) {
  // The first form of each secret is the secret itself (plan.hpp); the rest are encodings. Neither is
  // printed: the report must not repeat what it proves is gone elsewhere.
  const std::string& form = search.literal(literal);
  return fmt::format("line {} of the purge file ({} bytes, ends \"…{}\")", literal + 1, form.size(),
                     form.size() > 12 ? form.substr(form.size() - 4) : std::string());
}

CheckResult check_repository(git_repository* repo, const std::vector<std::string>& literals, unsigned jobs) {
  const LiteralSearch search(literals);
  const std::string common = git_repository_commondir(repo);
  // 1. Every object id the database holds: loose, packed, alternates.
  git_odb* raw_odb = nullptr;
  git::check(git_repository_odb(&raw_odb, repo), "cannot open the object database");
  const git::Odb odb(raw_odb);
  std::vector<git_oid> ids;
  git::check(git_odb_foreach(raw_odb, collect_id, &ids), "cannot list the object database");
  const IdTable present(ids);
  const OidSet shallow = shallow_commits(repo);
  const ObjectScan scan(search, present, shallow);
  // 2. The packs of this repository in pack order, by `jobs` threads.
  const PackSet packs(common + "objects");
  std::vector<Tally> tallies;
  scan_packs(packs, scan, jobs, tallies);
  // 3. The rest (loose objects, alternates, packs the reader cannot use) through libgit2.
  Tally& rest = tallies[0];
  for (const git_oid& id : ids) {
    PackSet::Location at;
    if (packs.find(id, at)) continue;
    git_odb_object* raw = nullptr;
    const int rc = git_odb_read(&raw, raw_odb, &id);
    // Listed, then gone: a gc ran meanwhile (or removed a pack this handle still lists). It no longer holds
    // anything; any other failure is one.
    if (git::lookup(rc) == git::Lookup::Missing) continue;
    git::check(rc, "cannot read object " + hex_id(id));
    const git::OdbObject object(raw);
    scan.look(id, git_odb_object_type(raw),
              std::string_view(static_cast<const char*>(git_odb_object_data(raw)), git_odb_object_size(raw)),
              rest);
  }
  // 4. The totals, and where each object that holds a secret is (only these are looked up).
  CheckResult result;
  std::vector<Hit> hits;
  OidSet missing;  // named by some object, absent: each counted once however many name it
  for (Tally& t : tallies) {
    result.objects += t.objects;
    result.bytes += t.bytes;
    missing.insert(t.missing.begin(), t.missing.end());
    for (std::string& e : t.missing_examples) {
      if (result.missing_examples.size() < kMissingExamples) result.missing_examples.push_back(std::move(e));
    }
    hits.insert(hits.end(), t.hits.begin(), t.hits.end());
  }
  result.missing = missing.size();
  if (result.missing > 0) result.missing_note = partial_clone_note(repo);
  for (Survivor& s : locate(repo, packs, hits, search)) result.survivors.push_back(std::move(s));
  // 5. The files beside the objects: reflogs, packed-refs, the index, messages git left.
  scan_git_dir_files(common, search, result);
  return result;
}

}  // namespace keygate::purge
