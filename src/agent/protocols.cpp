// This file implements the coding-agent hook protocols (see agent.hpp). Each agent runs the hook command
// with one JSON event on standard input and reads its answer from the exit code and standard output:
//  - Claude Code and Codex (the same wire): {"hook_event_name": "UserPromptSubmit", "prompt": ...} and
//    {"hook_event_name": "PreToolUse", "tool_name": "Write", "tool_input": {...}}. A prompt is blocked by
//    {"decision": "block", "reason": ...}, a tool call by {"hookSpecificOutput": {"hookEventName":
//    "PreToolUse", "permissionDecision": "deny", "permissionDecisionReason": ...}}, both with exit 0 (Claude
//    Code has applied a bare exit 2 to Bash calls but not always to Write and Edit). Exit 2 with stderr
//    blocks any event whose output keygate cannot shape: the way it fails closed.
//  - Cursor: {"hook_event_name": "beforeSubmitPrompt", "prompt": ...} answered {"continue": false,
//    "user_message": ...}; beforeShellExecution (command), beforeMCPExecution (tool_input), beforeReadFile
//    (content, the file about to be sent to the model) and preToolUse (tool_name, tool_input) answered
//    {"permission": "deny", "user_message": ..., "agent_message": ...}. Exit 2 means deny too, so a block
//    says both. afterFileEdit (edits[].new_string) comes after the write: it can only be reported.
//  - GitHub Copilot (coding agent and CLI, .github/hooks/*.json): no event name in the input, so the hook is
//    installed with --event. preToolUse: {"toolName": "create", "toolArgs": "<JSON text>"} answered
//    {"permissionDecision": "deny", "permissionDecisionReason": ...} (only deny is processed);
//    userPromptSubmitted: {"prompt": ...}, whose output Copilot ignores: findings are reported on stderr.
// A tool call's input is judged whole, every string in it, except the text an edit replaces (old_string,
// old_str, old_source): removing a key must stay possible. A Codex patch (apply_patch) is judged by the
// lines it adds.
#include <algorithm>
#include <array>
#include <set>

#include "agent/agent.hpp"
#include "agent/json_tree.hpp"
#include "core/error.hpp"
#include "report/report.hpp"

