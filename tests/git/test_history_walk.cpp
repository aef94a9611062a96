// Tests for history_walk.cpp: commits in parents-first order, unknown revisions, and the tree diff that
// reports changed regular files only.
#include <catch2/catch.hpp>
#include <map>

#include "core/error.hpp"
#include "git/history_walk.hpp"
#include "support/repo.hpp"

using namespace keygate;
using namespace keygate::test;

namespace {

std::string hex(const git_oid& id) { return git_oid_tostr_s(&id); }

}  // namespace

TEST_CASE("list_commits lists every commit once, parents before children") {
  git::init();
  TestRepo repo;
  std::vector<std::string> made;
  for (int i = 0; i < 4; ++i) {
    repo.write("f", std::to_string(i) + "\n");
    repo.stage("f");
    made.push_back(repo.commit("c" + std::to_string(i)));
  }
  const std::vector<CommitNode> commits = list_commits(repo.get(), std::vector<std::string>{});
  REQUIRE(commits.size() == made.size());
  std::map<std::string, std::size_t> position;
  for (std::size_t i = 0; i < commits.size(); ++i) position[hex(commits[i].id)] = i;
  for (const CommitNode& c : commits) {
    for (const git_oid& p : c.parents) CHECK(position.at(hex(p)) < position.at(hex(c.id)));
  }
  CHECK(list_commits(repo.get(), {made[3], "^" + made[1]}).size() == 2);
  CHECK_THROWS_AS(list_commits(repo.get(), {"no-such-revision"}), Error);
}

TEST_CASE("TreeDiff reports changed and deleted regular files, not symbolic links") {
  git::init();
  TestRepo repo;
  repo.write("keep", "same\n");
  repo.write("edit", "one\n");
  repo.write("gone", "bye\n");
  for (const char* f : {"keep", "edit", "gone"}) repo.stage(f);
  const std::string first = repo.commit("first");
  repo.write("edit", "two\n");
  repo.write("dir/new", "new\n");
  repo.stage("edit");
  repo.stage("dir/new");
  repo.unstage_removal("gone");
  REQUIRE(run_shell("cd '" + repo.dir() + "' && ln -s keep link && git add link") == 0);
  const std::string second = repo.commit("second");

  const PackSet packs(objects_dir(repo.get()));
  TreeCache trees(repo.get(), packs);
  git_oid a, b;
  REQUIRE(git_oid_fromstr(&a, first.c_str()) == 0);
  REQUIRE(git_oid_fromstr(&b, second.c_str()) == 0);
  std::vector<std::string> changed;
  int deleted = 0;
  TreeDiff diff(
      trees, [&](const Change& c) { changed.push_back(c.path + (c.old_id ? " (was there)" : "")); },
      [&](const git_oid&) { ++deleted; });
  diff.run(tree_of(repo.get(), trees, a), tree_of(repo.get(), trees, b));
  std::sort(changed.begin(), changed.end());
  CHECK(changed == std::vector<std::string>{"dir/new", "edit (was there)"});
  CHECK(deleted == 1);
}

TEST_CASE("list_commits reads every parent of an octopus merge, packed or loose") {
  git::init();
  TestRepo repo;
  repo.write("f", "root\n");
  repo.stage("f");
  repo.commit("root");
  // 14 parent lines run past the 512 bytes read of a packed commit's start.
  REQUIRE(run_shell("cd '" + repo.dir() +
                    "' && t=$(git rev-parse HEAD^{tree}) && p='' && for i in $(seq 14); do "
                    "p=\"$p -p $(git commit-tree $t -p HEAD -m side$i)\"; done && "
                    "git commit-tree $t $p -m octopus > merge-id && git update-ref refs/heads/octopus $(cat "
                    "merge-id)") == 0);
  std::string merge = read_file(repo.dir() + "/merge-id");
  merge.resize(40);
  for (const bool packed : {false, true}) {
    if (packed) REQUIRE(run_shell("cd '" + repo.dir() + "' && git repack -adq") == 0);
    const std::vector<CommitNode> commits = list_commits(repo.get(), {merge});
    REQUIRE(commits.size() == 16);
    CHECK(hex(commits.back().id) == merge);
    CHECK(commits.back().parents.size() == 14);
  }
}
