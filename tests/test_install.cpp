// Tests for install.cpp: where the hook goes, keeping an existing hook, idempotence, uninstall.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <cstdlib>

#include "error.hpp"
#include "git.hpp"
#include "install.hpp"
#include "support/repo.hpp"

using namespace keygate;
using namespace keygate::test;

TEST_CASE("the hook goes into .git/hooks by default, and installing twice changes nothing") {
  git::init();
  TestRepo repo;
  CHECK(hooks_directory(repo.dir()) == repo.dir() + "/.git/hooks/");
  CHECK(install_hooks(repo.dir(), "/opt/kg", {"pre-commit"}).find("installed") != std::string::npos);
  const std::string hook = read_file(repo.dir() + "/.git/hooks/pre-commit");
  CHECK(hook.find("/opt/kg") != std::string::npos);
  CHECK(install_hooks(repo.dir(), "/opt/kg", {"pre-commit"}).find("already installed") != std::string::npos);
  CHECK(read_file(repo.dir() + "/.git/hooks/pre-commit") == hook);
  struct stat st;
  REQUIRE(::stat((repo.dir() + "/.git/hooks/pre-commit").c_str(), &st) == 0);
  CHECK((st.st_mode & 0111) != 0);
}

TEST_CASE("core.hooksPath is honoured, relative to the work tree") {
  git::init();
  TestRepo repo;
  REQUIRE(run_shell("git -C '" + repo.dir() + "' config core.hooksPath .githooks") == 0);
  CHECK(hooks_directory(repo.dir()) == repo.dir() + "/.githooks/");
  install_hooks(repo.dir(), "/opt/kg", {"pre-commit"});
  CHECK(read_file(repo.dir() + "/.githooks/pre-commit").find("installed by keygate") != std::string::npos);
}

TEST_CASE("an existing hook is kept, chained, and restored by uninstall") {
  git::init();
  TestRepo repo;
  const std::string hooks = repo.dir() + "/.git/hooks/";
  write_file(hooks + "pre-commit", "#!/bin/sh\necho mine\n");
  CHECK(install_hooks(repo.dir(), "/opt/kg", {"pre-commit"}).find("still runs") != std::string::npos);
  CHECK(read_file(hooks + "pre-commit.keygate-chained") == "#!/bin/sh\necho mine\n");
  CHECK(install_hooks(repo.dir(), "/opt/kg", {"pre-commit"}).find("already installed") != std::string::npos);
  CHECK(uninstall_hooks(repo.dir(), {"pre-commit"}).find("previous hook is back") != std::string::npos);
  CHECK(read_file(hooks + "pre-commit") == "#!/bin/sh\necho mine\n");
  CHECK(uninstall_hooks(repo.dir(), {"pre-commit"}).find("not installed") != std::string::npos);
}

TEST_CASE("linked worktrees share the common directory's hooks") {
  git::init();
  TestRepo repo;
  repo.write("a", "a\n");
  repo.stage("a");
  repo.commit("one");
  TempDir other;
  REQUIRE(run_shell("git -C '" + repo.dir() + "' worktree add -q '" + other.path() + "/wt' 2>/dev/null") ==
          0);
  CHECK(hooks_directory(other.path() + "/wt") == repo.dir() + "/.git/hooks/");
}

TEST_CASE("not a repository is an error") {
  git::init();
  TempDir dir;
  CHECK_THROWS_AS(install_hooks(dir.path(), "/opt/kg"), Error);
}

TEST_CASE("hermetic: the tests see a private global config and git environment, never the user's") {
  const char* home = std::getenv("HOME");
  const char* global = std::getenv("GIT_CONFIG_GLOBAL");
  REQUIRE(home != nullptr);
  REQUIRE(global != nullptr);
  CHECK(std::string(global) == std::string(home) + "/.gitconfig");
  CHECK(std::getenv("GIT_CONFIG_COUNT") == nullptr);
  CHECK(std::getenv("GIT_CONFIG_PARAMETERS") == nullptr);
  CHECK(std::getenv("GIT_DIR") == nullptr);
  // libgit2 finds the same private file; git itself agrees on the default branch of a new repository.
  git_buf path = GIT_BUF_INIT;
  REQUIRE(git_config_find_global(&path) == 0);
  CHECK(std::string(path.ptr) == std::string(home) + "/.gitconfig");
  git_buf_dispose(&path);
  TestRepo repo;
  CHECK(git_repository_head_unborn(repo.get()) == 1);
  git_reference* head = nullptr;
  REQUIRE(git_reference_lookup(&head, repo.get(), "HEAD") == 0);
  CHECK(std::string(git_reference_symbolic_target(head)) == "refs/heads/main");
  git_reference_free(head);
}
