// This file implements where `purge --check` says a surviving object is (see reach.hpp): a walk from the
// roots git's own garbage collection keeps (refs, then reflogs, then the index), stronger roots first, that
// stops once every object that holds a secret has been met; what it never meets is unreachable.
#include "purge/reach.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <map>

#include "git/git.hpp"
#include "git/revisions.hpp"

namespace keygate::purge {
namespace {

// A walk's starting point and what to say of the objects first met from it.
struct Root {
  git_oid id;
  std::string where;
  std::string remedy;
};

constexpr const char* kRewriteAgain =
    "still in history: rewrite again (git filter-repo --force --replace-text FILE --replace-message FILE), "
    "or delete the ref (git update-ref -d {ref})";

std::string replace_all(std::string text, std::string_view from, std::string_view to) {
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

// Refs, strongest first: branches, tags and the rest; notes; replace refs; refs/original; the stash.
int ref_rank(std::string_view name) {
  if (name.rfind("refs/notes/", 0) == 0) return 1;
  if (name.rfind("refs/replace/", 0) == 0) return 2;
  if (name.rfind("refs/original/", 0) == 0) return 3;
  if (name == "refs/stash") return 4;
  return 0;
}

std::string ref_remedy(const std::string& name) {
  switch (ref_rank(name)) {
    case 1:
      return "rewrite the notes (git filter-repo rewrites refs/notes/* with --replace-text), or drop them: "
             "git update-ref -d " +
             name;
    case 2:
      return "git replace -d " + name.substr(std::string("refs/replace/").size());
    case 3:
      return "git update-ref -d " + name +
             "   (every one: git for-each-ref --format='delete %(refname)' "
             "refs/original | git update-ref --stdin)";
    case 4:
      return "git stash clear   (stashes are not rewritten)";
    default:
      return replace_all(kRewriteAgain, "{ref}", name);
  }
}

// The blobs staged in `repo`'s index; `whose` names another worktree's (" of worktree NAME") or is empty.
void add_index(git_repository* repo, const std::string& whose, std::vector<Root>& out) {
  git_index* raw_index = nullptr;
  if (git_repository_index(&raw_index, repo) != 0) return;
  const git::Index index(raw_index);
  for (std::size_t i = 0; i < git_index_entrycount(raw_index); ++i) {
    const git_index_entry* e = git_index_get_byindex(raw_index, i);
    if ((e->mode & 0170000) == 0160000) continue;
    out.push_back({e->id, "in the index" + whose + " (staged as " + e->path + ")",
                   std::string("git rm --cached -- ") + e->path + " (or git reset)" +
                       (whose.empty() ? "" : ", in that worktree") + ", then stage the cleaned file"});
  }
}

std::vector<Root> roots(git_repository* repo) {
  std::vector<std::pair<int, Root>> ranked;
  std::vector<std::string> names = {"HEAD"};
  git_reference_iterator* it = nullptr;
  git::check(git_reference_iterator_new(&it, repo), "cannot list the refs");
  for (git_reference* raw = nullptr; git_reference_next(&raw, it) == 0;) {
    const git::Reference ref(raw);
    const std::string name = git_reference_name(raw);
    names.push_back(name);
    git_reference* resolved = nullptr;
    if (git_reference_resolve(&resolved, raw) != 0) continue;  // a dangling symbolic ref names nothing
    const git::Reference target(resolved);
    ranked.push_back(
        {ref_rank(name), {*git_reference_target(resolved), "reachable from " + name, ref_remedy(name)}});
  }
  git_reference_iterator_free(it);
  git_error_clear();
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<Root> out;
  // A detached HEAD is a root of its own.
  git_reference* head = nullptr;
  if (git_repository_head_detached(repo) == 1 && git_repository_head(&head, repo) == 0) {
    const git::Reference h(head);
    out.push_back({*git_reference_target(head), "reachable from HEAD (detached)",
                   replace_all(kRewriteAgain, "{ref}", "HEAD")});
  }
  git_error_clear();
  for (auto& [rank, root] : ranked) out.push_back(std::move(root));
  // Reflogs: what a ref pointed at before (the rewrite's old commits, older stashes).
  for (const std::string& name : names) {
    git_reflog* raw = nullptr;
    if (git_reflog_read(&raw, repo, name.c_str()) != 0) continue;
    const std::size_t n = git_reflog_entrycount(raw);
    const std::string where = name == "refs/stash"
                                  ? "reachable from an older stash (the reflog of refs/stash)"
                                  : "reachable only from the reflog of " + name;
    const std::string remedy =
        name == "refs/stash" ? "git stash clear" : "git reflog expire --expire=now --all";
    for (std::size_t i = 0; i < n; ++i) {
      const git_reflog_entry* e = git_reflog_entry_byindex(raw, i);
      out.push_back({*git_reflog_entry_id_new(e), where, remedy});
      if (!git_oid_is_zero(git_reflog_entry_id_old(e)))
        out.push_back({*git_reflog_entry_id_old(e), where, remedy});
    }
    git_reflog_free(raw);
  }
  git_error_clear();
  // The index: staged blobs.
  add_index(repo, "", out);
  // Linked worktrees: their HEAD, its reflog and their index keep objects too (git gc honours them).
  git_strarray worktrees{};
  if (git_worktree_list(&worktrees, repo) == 0) {
    for (std::size_t i = 0; i < worktrees.count; ++i) {
      const std::string whose = std::string(" of worktree ") + worktrees.strings[i];
      git_worktree* raw_worktree = nullptr;
      git_repository* raw_repo = nullptr;
      if (git_worktree_lookup(&raw_worktree, repo, worktrees.strings[i]) != 0) continue;
      const int rc = git_repository_open_from_worktree(&raw_repo, raw_worktree);
      git_worktree_free(raw_worktree);
      if (rc != 0) continue;
      const git::Repository other(raw_repo);
      git_reference* head = nullptr;
      if (git_repository_head(&head, raw_repo) == 0) {
        const git::Reference h(head);
        out.push_back({*git_reference_target(head), "reachable from HEAD" + whose,
                       replace_all(kRewriteAgain, "{ref}", "HEAD" + whose)});
      }
      git_reflog* log = nullptr;
      if (git_reflog_read(&log, raw_repo, "HEAD") == 0) {
        for (std::size_t e = 0; e < git_reflog_entrycount(log); ++e) {
          out.push_back({*git_reflog_entry_id_new(git_reflog_entry_byindex(log, e)),
                         "reachable only from the reflog of HEAD" + whose,
                         "git reflog expire --expire=now --all"});
        }
        git_reflog_free(log);
      }
      add_index(raw_repo, whose, out);
    }
    git_strarray_dispose(&worktrees);
  }
  git_error_clear();
  return out;
}

}  // namespace

std::vector<Survivor> locate(git_repository* repo, const PackSet& packs, const std::vector<Hit>& hits,
                             const LiteralSearch& search) {
  if (hits.empty()) return {};
  std::map<std::string, std::pair<std::string, std::string>> place;  // hex id -> where, remedy
  OidSet wanted;
  for (const Hit& h : hits) wanted.insert(h.id);
  git_odb* raw_odb = nullptr;
  git::check(git_repository_odb(&raw_odb, repo), "cannot open the object database");
  const git::Odb odb(raw_odb);
  PackCursor cursor(packs, 16u << 20);
  OidSet visited;
  std::vector<git_oid> stack;
  for (const Root& root : roots(repo)) {
    if (place.size() == wanted.size()) break;
    stack.push_back(root.id);
    while (!stack.empty()) {
      const git_oid id = stack.back();
      stack.pop_back();
      if (!visited.insert(id).second) continue;
      if (wanted.count(id) != 0) place.emplace(hex_id(id), std::make_pair(root.where, root.remedy));
      ObjectData data;
      git_object_t type;
      std::string own;
      std::string_view text;
      if (cursor.read(id, data, type)) {
        text = *data;
      } else {
        git_odb_object* raw = nullptr;
        if (git_odb_read(&raw, raw_odb, &id) != 0) continue;  // missing: counted by the check already
        const git::OdbObject object(raw);
        type = git_odb_object_type(raw);
        own.assign(static_cast<const char*>(git_odb_object_data(raw)), git_odb_object_size(raw));
        text = own;
      }
      if (type == GIT_OBJECT_BLOB) continue;
      for_each_named_id(type, text, [&](const git_oid& named) {
        if (visited.count(named) == 0) stack.push_back(named);
      });
    }
  }
  git_error_clear();
  const std::string objects = std::string(git_repository_commondir(repo)) + "objects/";
  std::vector<Survivor> out;
  std::map<std::string, std::size_t> reported;  // hex id -> its Survivor: one per object, every form named
  for (const Hit& h : hits) {
    const std::string hex = hex_id(h.id);
    if (const auto seen = reported.find(hex); seen != reported.end()) {
      out[seen->second].form += "; " + describe_form(search, h.literal);
      continue;
    }
    reported.emplace(hex, out.size());
    Survivor s;
    s.object = std::string(git_object_type2string(h.type)) + " " + hex;
    s.form = describe_form(search, h.literal);
    if (const auto found = place.find(hex); found != place.end()) {
      s.where = found->second.first;
      s.remedy = found->second.second;
    } else {
      struct stat st;
      PackSet::Location at;
      if (::stat((objects + hex.substr(0, 2) + "/" + hex.substr(2)).c_str(), &st) == 0) {
        s.where = "unreachable, loose";
      } else if (packs.find(h.id, at)) {
        s.where = "unreachable, packed in " + packs.name(at.pack);
      } else {
        s.where = "unreachable, in an alternate object store (objects/info/alternates)";
      }
      s.remedy = s.where.find("alternate") != std::string::npos
                     ? "purge the repository that owns the alternate object store too"
                     : "git reflog expire --expire=now --all && git gc --prune=now";
    }
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace keygate::purge
