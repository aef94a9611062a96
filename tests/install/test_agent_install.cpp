// Tests for agent_install.hpp: keygate's hooks merged into each coding agent's settings file under a
// private HOME, keeping what is there; idempotent; uninstall takes out only keygate's (issue 29).
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "agent/json_tree.hpp"
#include "core/error.hpp"
#include "install/agent_install.hpp"
#include "support/repo.hpp"
#include "support/scoped_env.hpp"

using namespace keygate;
using keygate::test::read_file;
using keygate::test::ScopedEnv;
using keygate::test::TempDir;
using keygate::test::write_file;

namespace {

constexpr const char* kBinary = "/opt/key gate/keygate";

// A HOME of the test's own, and CODEX_HOME under it: never the user's settings, whatever the environment.
struct PrivateHome {
  TempDir dir;
  ScopedEnv home{"HOME", dir.path()};
  ScopedEnv codex{"CODEX_HOME", dir / ".codex"};
};

// Every command string in the file (Claude/Codex group hooks, Cursor's "command", Copilot's "bash").
void collect_commands(const JsonNode& node, std::vector<std::string>& out) {
  for (const auto& [key, value] : node.members()) {
    if ((key == "command" || key == "bash") && value.is_string()) out.push_back(value.text());
    collect_commands(value, out);
  }
}

std::vector<std::string> commands_in(const std::string& path) {
  std::vector<std::string> out;
  collect_commands(parse_json_tree(read_file(path), path), out);
  return out;
}

std::size_t count_containing(const std::vector<std::string>& commands, const std::string& what) {
  std::size_t n = 0;
  for (const std::string& c : commands) n += c.find(what) != std::string::npos ? 1 : 0;
  return n;
}

}  // namespace

TEST_CASE("issue 29: install --agent writes each agent's documented file and shape in the user's HOME") {
  TempDir home;
  const ScopedEnv env("HOME", home.path());
  const ScopedEnv codex("CODEX_HOME", home / "codex-home");
  struct Case {
    Agent agent;
    std::string file;
    std::vector<std::string> events;
  };
  for (const Case& c :
       {Case{Agent::ClaudeCode, home / ".claude/settings.json", {"UserPromptSubmit", "PreToolUse"}},
        Case{Agent::Codex, home / "codex-home/hooks.json", {"UserPromptSubmit", "PreToolUse"}},
        Case{Agent::Cursor,
             home / ".cursor/hooks.json",
             {"beforeSubmitPrompt", "beforeShellExecution", "beforeReadFile", "preToolUse"}},
        Case{Agent::Copilot, home / ".copilot/hooks/keygate.json", {"preToolUse", "userPromptSubmitted"}}}) {
    INFO(agent_name(c.agent));
    CHECK(agent_settings_path(c.agent, AgentScope::User, "") == c.file);
    const std::string said = install_agent_hooks(c.agent, AgentScope::User, "", kBinary);
    CHECK(said.find("installed in " + c.file) != std::string::npos);
    const JsonNode root = parse_json_tree(read_file(c.file), c.file);
    for (const std::string& event : c.events) CHECK(root.find("hooks")->find(event) != nullptr);
    const bool versioned = c.agent == Agent::Cursor || c.agent == Agent::Copilot;
    CHECK((root.find("version") != nullptr) == versioned);
    // The binary's path, quoted for the shell, then the hook's words.
    const std::vector<std::string> commands = commands_in(c.file);
    CHECK(count_containing(commands, "'/opt/key gate/keygate' agent-hook --agent " +
                                         std::string(agent_name(c.agent))) == commands.size());
  }
  // Copilot's input names no event: each entry says which one it is for.
  CHECK(count_containing(commands_in(home / ".copilot/hooks/keygate.json"), "--event preToolUse") == 1);
  // Claude Code's PreToolUse hook is for the tools that write or run something.
  const JsonNode claude = parse_json_tree(read_file(home / ".claude/settings.json"), "claude");
  CHECK(claude.find("hooks")->find("PreToolUse")->members()[0].second.find("matcher")->text() ==
        "Write|Edit|MultiEdit|NotebookEdit|Bash");
}

TEST_CASE("issue 29: install --agent keeps every other key and hook; a second install changes nothing") {
  const PrivateHome private_home;
  const TempDir& home = private_home.dir;
  const std::string file = home / ".claude/settings.json";
  const std::string before =
      R"({"model": "opus", "env": {"A": "1"}, "unknownFutureKey": [1, 2.50, {"deep": null}],)"
      R"( "hooks": {"PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "my-check", "timeout": 5}]}],)"
      R"( "Stop": [{"hooks": [{"type": "command", "command": "notify-send done"}]}]}})";
  write_file(file, before);
  install_agent_hooks(Agent::ClaudeCode, AgentScope::User, "", kBinary);
  const std::string after = read_file(file);
  CHECK(read_file(file + ".keygate-backup") == before);
  const JsonNode root = parse_json_tree(after, file);
  CHECK(root.find("model")->text() == "opus");
  CHECK(root.find("env")->find("A")->text() == "1");
  CHECK(root.find("unknownFutureKey")->members()[1].second.text() == "2.50");
  const std::vector<std::string> commands = commands_in(file);
  CHECK(count_containing(commands, "my-check") == 1);
  CHECK(count_containing(commands, "notify-send done") == 1);
  CHECK(count_containing(commands, "agent-hook --agent claude-code") == 2);
  CHECK(root.find("hooks")->find("PreToolUse")->members().size() == 2);  // the user's group, then keygate's
  // Idempotent: the same file, byte for byte.
  CHECK(install_agent_hooks(Agent::ClaudeCode, AgentScope::User, "", kBinary).find("already installed") !=
        std::string::npos);
  CHECK(read_file(file) == after);
  // The binary moved: the entries are updated in place, not added again.
  install_agent_hooks(Agent::ClaudeCode, AgentScope::User, "", "/usr/bin/keygate");
  CHECK(count_containing(commands_in(file), "agent-hook --agent claude-code") == 2);
  CHECK(count_containing(commands_in(file), "/usr/bin/keygate") == 2);
  // Uninstall takes out keygate's entries and the lists they leave empty, nothing else.
  CHECK(uninstall_agent_hooks(Agent::ClaudeCode, AgentScope::User, "").find("removed") != std::string::npos);
  CHECK(parse_json_tree(read_file(file), file) == parse_json_tree(before, "before"));
  CHECK(uninstall_agent_hooks(Agent::ClaudeCode, AgentScope::User, "").find("not installed") !=
        std::string::npos);
}

