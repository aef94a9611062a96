// Tests for git.cpp: errors carry libgit2's message (or say it has none), open() finds repositories and
// names the place when it cannot, head_tree() before the first commit.
#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "git/git.hpp"
#include "support/repo.hpp"

using namespace keygate;
using namespace keygate::test;

TEST_CASE("check() passes success through and turns a failure into an Error with libgit2's message") {
  git::init();
  CHECK(git::check(0, "x") == 0);
  git_repository* repo = nullptr;
  const int rc = git_repository_open(&repo, "/nonexistent/keygate");
  CHECK_THROWS_WITH(git::check(rc, "opening"), Catch::StartsWith("opening: "));
}

TEST_CASE("last_error_message() never dereferences a missing error") {
  git::init();
  git_error_clear();
  CHECK(git::last_error_message() == "unknown error");
}

TEST_CASE("open() names a directory that is not a repository; head_tree() is null before the first commit") {
  git::init();
  TempDir dir;
  CHECK_THROWS_WITH(git::open(dir.path()), Catch::Contains(dir.path() + ": not a git repository"));
  TestRepo repo;
  CHECK(git::head_tree(repo.get()) == nullptr);
  repo.write("a", "a\n");
  repo.stage("a");
  repo.commit("one");
  CHECK(git::head_tree(repo.get()) != nullptr);
}
