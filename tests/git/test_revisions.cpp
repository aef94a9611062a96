// Tests for revisions.cpp: git's revision syntax, and the walk by date that finds the new commits.
#include <algorithm>
#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "git/git.hpp"
#include "git/revisions.hpp"
#include "support/repo.hpp"

using namespace keygate;
using namespace keygate::test;

namespace {

git_oid oid(const std::string& hex) {
  git_oid id;
  git_oid_fromstr(&id, hex.c_str());
  return id;
}

std::vector<std::string> sorted_hex(const OidSet& set) {
  std::vector<std::string> out;
  for (const git_oid& id : set) out.push_back(git_oid_tostr_s(&id));
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

// mainline: a - b - c;  topic: b - t;  tag v1 -> a.
struct Graph {
  TestRepo repo;
  std::string a, b, c, t;
  Graph() {
    git::init();
    repo.write("f", "1\n");
    repo.stage("f");
    a = repo.commit("a");
    repo.write("f", "2\n");
    repo.stage("f");
    b = repo.commit("b");
    repo.write("f", "3\n");
    repo.stage("f");
    c = repo.commit("c");
    repo.branch("mainline", c);
    repo.branch("topic", b);
    repo.branch("old", a);
    repo.checkout("topic");
    repo.write("g", "t\n");
    repo.stage("g");
    t = repo.commit("t");
  }
};

}  // namespace

TEST_CASE("new_commits: what the tips reach and no hidden commit does") {
  Graph g;
  const OidSet none;
  CHECK(sorted_hex(new_commits(g.repo.get(), {oid(g.c)}, {oid(g.t)}, none)) == std::vector<std::string>{g.c});
  CHECK(sorted_hex(new_commits(g.repo.get(), {oid(g.c), oid(g.t)}, {oid(g.a)}, none)) ==
        sorted({g.b, g.c, g.t}));
  CHECK(new_commits(g.repo.get(), {oid(g.b)}, {oid(g.c)}, none).empty());
}

TEST_CASE("new_commits: a missing commit is an error naming it") {
  Graph g;
  CHECK_THROWS_WITH(new_commits(g.repo.get(), {oid(std::string(40, '1'))}, {oid(g.a)}, OidSet{}),
                    Catch::Contains(std::string(40, '1')));
}

TEST_CASE("parse_revisions: --not flips, --all, --branches=P, A..B, ^REV") {
  Graph g;
  auto hex = [](const std::vector<git_oid>& ids) {
    std::vector<std::string> out;
    for (const git_oid& id : ids) out.push_back(git_oid_tostr_s(&id));
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());  // the initial branch is at c too
    return out;
  };
  RevisionSelection s = parse_revisions(g.repo.get(), {g.c, "--not", "--all"});
  CHECK(hex(s.tips) == std::vector<std::string>{g.c});
  CHECK(hex(s.hidden) == sorted({g.a, g.c, g.t}));
  s = parse_revisions(g.repo.get(), {"--branches=top*", "^" + g.a});
  CHECK(hex(s.tips) == std::vector<std::string>{g.t});
  CHECK(hex(s.hidden) == std::vector<std::string>{g.a});
  s = parse_revisions(g.repo.get(), {"old..mainline", "--not", "--not", "topic"});
  CHECK(hex(s.tips) == sorted({g.c, g.t}));
  CHECK(hex(s.hidden) == std::vector<std::string>{g.a});
  CHECK_THROWS_WITH(parse_revisions(g.repo.get(), {"--bogus"}), Catch::Contains("unknown revision option"));
  CHECK(parse_revisions(g.repo.get(), {"--remotes"}).tips.empty());
}
