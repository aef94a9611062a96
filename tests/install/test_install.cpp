// Tests for install.cpp: where the hook goes, keeping an existing hook, idempotence, uninstall.
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>

#include "core/error.hpp"
#include "git/git.hpp"
#include "install/install.hpp"
#include "support/repo.hpp"
#include "support/scoped_env.hpp"

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

TEST_CASE("a hook an older keygate wrote is rewritten in place, not chained") {
  git::init();
  TestRepo repo;
  const std::string hooks = repo.dir() + "/.git/hooks/";
  const std::string old_hook =
      "#!/bin/sh\n# installed by keygate: an older template\nchained=\"$(dirname \"$0\")/x\"\n";
  write_file(hooks + "commit-msg", old_hook);
  CHECK(install_hooks(repo.dir(), "/opt/kg", {"commit-msg"}).find("updated") != std::string::npos);
  const std::string hook = read_file(hooks + "commit-msg");
  CHECK(hook == hook_script(hook_spec("commit-msg"), "/opt/kg"));
  CHECK(hook.find("dirname") == std::string::npos);
  CHECK(::access((hooks + "commit-msg.keygate-chained").c_str(), F_OK) != 0);
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

namespace {

using test::ScopedEnv;

bool installed_in(const std::string& hook) {
  return read_file(hook).find("installed by keygate") != std::string::npos &&
         ::access(hook.c_str(), X_OK) == 0;
}

}  // namespace

TEST_CASE(
    "B2 worktree config: core.hooksPath in .git/config.worktree (extensions.worktreeConfig) is honoured") {
  TestRepo repo;
  REQUIRE(run_shell("git -C '" + repo.dir() + "' config extensions.worktreeConfig true") == 0);
  REQUIRE(run_shell("git -C '" + repo.dir() + "' config --worktree core.hooksPath wt-hooks") == 0);
  CHECK(hooks_directory(repo.dir()) == repo.dir() + "/wt-hooks/");
  install_hooks(repo.dir(), "/opt/kg", {"pre-commit"});
  CHECK(installed_in(repo.dir() + "/wt-hooks/pre-commit"));
  CHECK(!std::filesystem::exists(repo.dir() + "/.git/hooks/pre-commit"));
}

TEST_CASE("B2 includeIf hasconfig:remote.*.url: an included core.hooksPath is honoured") {
  TestRepo repo;
  TempDir other;
  write_file(other / "included", "[core]\n\thooksPath = " + other.path() + "/included-hooks\n");
  REQUIRE(run_shell("git -C '" + repo.dir() +
                    "' remote add origin https://example.invalid/team/project.git") == 0);
  REQUIRE(run_shell("git -C '" + repo.dir() +
                    "' config 'includeIf.hasconfig:remote.*.url:https://example.invalid/**.path' '" +
                    other.path() + "/included'") == 0);
  CHECK(hooks_directory(repo.dir()) == other.path() + "/included-hooks/");
  install_hooks(repo.dir(), "/opt/kg", {"pre-commit"});
  CHECK(installed_in(other.path() + "/included-hooks/pre-commit"));
}

TEST_CASE("B2 GIT_CONFIG_GLOBAL: the exported global config's core.hooksPath is honoured") {
  TestRepo repo;
  TempDir other;
  write_file(other / "global", "[core]\n\thooksPath = " + other.path() + "/global-hooks\n");
  ScopedEnv global("GIT_CONFIG_GLOBAL", other / "global");
  CHECK(hooks_directory(repo.dir()) == other.path() + "/global-hooks/");
  install_hooks(repo.dir(), "/opt/kg", {"pre-commit"});
  CHECK(installed_in(other.path() + "/global-hooks/pre-commit"));
}

TEST_CASE("B2 GIT_CONFIG_COUNT/KEY/VALUE: core.hooksPath given in the environment is honoured") {
  TestRepo repo;
  TempDir other;
  ScopedEnv count("GIT_CONFIG_COUNT", "1");
  ScopedEnv key("GIT_CONFIG_KEY_0", "core.hooksPath");
  ScopedEnv value("GIT_CONFIG_VALUE_0", other / "env-hooks");
  CHECK(hooks_directory(repo.dir()) == other.path() + "/env-hooks/");
  install_hooks(repo.dir(), "/opt/kg", {"pre-commit"});
  CHECK(installed_in(other.path() + "/env-hooks/pre-commit"));
}

TEST_CASE("B5 pre-merge-commit is installed with pre-commit by default, and --hook picks one") {
  TestRepo repo;
  const std::string hooks = repo.dir() + "/.git/hooks/";
  const std::string report = install_hooks(repo.dir(), "/opt/kg");
  CHECK(report.find("pre-commit hook installed") != std::string::npos);
  CHECK(report.find("pre-merge-commit hook installed") != std::string::npos);
  CHECK(installed_in(hooks + "pre-merge-commit"));
  CHECK(read_file(hooks + "pre-merge-commit").find("\"$KEYGATE\" staged") != std::string::npos);
  CHECK(read_file(hooks + "pre-merge-commit").find("pre-merge-commit.keygate-chained") != std::string::npos);
  CHECK(uninstall_hooks(repo.dir(), {"pre-merge-commit"}).find("removed") != std::string::npos);
  CHECK(!std::filesystem::exists(hooks + "pre-merge-commit"));
  CHECK(installed_in(hooks + "pre-commit"));
  CHECK_THROWS_WITH(install_hooks(repo.dir(), "/opt/kg", {"no-such-hook"}),
                    Catch::Contains("pre-commit, pre-merge-commit"));
}

TEST_CASE("every hook in the table comes from the one template, with its name, command and bypass") {
  for (const HookSpec& spec : known_hooks()) {
    const std::string script = hook_script(spec, "/opt/kg");
    for (const char* placeholder : {"@HOOK@", "@COMMAND@", "@BYPASS@", "@INPUT@", "@KEYGATE_QUOTED@"}) {
      CHECK(script.find(placeholder) == std::string::npos);
    }
    CHECK(script.find(std::string(spec.name) + ".keygate-chained") != std::string::npos);
    CHECK(script.find("\"$KEYGATE\" " + std::string(spec.command)) != std::string::npos);
    CHECK(script.find(spec.bypass) != std::string::npos);
  }
}

TEST_CASE("D13 a binary path with ' \" $ \\ spaces and @KEYGATE_QUOTED@ is quoted for the shell") {
  const std::string path = "/opt/it's a \"dir\" $HOME \\n @HOOK@/keygate";
  CHECK(shell_quote(path) == "'/opt/it'\\''s a \"dir\" $HOME \\n @HOOK@/keygate'");
  TempDir dir;
  const std::string script = hook_script(hook_spec("pre-commit"), path);
  CHECK(script.find(shell_quote(path)) != std::string::npos);
  // The shell reads the assignment back as the very same path.
  write_file(dir / "probe.sh", script.substr(0, script.find("KEYGATE=$KEYGATE_PATH")) +
                                   "printf '%s' \"$KEYGATE_PATH\" > '" + dir.path() + "/out'\n");
  REQUIRE(run_shell("sh '" + dir.path() + "/probe.sh'") == 0);
  CHECK(read_file(dir / "out") == path);
}

TEST_CASE(
    "D11 a stale install lock (its process is gone) is taken over; the lock is released after install") {
  TestRepo repo;
  const std::string lock = repo.dir() + "/.git/hooks/keygate-install.lock";
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  REQUIRE(child > 0);
  REQUIRE(::waitpid(child, nullptr, 0) == child);  // reaped: its pid names no process now
  write_file(lock, std::to_string(child) + "\n");
  CHECK(install_hooks(repo.dir(), "/opt/kg", {"pre-commit"}).find("installed") != std::string::npos);
  CHECK(!std::filesystem::exists(lock));
}

TEST_CASE("commit-msg is a default hook; pre-push and pre-receive are installed only when named") {
  TestRepo repo;
  const std::string hooks = repo.dir() + "/.git/hooks/";
  const std::string report = install_hooks(repo.dir(), "/opt/kg");
  CHECK(report.find("commit-msg hook installed") != std::string::npos);
  CHECK(installed_in(hooks + "commit-msg"));
  CHECK(read_file(hooks + "commit-msg").find("\"$KEYGATE\" commit-msg -- \"$@\"") != std::string::npos);
  CHECK(!std::filesystem::exists(hooks + "pre-push"));
  CHECK(!std::filesystem::exists(hooks + "pre-receive"));
  install_hooks(repo.dir(), "/opt/kg", {"pre-push"});
  CHECK(installed_in(hooks + "pre-push"));
  // stdin hooks keep git's input for keygate and the chained hook; the others leave stdin alone.
  CHECK(read_file(hooks + "pre-push").find("[ \"stdin\" = stdin ]") != std::string::npos);
  CHECK(read_file(hooks + "commit-msg").find("[ \"arguments\" = stdin ]") != std::string::npos);
  const std::string removed = uninstall_hooks(repo.dir());
  CHECK(removed.find("pre-push hook removed") != std::string::npos);
  CHECK(removed.find("commit-msg hook removed") != std::string::npos);
  CHECK(!std::filesystem::exists(hooks + "commit-msg"));
}

TEST_CASE(
    "pre-receive goes into pre-receive.d/keygate when that folder exists, and leaves pre-receive alone") {
  TestRepo repo;
  const std::string hooks = repo.dir() + "/.git/hooks/";
  std::filesystem::create_directories(hooks + "pre-receive.d");
  write_file(hooks + "pre-receive", "#!/bin/sh\nrun-the-folder\n");
  CHECK(install_hooks(repo.dir(), "/opt/kg", {"pre-receive"}).find("pre-receive.d/keygate") !=
        std::string::npos);
  CHECK(installed_in(hooks + "pre-receive.d/keygate"));
  CHECK(read_file(hooks + "pre-receive") == "#!/bin/sh\nrun-the-folder\n");
  CHECK(!std::filesystem::exists(hooks + "pre-receive.keygate-chained"));
  CHECK(uninstall_hooks(repo.dir(), {"pre-receive"}).find("removed") != std::string::npos);
  CHECK(!std::filesystem::exists(hooks + "pre-receive.d/keygate"));
  CHECK(read_file(hooks + "pre-receive") == "#!/bin/sh\nrun-the-folder\n");
  write_file(hooks + "pre-receive.d/keygate", "#!/bin/sh\nexit 0\n");
  CHECK_THROWS_WITH(install_hooks(repo.dir(), "/opt/kg", {"pre-receive"}), Catch::Contains("not keygate's"));
}

TEST_CASE("keygate's own hook advice is word for word the script's") {
  for (const HookSpec& spec : known_hooks()) {
    const std::string script = hook_script(spec, "/opt/kg");
    const std::string advice = hook_failure_advice(spec, "exit $status");
    for (std::size_t at = 0; at < advice.size();) {
      const std::size_t end = advice.find('\n', at);
      CHECK(script.find("echo \"" + advice.substr(at, end - at) + "\" >&2") != std::string::npos);
      at = end + 1;
    }
    CHECK(script.find("KEYGATE_HOOK=" + std::string(spec.name) + "\n") != std::string::npos);
  }
}
