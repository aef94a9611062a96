// This file implements history attribution (see history_attribute.hpp).
#include "filter/history_attribute.hpp"

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <map>
#include <string>

#include "detect/matcher.hpp"
#include "filter/only_new.hpp"

namespace keygate {

namespace {

std::string iso_date(const git_time& t) {
  const std::time_t seconds = static_cast<std::time_t>(t.time) + t.offset * 60;
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[40];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &tm);
  const int offset = t.offset;
  char zone[32];
  std::snprintf(zone, sizeof zone, "%c%02d:%02d", offset < 0 ? '-' : '+', std::abs(offset) / 60,
                std::abs(offset) % 60);
  return std::string(buffer) + zone;
}

}  // namespace

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

void attribute_commit(git_repository* repo, TreeCache& trees, const CommitNode& node,
                      const BlobFindings& blob_findings, Scanner& scanner) {
  const RawTree* tree = trees.get(node.tree);
  const RawTree* first = node.parents.empty() ? nullptr : tree_of(repo, trees, node.parents[0]);
  struct Candidate {
    std::string path;
    git_oid new_id;
    std::vector<git_oid> old_ids;
  };
  std::vector<Candidate> candidates;
  TreeDiff find(
      trees,
      [&](const Change& c) {
        if (blob_findings.count(c.new_id) == 0) return;
        Candidate candidate{c.path, c.new_id, {}};
        if (c.old_id) candidate.old_ids.push_back(*c.old_id);
        candidates.push_back(std::move(candidate));
      },
      nullptr);
  find.run(first, tree);
  if (candidates.empty()) return;

  // A merge introduces only what is in none of its parents at that path.
  for (std::size_t p = 1; p < node.parents.size(); ++p) {
    const RawTree* other = tree_of(repo, trees, node.parents[p]);
    for (Candidate& c : candidates) {
      const std::optional<TreeEntry> entry = entry_at(trees, other, c.path);
      if (entry && is_scannable(entry->mode)) c.old_ids.push_back(*entry->id);
    }
  }
  // Blobs this commit deleted: a file moved elsewhere brings its secrets along, it does not introduce them.
  std::vector<git_oid> deleted;
  TreeDiff deletions(
      trees, [](const Change&) {}, [&](const git_oid& id) { deleted.push_back(id); });
  deletions.run(first, tree);

  std::shared_ptr<const CommitInfo> info;
  for (const Candidate& c : candidates) {
    if (std::any_of(c.old_ids.begin(), c.old_ids.end(),
                    [&](const git_oid& o) { return git_oid_equal(&o, &c.new_id); })) {
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
      if (!info) info = describe(lookup_commit(repo, node.id).get());
      f.file = c.path;
      f.commit = info;
      adjust_for_path(scanner.rules(), f);
    }
    if (!introduced.empty()) scanner.add(std::move(introduced));
  }
}

}  // namespace keygate