TEST_CASE("issue 29: uninstall --agent keeps a user's hook that shares a group with keygate's") {
  const PrivateHome private_home;
  const TempDir& home = private_home.dir;
  const std::string file = home / ".codex/hooks.json";
  write_file(file, R"({"hooks": {"PreToolUse": [{"matcher": "Bash", "hooks": [)"
                   R"({"type": "command", "command": "keygate agent-hook --agent codex"},)"
                   R"({"type": "command", "command": "audit-log"}]}]}})");
  uninstall_agent_hooks(Agent::Codex, AgentScope::User, "");
  const std::vector<std::string> commands = commands_in(file);
  CHECK(commands == std::vector<std::string>{"audit-log"});
  // Another agent's entries are not keygate's for this one.
  write_file(
      home / ".cursor/hooks.json",
      R"({"version": 1, "hooks": {"beforeShellExecution": [{"command": "keygate agent-hook --agent copilot"}]}})");
  CHECK(uninstall_agent_hooks(Agent::Cursor, AgentScope::User, "").find("not installed") !=
        std::string::npos);
}

TEST_CASE(
    "issue 29: install --agent refuses a settings file it cannot read as JSON, and leaves it as it was") {
  const PrivateHome private_home;
  const TempDir& home = private_home.dir;
  const std::string file = home / ".cursor/hooks.json";
  for (const std::string& bad : {std::string("{\"version\": 1, \"hooks\": {\n  // a comment\n}}"),
                                 std::string("[1, 2]"), std::string(R"({"hooks": []})"),
                                 std::string(R"({"hooks": {"beforeShellExecution": {"command": "x"}}})")}) {
    INFO(bad);
    write_file(file, bad);
    try {
      install_agent_hooks(Agent::Cursor, AgentScope::User, "", kBinary);
      FAIL("installed");
    } catch (const Error& e) {
      CHECK(std::string(e.what()).rfind(file, 0) == 0);  // it names the file (and place)
    }
    CHECK(read_file(file) == bad);
    CHECK(::access((file + ".keygate-backup").c_str(), F_OK) != 0);
  }
}

TEST_CASE("issue 29: --scope project writes at the top of the repository, running keygate from PATH") {
  test::TestRepo repo;
  repo.write("src/deep/x.txt", "x\n");
  const std::string file = repo.dir() + "/.claude/settings.json";
  CHECK(agent_settings_path(Agent::ClaudeCode, AgentScope::Project, repo.dir() + "/src/deep") == file);
  install_agent_hooks(Agent::ClaudeCode, AgentScope::Project, repo.dir() + "/src/deep", kBinary);
  const std::vector<std::string> commands = commands_in(file);
  CHECK(count_containing(commands, "keygate agent-hook --agent claude-code") == 2);
  CHECK(count_containing(commands, "/opt/") == 0);  // a shared file names no machine's path
  CHECK(agent_settings_path(Agent::Copilot, AgentScope::Project, repo.dir()) ==
        repo.dir() + "/.github/hooks/keygate.json");
  CHECK(agent_settings_path(Agent::Cursor, AgentScope::Project, repo.dir()) ==
        repo.dir() + "/.cursor/hooks.json");
  CHECK_THROWS_AS(parse_agent_scope("global"), Error);
}

TEST_CASE("issue 29: a settings file kept as a symbolic link stays one; its backup is as private as it was") {
  const PrivateHome private_home;
  const TempDir& home = private_home.dir;
  write_file(home / "dotfiles/claude.json", R"({"env": {"SOME_TOKEN": "x"}})");
  REQUIRE(::chmod((home / "dotfiles/claude.json").c_str(), 0600) == 0);
  std::filesystem::create_directories(home / ".claude");
  std::filesystem::create_symlink(home / "dotfiles/claude.json", home / ".claude/settings.json");
  install_agent_hooks(Agent::ClaudeCode, AgentScope::User, "", kBinary);
  CHECK(std::filesystem::is_symlink(home / ".claude/settings.json"));
  CHECK(count_containing(commands_in(home / "dotfiles/claude.json"), "agent-hook --agent claude-code") == 2);
  struct stat st {};
  REQUIRE(::stat((home / ".claude/settings.json.keygate-backup").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  REQUIRE(::stat((home / "dotfiles/claude.json").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
}

TEST_CASE("issue 29: uninstall --agent removes a settings file that held nothing but keygate's hooks") {
  const PrivateHome private_home;
  for (const Agent agent : {Agent::ClaudeCode, Agent::Cursor, Agent::Copilot, Agent::Codex}) {
    INFO(agent_name(agent));
    const std::string file = agent_settings_path(agent, AgentScope::User, "");
    install_agent_hooks(agent, AgentScope::User, "", kBinary);
    CHECK(uninstall_agent_hooks(agent, AgentScope::User, "").find("is removed") != std::string::npos);
    CHECK(::access(file.c_str(), F_OK) != 0);
  }
}
