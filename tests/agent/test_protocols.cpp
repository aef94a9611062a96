// Tests for agent.hpp and agent_hook.hpp: each agent's documented event shapes, written by hand with keys
// made at run time, answered in that agent's form; events keygate cannot read fail closed (issue 29).
#include <catch2/catch.hpp>

#include "agent/agent_hook.hpp"
#include "agent/json_tree.hpp"
#include "support/repo.hpp"

using namespace keygate;

namespace {

// `text` as a JSON string literal's content (the tests build events with keys in them).
std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

AgentAnswer answer(Agent agent, const std::string& json, const std::string& event = "") {
  AgentHookSettings settings;
  settings.agent = agent;
  settings.event = event;
  return answer_agent_event(json, settings);
}

JsonNode out_json(const AgentAnswer& a) {
  REQUIRE(!a.out.empty());
  return parse_json_tree(a.out, "answer");
}

std::string field(const JsonNode& node, std::string_view key) {
  const JsonNode* f = node.find(key);
  REQUIRE(f != nullptr);
  return f->text();
}

// The answer names the rule and the redacted key, never the whole key.
void check_names_redacted(const std::string& text, const std::string& key) {
  CHECK(text.find("together-api-key") != std::string::npos);
  CHECK(text.find(key.substr(0, 7)) != std::string::npos);
  CHECK(text.find(key.substr(key.size() - 4)) != std::string::npos);
  CHECK(text.find(key) == std::string::npos);
}

}  // namespace

TEST_CASE(
    "issue 29: Claude Code UserPromptSubmit with a key is blocked by decision block; a clean prompt passes") {
  test::TempDir dir;
  const std::string key = test::fake_together_key(2901);
  const std::string event = R"({"session_id": "s", "transcript_path": "/t", "cwd": ")" + dir.path() +
                            R"(", "hook_event_name": "UserPromptSubmit", "prompt": )" +
                            quoted("call the API with TOGETHER_API_KEY=" + key) + "}";
  const AgentAnswer blocked = answer(Agent::ClaudeCode, event);
  CHECK(blocked.exit_code == 0);
  const JsonNode json = out_json(blocked);
  CHECK(field(json, "decision") == "block");
  check_names_redacted(field(json, "reason"), key);
  check_names_redacted(blocked.out + blocked.err, key);
  const AgentAnswer clean =
      answer(Agent::ClaudeCode,
             R"({"cwd": ")" + dir.path() + R"(", "hook_event_name": "UserPromptSubmit", "prompt": "hi"})");
  CHECK(clean.exit_code == 0);
  CHECK(clean.out.empty());  // Claude Code adds a prompt hook's stdout to the context: nothing on allow
}

TEST_CASE(
    "issue 29: Claude Code PreToolUse Write, Edit (new_string), MultiEdit (each edit) and Bash are judged") {
  test::TempDir dir;
  const std::string key = test::fake_together_key(2902);
  const std::string head =
      R"({"cwd": ")" + dir.path() + R"(", "hook_event_name": "PreToolUse", "tool_name": )";
  const std::string file = quoted(dir / "app/.env");
  for (const std::string& event :
       {head + R"("Write", "tool_input": {"file_path": )" + file + R"(, "content": )" +
            quoted("A=1\nTOGETHER_API_KEY=" + key + "\n") + "}}",
        head + R"("Edit", "tool_input": {"file_path": )" + file + R"(, "old_string": "A=1", "new_string": )" +
            quoted("TOGETHER_API_KEY=" + key) + R"(, "replace_all": false}})",
        head + R"("MultiEdit", "tool_input": {"file_path": )" + file +
            R"(, "edits": [{"old_string": "a", "new_string": "b"}, {"old_string": "c", "new_string": )" +
            quoted("TOGETHER_API_KEY=" + key) + "}]}}",
        head + R"("Bash", "tool_input": {"command": )" +
            quoted("curl -H 'Authorization: Bearer " + key + "' https://api.together.xyz") +
            R"(, "description": "call"}})"}) {
    INFO(event.substr(0, 160));
    const AgentAnswer a = answer(Agent::ClaudeCode, event);
    CHECK(a.exit_code == 0);
    const JsonNode json = out_json(a);
    const JsonNode* specific = json.find("hookSpecificOutput");
    REQUIRE(specific != nullptr);
    CHECK(field(*specific, "hookEventName") == "PreToolUse");
    CHECK(field(*specific, "permissionDecision") == "deny");
    check_names_redacted(field(*specific, "permissionDecisionReason"), key);
  }
  // Removing a key is an edit like any other: the text it replaces is not judged.
  const AgentAnswer removal =
      answer(Agent::ClaudeCode, head + R"("Edit", "tool_input": {"file_path": )" + file +
                                    R"(, "old_string": )" + quoted("TOGETHER_API_KEY=" + key) +
                                    R"(, "new_string": "TOGETHER_API_KEY=${TOGETHER_API_KEY}"}})");
  CHECK(removal.exit_code == 0);
  CHECK(removal.out.empty());
}