namespace keygate {
namespace {

constexpr std::array<std::string_view, 4> kAgentNames = {"claude-code", "cursor", "copilot", "codex"};

// The fields of a tool's input that hold what an edit replaces: never judged.
const std::set<std::string_view> kReplacedText = {"old_string", "old_str", "old_source"};
// The fields that name the file a tool writes.
constexpr std::array<std::string_view, 4> kPathFields = {"file_path", "path", "notebook_path", "filePath"};

std::string string_field(const JsonNode& node, std::string_view key) {
  const JsonNode* field = node.is_object() ? node.find(key) : nullptr;
  return field != nullptr && field->is_string() ? field->text() : std::string();
}

// The string `key` of an event, which it must carry. Throws Error naming the event and the field.
std::string required_string(const JsonNode& event, std::string_view key, const std::string& name) {
  const JsonNode* field = event.find(key);
  if (field == nullptr || !field->is_string())
    throw Error(name + " event without a string \"" + std::string(key) + "\" field");
  return field->text();
}

// The lines a Codex patch adds ("+..." in its hunks and added files), without their "+".
std::string added_lines(std::string_view patch) {
  std::string out;
  std::size_t start = 0;
  while (start < patch.size()) {
    std::size_t end = patch.find('\n', start);
    if (end == std::string_view::npos) end = patch.size();
    if (patch[start] == '+') {
      out.append(patch.substr(start + 1, end - start - 1));
      out += '\n';
    }
    start = end + 1;
  }
  return out;
}

// Every string of a tool call's `input` (depth first), named after its field, except replaced text.
void add_tool_strings(const std::string& tool, const JsonNode& input, const std::string& key,
                      const std::string& path, std::vector<AgentText>& out) {
  if (kReplacedText.contains(key)) return;
  if (input.is_object() || input.is_array()) {
    for (const auto& [name, value] : input.members())
      add_tool_strings(tool, value, input.is_object() ? name : key, path, out);
    return;
  }
  if (!input.is_string() || input.text().empty()) return;
  if (tool == "apply_patch" && key == "command") {
    out.push_back({added_lines(input.text()), "the lines the patch adds", ""});
  } else if (key == "command") {
    out.push_back({input.text(), "the command", ""});
  } else if (!path.empty() && key != "description" &&
             std::find(kPathFields.begin(), kPathFields.end(), key) == kPathFields.end()) {
    out.push_back({input.text(), "the content for " + path, path});
  } else {
    out.push_back({input.text(), "the " + tool + " tool's " + (key.empty() ? "input" : key), ""});
  }
}

// The texts of a call of `tool` with `input` (an object, or JSON text as Copilot and Cursor's MCP events
// send it; text that is not JSON is judged as it is).
void add_tool_call(const std::string& tool, const JsonNode& input, std::vector<AgentText>& out) {
  if (input.is_string()) {
    JsonNode parsed;
    try {
      parsed = parse_json_tree(input.text(), "tool input");
    } catch (const Error&) {
      out.push_back({input.text(), "the " + tool + " tool's input", ""});
      return;
    }
    add_tool_call(tool, parsed, out);
    return;
  }
  std::string path;
  for (std::string_view field : kPathFields) {
    if (path.empty()) path = string_field(input, field);
  }
  add_tool_strings(tool, input, "", path, out);
}

// The event's name: the input's hook_event_name, or the installed one; they must agree when both are there.
std::string event_name(const JsonNode& event, const std::string& installed) {
  const std::string named = string_field(event, "hook_event_name");
  if (!named.empty() && !installed.empty() && named != installed)
    throw Error("the agent sent a " + named + " event to the hook installed for " + installed);
  return named.empty() ? installed : named;
}

void read_claude_or_codex(const JsonNode& json, AgentEvent& event) {
  if (event.name == "UserPromptSubmit") {
    event.texts.push_back({required_string(json, "prompt", event.name), "the prompt", ""});
  } else if (event.name == "PreToolUse") {
    event.tool = required_string(json, "tool_name", event.name);
    const JsonNode* input = json.find("tool_input");
    if (input == nullptr) throw Error("PreToolUse event without a \"tool_input\" field");
    add_tool_call(event.tool, *input, event.texts);
  } else {
    throw Error(event.name.empty() ? "an event without \"hook_event_name\""
                                   : "an event keygate does not handle: \"" + event.name + "\"");
  }
  event.cwd = string_field(json, "cwd");
}

void read_cursor(const JsonNode& json, AgentEvent& event) {
  const std::string& name = event.name;
  if (name == "beforeSubmitPrompt") {
    event.texts.push_back({required_string(json, "prompt", name), "the prompt", ""});
  } else if (name == "beforeShellExecution") {
    event.texts.push_back({required_string(json, "command", name), "the command", ""});
  } else if (name == "beforeReadFile") {
    const std::string path = string_field(json, "file_path");
    event.texts.push_back({required_string(json, "content", name), "the content of " + path, path});
  } else if (name == "beforeMCPExecution" || name == "preToolUse") {
    event.tool = required_string(json, "tool_name", name);
    const JsonNode* input = json.find("tool_input");
    if (input == nullptr) throw Error(name + " event without a \"tool_input\" field");
    add_tool_call(event.tool, *input, event.texts);
  } else if (name == "afterFileEdit") {
    const std::string path = string_field(json, "file_path");
    const JsonNode* edits = json.find("edits");
    if (edits == nullptr || !edits->is_array()) throw Error("afterFileEdit event without an \"edits\" list");
    for (const auto& [unused, edit] : edits->members()) {
      const std::string text = string_field(edit, "new_string");
      if (!text.empty()) event.texts.push_back({text, "the edit of " + path, path});
    }
    event.blocking = Blocking::No;
  } else {
    throw Error(name.empty() ? "an event without \"hook_event_name\""
                             : "an event keygate does not handle: \"" + name + "\"");
  }
  event.cwd = string_field(json, "cwd");
  const JsonNode* roots = json.find("workspace_roots");
  if (event.cwd.empty() && roots != nullptr && roots->is_array() && !roots->members().empty() &&
      roots->members().front().second.is_string()) {
    event.cwd = roots->members().front().second.text();
  }
}

void read_copilot(const JsonNode& json, AgentEvent& event) {
  if (event.name.empty()) {  // Copilot names no event: what it carries says which one it is
    event.name = json.find("toolName") != nullptr ? "preToolUse"
                 : json.find("prompt") != nullptr ? "userPromptSubmitted"
                                                  : "";
  }
  if (event.name == "preToolUse") {
    event.tool = required_string(json, "toolName", event.name);
    const JsonNode* args = json.find("toolArgs");
    if (args == nullptr) throw Error("preToolUse event without a \"toolArgs\" field");
    add_tool_call(event.tool, *args, event.texts);
  } else if (event.name == "userPromptSubmitted") {
    event.texts.push_back({required_string(json, "prompt", event.name), "the prompt", ""});
    event.blocking = Blocking::No;
  } else {
    throw Error(event.name.empty() ? "an event that is neither preToolUse nor userPromptSubmitted"
                                   : "an event keygate does not handle: \"" + event.name + "\"");
  }
  event.cwd = string_field(json, "cwd");
}

// A one-line JSON object; each value is JSON text already.
std::string json_object(std::initializer_list<std::pair<std::string_view, std::string>> members) {
  std::string out = "{";
  for (const auto& [key, value] : members) {
    if (out.size() > 1) out += ", ";
    out += json_string(key) + ": " + value;
  }
  return out + "}";
}

// An answer on standard output: one JSON line.
AgentAnswer json_answer(const std::string& json, std::string err = {}, int exit_code = 0) {
  return {json + "\n", std::move(err), exit_code};
}

bool cursor_permission_event(const std::string& name) { return name != "beforeSubmitPrompt"; }

}  // namespace

const std::vector<std::string_view>& agent_names() {
  static const std::vector<std::string_view> names(kAgentNames.begin(), kAgentNames.end());
  return names;
}

std::string_view agent_name(Agent agent) { return kAgentNames[static_cast<std::size_t>(agent)]; }

std::optional<Agent> find_agent(std::string_view name) {
  for (std::size_t i = 0; i < kAgentNames.size(); ++i) {
    if (kAgentNames[i] == name) return static_cast<Agent>(i);
  }
  return std::nullopt;
}

AgentEvent read_agent_event(Agent agent, std::string_view json, const std::string& event_option) {
  const JsonNode root = parse_json_tree(json, "the event on standard input");
  if (!root.is_object()) throw Error("the event on standard input is not a JSON object");
  AgentEvent event;
  event.agent = agent;
  event.name = event_name(root, event_option);
  switch (agent) {
    case Agent::ClaudeCode:
    case Agent::Codex:
      read_claude_or_codex(root, event);
      break;
    case Agent::Cursor:
      read_cursor(root, event);
      break;
    case Agent::Copilot:
      read_copilot(root, event);
      break;
  }
  return event;
}

AgentAnswer allow_answer(const AgentEvent& event) {
  if (event.agent != Agent::Cursor) return {};  // no output: go ahead
  if (event.name == "afterFileEdit") return json_answer("{}");
  if (!cursor_permission_event(event.name)) return json_answer(json_object({{"continue", "true"}}));
  return json_answer(json_object({{"permission", json_string("allow")}}));
}

AgentAnswer block_answer(const AgentEvent& event, const std::string& reason) {
  if (event.blocking == Blocking::No) {
    AgentAnswer answer = allow_answer(event);
    answer.err = "keygate: warning (" + std::string(agent_name(event.agent)) + " " + event.name +
                 " cannot be stopped): " + reason + "\n";
    return answer;
  }
  const std::string quoted = json_string(reason);
  switch (event.agent) {
    case Agent::ClaudeCode:
    case Agent::Codex:
      if (event.name == "UserPromptSubmit")
        return json_answer(json_object({{"decision", json_string("block")}, {"reason", quoted}}));
      return json_answer(
          json_object({{"hookSpecificOutput", json_object({{"hookEventName", json_string(event.name)},
                                                           {"permissionDecision", json_string("deny")},
                                                           {"permissionDecisionReason", quoted}})}}));
    case Agent::Cursor:
      if (!cursor_permission_event(event.name))
        return json_answer(json_object({{"continue", "false"}, {"user_message", quoted}}), reason + "\n", 2);
      return json_answer(
          json_object(
              {{"permission", json_string("deny")}, {"user_message", quoted}, {"agent_message", quoted}}),
          reason + "\n", 2);
    case Agent::Copilot:
      return json_answer(
          json_object({{"permissionDecision", json_string("deny")}, {"permissionDecisionReason", quoted}}));
  }
  return {};
}

AgentAnswer refuse_answer(Agent agent, const std::string& event, const std::string& why) {
  const std::string reason = "keygate could not check this " +
                             (event.empty() ? std::string("event") : event) + " (" + why +
                             "), so it is stopped; to go on without keygate, remove its hook: keygate "
                             "uninstall --agent " +
                             std::string(agent_name(agent));
  const std::string quoted = json_string(reason);
  switch (agent) {
    case Agent::ClaudeCode:
    case Agent::Codex:
      return {"", reason + "\n", 2};
    case Agent::Cursor:
      return json_answer(json_object({{"continue", "false"},
                                      {"permission", json_string("deny")},
                                      {"user_message", quoted},
                                      {"agent_message", quoted}}),
                         reason + "\n", 2);
    case Agent::Copilot:
      return json_answer(
          json_object({{"permissionDecision", json_string("deny")}, {"permissionDecisionReason", quoted}}),
          reason + "\n");
  }
  return {};
}

}  // namespace keygate
