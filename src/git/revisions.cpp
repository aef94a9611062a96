// This file implements revision selection (see revisions.hpp): git's argument syntax, and the walk by
// commit date that separates new commits from those some hidden commit already reaches.
#include "git/revisions.hpp"

#include <dirent.h>
#include <fnmatch.h>

#include <cstdint>
#include <fstream>
#include <queue>
#include <unordered_map>

#include "core/error.hpp"

namespace keygate {
namespace {

std::string hex(const git_oid& id) { return git_oid_tostr_s(&id); }

// "N object(s) ...: a, b, c and N more".
std::string first_few(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size() && i < 3; ++i) out += (i ? ", " : "") + names[i];
  if (names.size() > 3) out += " and " + std::to_string(names.size() - 3) + " more";
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

bool has_glob(const std::string& s) { return s.find_first_of("*?[") != std::string::npos; }

}  // namespace

std::vector<git_oid> ref_commits(git_repository* repo, const std::string& prefix, const std::string& pattern,
                                 std::vector<NamedObject>* objects) {
  // git's --branches=P: P is a glob under the prefix; without glob characters it names a folder.
  std::string glob;
  if (!pattern.empty()) glob = prefix + pattern + (has_glob(pattern) ? "" : "/*");
  std::vector<git_oid> out;
  std::vector<std::string> missing;
  git_reference_iterator* raw = nullptr;
  git::check(git_reference_iterator_new(&raw, repo), "cannot read the references");
  for (git_reference* ref = nullptr; git_reference_next(&ref, raw) == 0;) {
    git::Reference owned(ref);
    const std::string name = git_reference_name(ref);
    if (name.rfind(prefix, 0) != 0) continue;
    if (!glob.empty() && ::fnmatch(glob.c_str(), name.c_str(), 0) != 0) continue;
    // A symbolic ref to a branch that does not exist (refs/remotes/origin/HEAD after a rename) names
    // nothing; a ref whose object is missing is damage.
    git_reference* resolved = nullptr;
    if (git_reference_resolve(&resolved, ref) != 0) {
      git_error_clear();
      continue;
    }
    git::Reference owned_resolved(resolved);
    git_object* commit = nullptr;
    const int rc = git_reference_peel(&commit, resolved, GIT_OBJECT_COMMIT);
    if (rc == 0) {
      out.push_back(*git_object_id(commit));
      git_object_free(commit);
    } else if (rc == GIT_ENOTFOUND) {
      const git_oid* target = git_reference_target(resolved);
      missing.push_back(name + " (" + (target ? hex(*target) : std::string("?")) + ")");
    } else if (const git_oid* target = git_reference_target(resolved);
               objects != nullptr && target != nullptr) {
      objects->push_back({*target, name});  // a tag of a blob or tree: read as an object
    }
    git_error_clear();  // refs to trees and blobs: not commits, left out as git rev-list --all does
  }
  git_reference_iterator_free(raw);
  if (!missing.empty()) {
    throw Error(std::to_string(missing.size()) + " ref(s) point at missing objects: " + first_few(missing) +
                "; the repository is damaged or incomplete, so a scan would miss what they hold (git fsck)" +
                partial_clone_note(repo));
  }
  return out;
}

RevisionSelection parse_revisions(git_repository* repo, const std::vector<std::string>& args) {
  RevisionSelection out;
  if (args.empty()) {
    out.tips = ref_commits(repo, "refs/", "", &out.objects);
    if (git_repository_head_unborn(repo) == 0 && git_repository_head_detached(repo) == 1) {
      out.tips.push_back(resolve_commit(repo, "HEAD"));
    }
    return out;
  }
  bool negated = false;
  auto add = [&](std::vector<git_oid> ids, bool hide) {
    auto& into = hide != negated ? out.hidden : out.tips;
    into.insert(into.end(), ids.begin(), ids.end());
  };
  auto option_value = [](const std::string& a, const std::string& name) {
    return a.size() > name.size() ? a.substr(name.size() + 1) : std::string();
  };
  for (const std::string& a : args) {
    if (a == "--not") {
      negated = !negated;
    } else if (a == "--all") {
      add(ref_commits(repo, "refs/", "", negated ? nullptr : &out.objects), false);
      if (git_repository_head_unborn(repo) == 0 && git_repository_head_detached(repo) == 1) {
        add({resolve_commit(repo, "HEAD")}, false);
      }
    } else if (a == "--branches" || a.rfind("--branches=", 0) == 0) {
      add(ref_commits(repo, "refs/heads/", option_value(a, "--branches")), false);
    } else if (a == "--remotes" || a.rfind("--remotes=", 0) == 0) {
      add(ref_commits(repo, "refs/remotes/", option_value(a, "--remotes")), false);
    } else if (a == "--tags" || a.rfind("--tags=", 0) == 0) {
      add(ref_commits(repo, "refs/tags/", option_value(a, "--tags"), negated ? nullptr : &out.objects),
          false);
    } else if (a.find("...") != std::string::npos) {
      throw Error("symmetric ranges (A...B) are not supported: \"" + a + "\"");
    } else if (const std::size_t dots = a.find(".."); dots != std::string::npos) {
      const std::string from = a.substr(0, dots), to = a.substr(dots + 2);
      add({resolve_commit(repo, from.empty() ? "HEAD" : from)}, true);
      add({resolve_commit(repo, to.empty() ? "HEAD" : to)}, false);
    } else if (a[0] == '^') {
      add({resolve_commit(repo, a.substr(1))}, true);
    } else if (a[0] == '-') {
      throw Error("unknown revision option \"" + a + "\" (--not, --all, --branches, --remotes, --tags)");
    } else {
      add({resolve_commit(repo, a)}, false);
    }
  }
  return out;
}

OidSet shallow_commits(git_repository* repo) {
  OidSet out;
  std::ifstream in(std::string(git_repository_commondir(repo)) + "shallow");
  for (std::string line; std::getline(in, line);) {
    git_oid id;
    if (line.size() >= GIT_OID_HEXSZ && git_oid_fromstrn(&id, line.c_str(), GIT_OID_HEXSZ) == 0)
      out.insert(id);
  }
  return out;
}

std::string partial_clone_note(git_repository* repo) {
  bool promisor = false;
  const std::string packs = std::string(git_repository_commondir(repo)) + "objects/pack";
  if (DIR* dir = ::opendir(packs.c_str())) {
    while (const dirent* e = ::readdir(dir)) {
      const std::string name = e->d_name;
      if (name.size() > 9 && name.compare(name.size() - 9, 9, ".promisor") == 0) promisor = true;
    }
    ::closedir(dir);
  }
  git_config* raw = nullptr;
  if (!promisor && git_repository_config_snapshot(&raw, repo) == 0) {
    const git::Config config(raw);
    // Every entry, matched here: libgit2 1.5's regex iterator leaks pcre2 match data on each miss.
    git_config_iterator* it = nullptr;
    if (git_config_iterator_new(&it, raw) == 0) {
      git_config_entry* entry = nullptr;
      while (git_config_next(&entry, it) == 0) {
        const std::string key = entry->name;
        const bool remote_promisor = key.rfind("remote.", 0) == 0 && key.size() > 9 &&
                                     key.compare(key.size() - 9, 9, ".promisor") == 0;
        if (remote_promisor || key == "extensions.partialclone") promisor = true;
      }
      git_config_iterator_free(it);
    }
  }
  git_error_clear();
  if (!promisor) return "";
  return "; this is a partial clone (a promisor remote): objects it did not download cannot be scanned "
         "(fetch them first, e.g. git fetch --refetch, or scan a full clone)";
}

OidSet new_commits(git_repository* repo, const std::vector<git_oid>& tips, const std::vector<git_oid>& hidden,
                   const OidSet& shallow) {
  struct Node {
    std::int64_t time = 0;
    std::vector<git_oid> parents;
    bool uninteresting = false;
    bool queued = false;
    bool expanded = false;  // its parents are known nodes
  };
  std::unordered_map<git_oid, Node, git::OidHash, git::OidEqual> nodes;
  using Entry = std::pair<std::int64_t, git_oid>;
  auto later_first = [](const Entry& a, const Entry& b) { return a.first < b.first; };
  std::priority_queue<Entry, std::vector<Entry>, decltype(later_first)> queue(later_first);
  std::size_t interesting_queued = 0;

  // Hiding reaches down through the commits already expanded (a commit dated later than a hidden
  // descendant's ancestor, i.e. clock skew, can be expanded as interesting first).
  auto hide = [&](const git_oid& start) {
    std::vector<git_oid> stack{start};
    while (!stack.empty()) {
      const git_oid id = stack.back();
      stack.pop_back();
      Node& n = nodes.at(id);
      if (n.uninteresting) continue;
      n.uninteresting = true;
      if (n.queued) --interesting_queued;
      if (n.expanded) {
        for (const git_oid& p : n.parents) {
          if (nodes.count(p)) stack.push_back(p);
        }
      }
    }
  };
  auto add = [&](const git_oid& id, bool uninteresting, const git_oid* child) {
    if (auto it = nodes.find(id); it != nodes.end()) {
      if (uninteresting) hide(id);
      return;
    }
    git_commit* raw = nullptr;
    if (git_commit_lookup(&raw, repo, &id) != 0) {
      if (child != nullptr && shallow.count(*child)) {
        git_error_clear();
        return;  // a shallow clone's boundary: history starts here
      }
      git::check(-1, "cannot read commit " + hex(id) + (child ? " (a parent of " + hex(*child) + ")" : "") +
                         partial_clone_note(repo));
    }
    const git::Commit commit(raw);
    Node n;
    n.time = git_commit_time(raw);
    for (unsigned i = 0; i < git_commit_parentcount(raw); ++i)
      n.parents.push_back(*git_commit_parent_id(raw, i));
    n.uninteresting = uninteresting;
    n.queued = true;
    if (!uninteresting) ++interesting_queued;
    queue.push({n.time, id});
    nodes.emplace(id, std::move(n));
  };
  for (const git_oid& h : hidden) add(h, true, nullptr);
  for (const git_oid& t : tips) add(t, false, nullptr);

  // Once only hidden commits are queued, a few more steps let a skewed date correct itself.
  int slop = 5;
  while (!queue.empty() && (interesting_queued > 0 || slop-- > 0)) {
    const git_oid id = queue.top().second;
    queue.pop();
    Node& n = nodes.at(id);
    n.queued = false;
    if (!n.uninteresting) --interesting_queued;
    n.expanded = true;
    const bool hidden_here = n.uninteresting;
    const std::vector<git_oid> parents = n.parents;  // `nodes` may rehash below
    for (const git_oid& p : parents) add(p, hidden_here, &id);
  }
  OidSet out;
  for (const auto& [id, n] : nodes) {
    if (!n.uninteresting) out.insert(id);
  }
  return out;
}

}  // namespace keygate