TEST_CASE("issue 29: Codex speaks Claude Code's wire; apply_patch is judged by the lines it adds") {
  test::TempDir dir;
  const std::string key = test::fake_together_key(2903);
  const std::string head =
      R"({"session_id": "s", "turn_id": "t", "model": "m", "cwd": ")" + dir.path() + R"(", )";
  const AgentAnswer prompt =
      answer(Agent::Codex, head + R"("hook_event_name": "UserPromptSubmit", "prompt": )" + quoted(key) + "}");
  CHECK(field(out_json(prompt), "decision") == "block");
  const std::string add =
      "*** Begin Patch\n*** Add File: cfg.env\n+TOGETHER_API_KEY=" + key + "\n*** End Patch\n";
  const AgentAnswer added =
      answer(Agent::Codex, head + R"("hook_event_name": "PreToolUse", "tool_name": "apply_patch", )" +
                               R"("tool_use_id": "x", "tool_input": {"command": )" + quoted(add) + "}}");
  CHECK(added.exit_code == 0);
  CHECK(field(*out_json(added).find("hookSpecificOutput"), "permissionDecision") == "deny");
  const std::string remove = "*** Begin Patch\n*** Update File: cfg.env\n@@\n-TOGETHER_API_KEY=" + key +
                             "\n+TOGETHER_API_KEY=${TOGETHER_API_KEY}\n*** End Patch\n";
  const AgentAnswer removed =
      answer(Agent::Codex, head + R"("hook_event_name": "PreToolUse", "tool_name": "apply_patch", )" +
                               R"("tool_input": {"command": )" + quoted(remove) + "}}");
  CHECK(removed.exit_code == 0);
  CHECK(removed.out.empty());
  const AgentAnswer bash =
      answer(Agent::Codex, head + R"("hook_event_name": "PreToolUse", "tool_name": "Bash", )" +
                               R"("tool_input": {"command": )" + quoted("echo " + key + " > k") + "}}");
  CHECK(field(*out_json(bash).find("hookSpecificOutput"), "permissionDecision") == "deny");
}

TEST_CASE("issue 29: Cursor's events answer with continue or permission, and exit 2 when they block") {
  test::TempDir dir;
  const std::string key = test::fake_together_key(2904);
  const std::string head = R"({"conversation_id": "c", "generation_id": "g", "workspace_roots": [")" +
                           dir.path() + R"("], "cursor_version": "2.0", "hook_event_name": )";
  const AgentAnswer prompt = answer(
      Agent::Cursor, head + R"("beforeSubmitPrompt", "prompt": )" + quoted(key) + R"(, "attachments": []})");
  CHECK(prompt.exit_code == 2);
  CHECK(out_json(prompt).find("continue")->text() == "false");
  check_names_redacted(field(out_json(prompt), "user_message"), key);
  const AgentAnswer clean_prompt =
      answer(Agent::Cursor, head + R"("beforeSubmitPrompt", "prompt": "hello"})");
  CHECK(clean_prompt.exit_code == 0);
  CHECK(out_json(clean_prompt).find("continue")->text() == "true");
  for (const std::string& event :
       {head + R"("beforeShellExecution", "cwd": ")" + dir.path() + R"(", "command": )" +
            quoted("export K=" + key) + "}",
        head + R"("beforeReadFile", "file_path": )" + quoted(dir / ".env") + R"(, "content": )" +
            quoted("TOGETHER_API_KEY=" + key) + R"(, "attachments": []})",
        head + R"("beforeMCPExecution", "tool_name": "db", "tool_input": )" +
            quoted(R"({"query": "insert )" + key + R"("})") + "}",
        head + R"("preToolUse", "tool_name": "Write", "tool_input": {"file_path": "a.py", "content": )" +
            quoted("K = '" + key + "'") + "}}"}) {
    INFO(event.substr(0, 200));
    const AgentAnswer a = answer(Agent::Cursor, event);
    CHECK(a.exit_code == 2);
    CHECK(field(out_json(a), "permission") == "deny");
    check_names_redacted(field(out_json(a), "agent_message"), key);
  }
  const AgentAnswer shell = answer(Agent::Cursor, head + R"("beforeShellExecution", "command": "ls -la"})");
  CHECK(shell.exit_code == 0);
  CHECK(field(out_json(shell), "permission") == "allow");
  // After the edit, Cursor cannot be stopped: the finding is reported on stderr.
  const AgentAnswer after =
      answer(Agent::Cursor,
             head + R"("afterFileEdit", "file_path": "a.py", "edits": [{"old_string": "", "new_string": )" +
                 quoted("K = '" + key + "'") + "}]}");
  CHECK(after.exit_code == 0);
  CHECK(after.out == "{}\n");
  check_names_redacted(after.err, key);
}

TEST_CASE("issue 29: Copilot preToolUse (toolArgs as JSON text) is denied; its prompts are only reported") {
  test::TempDir dir;
  const std::string key = test::fake_together_key(2905);
  const std::string head = R"({"timestamp": 1704614600000, "cwd": ")" + dir.path() + R"(", )";
  const auto tool = [&](const std::string& name, const std::string& args) {
    return head + R"("toolName": ")" + name + R"(", "toolArgs": )" + quoted(args) + "}";
  };
  for (const std::string& event :
       {tool("create", R"({"path": "src/a.py", "file_text": "K = ')" + key + R"('"})"),
        tool("edit", R"({"path": "src/a.py", "old_str": "x", "new_str": "K = ')" + key + R"('"})"),
        tool("bash", R"({"command": "echo )" + key + R"(", "description": "d"})")}) {
    for (const std::string& installed : {std::string("preToolUse"), std::string()}) {
      INFO(event.substr(0, 160) << " --event " << installed);
      const AgentAnswer a = answer(Agent::Copilot, event, installed);
      CHECK(a.exit_code == 0);
      CHECK(field(out_json(a), "permissionDecision") == "deny");
      check_names_redacted(field(out_json(a), "permissionDecisionReason"), key);
    }
  }
  const AgentAnswer removal = answer(
      Agent::Copilot, tool("edit", R"({"path": "a", "old_str": ")" + key + R"(", "new_str": "K = getenv"})"),
      "preToolUse");
  CHECK(removal.exit_code == 0);
  CHECK(removal.out.empty());
  const AgentAnswer prompt =
      answer(Agent::Copilot, head + R"("prompt": )" + quoted("use " + key) + "}", "userPromptSubmitted");
  CHECK(prompt.exit_code == 0);
  CHECK(prompt.out.empty());
  check_names_redacted(prompt.err, key);
}

TEST_CASE(
    "issue 29: an event keygate cannot read fails closed, saying why and how to bypass, never crashing") {
  const std::vector<std::string> bad = {
      "",
      "not json",
      "[1, 2]",
      R"({"hook_event_name": "UserPromptSubmit"})",
      R"({"hook_event_name": "PreToolUse", "tool_name": "Write"})",
      R"({"hook_event_name": "SomethingNew", "prompt": "x"})",
      R"({"prompt": "x"})",
      R"({"hook_event_name": "UserPromptSubmit", "prompt": 42})",
      std::string(300, '['),
  };
  for (const std::string& input : bad) {
    INFO(input.substr(0, 60));
    const AgentAnswer claude = answer(Agent::ClaudeCode, input);
    CHECK(claude.exit_code == 2);
    CHECK(claude.err.find("keygate uninstall --agent claude-code") != std::string::npos);
    CHECK(claude.err.find('\n') == claude.err.size() - 1);
    const AgentAnswer cursor = answer(Agent::Cursor, input);
    CHECK(cursor.exit_code == 2);
    CHECK(field(out_json(cursor), "permission") == "deny");
    CHECK(out_json(cursor).find("continue")->text() == "false");
    const AgentAnswer copilot = answer(Agent::Copilot, input, "preToolUse");
    CHECK(field(out_json(copilot), "permissionDecision") == "deny");
    const AgentAnswer codex = answer(Agent::Codex, input);
    CHECK(codex.exit_code == 2);
  }
  // An event sent to the hook installed for another fails closed too.
  CHECK(answer(Agent::Copilot, R"({"hook_event_name": "userPromptSubmitted", "prompt": "x"})", "preToolUse")
            .out.find("deny") != std::string::npos);
}

TEST_CASE(
    "issue 29: the project's .keygateignore and config apply to the agent's writes, from any subdirectory") {
  test::TestRepo repo;
  repo.write("src/main.py", "print()\n");
  const std::string key = test::fake_together_key(2906);
  const std::string write = R"({"hook_event_name": "PreToolUse", "cwd": ")" + repo.dir() +
                            R"(/src", "tool_name": "Write",)" + R"( "tool_input": {"file_path": ")" +
                            repo.dir() + R"(/config/app.env", "content": )" +
                            quoted("TOGETHER_API_KEY=" + key) + "}}";
  const AgentAnswer first = answer(Agent::ClaudeCode, write);
  const std::string reason = field(*out_json(first).find("hookSpecificOutput"), "permissionDecisionReason");
  // The fingerprint names the file as the project does (config/app.env), so the hook's ignore file applies.
  const std::size_t at = reason.find("fingerprint ");
  REQUIRE(at != std::string::npos);
  const std::string fingerprint = reason.substr(at + 12, reason.find(')', at) - at - 12);
  CHECK(fingerprint.find("config/app.env") != std::string::npos);
  repo.write(".keygateignore", fingerprint + "\n");
  const AgentAnswer ignored = answer(Agent::ClaudeCode, write);
  CHECK(ignored.exit_code == 0);
  CHECK(ignored.out.empty());
  // A config the project cannot load fails closed rather than letting everything through.
  repo.write(".keygate.toml", "[[rules]\n");
  const AgentAnswer broken = answer(Agent::ClaudeCode, write);
  CHECK(broken.exit_code == 2);
  CHECK(broken.err.find(".keygate.toml") != std::string::npos);
}
