// This file implements the coding-agent hook installation (see agent_install.hpp): the settings file as a
// JSON tree (agent/json_tree.hpp), keygate's entries found by their command ("agent-hook --agent NAME"),
// added or updated in place, written back atomically.
#include "install/agent_install.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <system_error>
#include <vector>

#include "agent/json_tree.hpp"
#include "core/error.hpp"
#include "git/git.hpp"
#include "install/install.hpp"
#include "util/file_io.hpp"

namespace keygate {
namespace {

// How an agent's settings file lists hooks.
enum class Shape {
  Grouped,  // hooks.EVENT = [{"matcher": ..., "hooks": [{"type": "command", "command": CMD}]}] (Claude,
            // Codex)
  Flat,  // hooks.EVENT = [{"command": CMD, ...}] (Cursor), [{"type": "command", "bash": CMD, ...}] (Copilot)
};

struct HookEntry {
  std::string_view event;
  std::string_view matcher;  // Grouped only; empty: no matcher (every call of the event)
};

struct AgentFiles {
  Shape shape;
  std::string_view command_key;  // the field holding the command line
  bool versioned;                // the file has "version": 1 at its top
  std::vector<HookEntry> entries;
};

const AgentFiles& agent_files(Agent agent) {
  static const AgentFiles claude{
      Shape::Grouped,
      "command",
      false,
      {{"UserPromptSubmit", ""}, {"PreToolUse", "Write|Edit|MultiEdit|NotebookEdit|Bash"}}};
  static const AgentFiles codex{
      Shape::Grouped, "command", false, {{"UserPromptSubmit", ""}, {"PreToolUse", "Bash|apply_patch"}}};
  static const AgentFiles cursor{Shape::Flat,
                                 "command",
                                 true,
                                 {{"beforeSubmitPrompt", ""},
                                  {"beforeShellExecution", ""},
                                  {"beforeMCPExecution", ""},
                                  {"beforeReadFile", ""},
                                  {"preToolUse", ""},
                                  {"afterFileEdit", ""}}};
  static const AgentFiles copilot{
      Shape::Flat, "bash", true, {{"preToolUse", ""}, {"userPromptSubmitted", ""}}};
  switch (agent) {
    case Agent::ClaudeCode:
      return claude;
    case Agent::Codex:
      return codex;
    case Agent::Cursor:
      return cursor;
    case Agent::Copilot:
      return copilot;
  }
  return claude;
}

// The words that make a command keygate's hook for `agent`.
std::string marker(Agent agent) { return "agent-hook --agent " + std::string(agent_name(agent)); }

std::string home_directory() {
  const char* home = std::getenv("HOME");
  if (home == nullptr || *home == '\0') throw Error("HOME is not set: cannot find the user's agent settings");
  return home;
}

std::string project_root(const std::string& dir) {
  std::string start = dir;
  if (start.empty()) {
    char buffer[4096];
    start = ::getcwd(buffer, sizeof buffer) != nullptr ? buffer : ".";
  }
  try {
    const git::Repository repo = git::open(start);
    if (const char* workdir = git_repository_workdir(repo.get())) {
      std::string root = workdir;
      if (root.size() > 1 && root.back() == '/') root.pop_back();
      return root;
    }
  } catch (const Error&) {
    // Not in a repository: the directory itself is the project.
  }
  return start;
}

// The entry's command field, when it is keygate's hook for `agent`, or nullptr.
JsonNode* keygate_command(JsonNode& hook, std::string_view key, const std::string& mark) {
  JsonNode* command = hook.is_object() ? hook.find(key) : nullptr;
  if (command == nullptr || !command->is_string() || command->text().find(mark) == std::string::npos)
    return nullptr;
  return command;
}

// The list of `event` in `hooks`, created empty when missing. Throws Error naming the file when it is
// not a list.
JsonNode& event_list(JsonNode& hooks, std::string_view event, const std::string& path) {
  JsonNode& list = hooks.member(event, JsonNode::array());
  if (!list.is_array())
    throw Error(path + ": \"hooks\"." + std::string(event) + " is not a list; keygate leaves it alone");
  return list;
}

// A new entry of `files`' shape running `command` for `entry`.
JsonNode new_entry(const AgentFiles& files, const HookEntry& entry, const std::string& command) {
  JsonNode hook = JsonNode::object();
  if (files.shape == Shape::Grouped || files.command_key == "bash")
    hook.member("type", JsonNode::string("command"));
  hook.member(files.command_key, JsonNode::string(command));
  if (files.command_key == "bash") hook.member("timeoutSec", JsonNode::number(30));
  // Cursor lets a hook that fails (a crash, a timeout) go ahead unless it says otherwise.
  if (files.shape == Shape::Flat && files.command_key == "command")
    hook.member("failClosed", JsonNode::boolean(true));
  if (files.shape == Shape::Flat) return hook;
  JsonNode group = JsonNode::object();
  if (!entry.matcher.empty()) group.member("matcher", JsonNode::string(std::string(entry.matcher)));
  JsonNode list = JsonNode::array();
  list.push_back(std::move(hook));
  group.member("hooks", std::move(list));
  return group;
}

// Every keygate command field in `list` (an event's list of `files`' shape).
std::vector<JsonNode*> keygate_commands(JsonNode& list, const AgentFiles& files, const std::string& mark) {
  std::vector<JsonNode*> found;
  for (auto& [unused, item] : list.members()) {
    if (files.shape == Shape::Flat) {
      if (JsonNode* c = keygate_command(item, files.command_key, mark)) found.push_back(c);
      continue;
    }
    JsonNode* inner = item.is_object() ? item.find("hooks") : nullptr;
    if (inner == nullptr || !inner->is_array()) continue;
    for (auto& [unused2, hook] : inner->members()) {
      if (JsonNode* c = keygate_command(hook, files.command_key, mark)) found.push_back(c);
    }
  }
  return found;
}

// The settings file's tree: its content, or an empty object when there is none. Throws Error for a file
// that is not a JSON object.
JsonNode read_settings(const std::string& path, const std::optional<std::string>& text) {
  if (!text || text->find_first_not_of(" \t\r\n") == std::string::npos) return JsonNode::object();
  JsonNode root = parse_json_tree(*text, path);
  if (!root.is_object()) throw Error(path + ": not a JSON object; keygate leaves it alone");
  return root;
}

JsonNode& hooks_of(JsonNode& root, const std::string& path) {
  JsonNode& hooks = root.member("hooks", JsonNode::object());
  if (!hooks.is_object()) throw Error(path + ": \"hooks\" is not an object; keygate leaves it alone");
  return hooks;
}

// Writes `root` to the settings file at `path`, keeping the previous content (when there was a file) as
// PATH.keygate-backup, readable by no more people than the file was (settings may hold API keys in "env").
// A symbolic link (settings kept in a dotfiles repository) stays one: its target is replaced.
void write_settings(const std::string& path, const std::optional<std::string>& before, const JsonNode& root) {
  std::error_code error;
  const bool link = std::filesystem::is_symlink(path, error);  // false, with an error, when there is no file
  error.clear();
  const std::filesystem::path target =
      link ? std::filesystem::canonical(path, error) : std::filesystem::path(path);
  if (error) throw Error(path + ": cannot follow the symbolic link: " + error.message());
  std::filesystem::create_directories(target.parent_path(), error);
  if (error) throw Error(target.parent_path().string() + ": cannot create: " + error.message());
  if (before) {
    const std::string backup = path + ".keygate-backup";
    struct stat st {};
    const mode_t mode = ::stat(target.c_str(), &st) == 0 ? st.st_mode & 0777 : 0600;
    write_file_atomic(backup, *before);
    if (::chmod(backup.c_str(), mode) != 0)
      throw Error(backup + ": cannot set its mode: " + std::strerror(errno));
  }
  write_file_atomic(target.string(), write_json_tree(root));
}

}  // namespace

AgentScope parse_agent_scope(const std::string& word) {
  if (word == "user") return AgentScope::User;
  if (word == "project") return AgentScope::Project;
  throw Error("--scope: \"" + word + "\" (user or project)");
}

std::string agent_settings_path(Agent agent, AgentScope scope, const std::string& dir) {
  if (scope == AgentScope::Project) {
    const std::string root = project_root(dir);
    switch (agent) {
      case Agent::ClaudeCode:
        return root + "/.claude/settings.json";
      case Agent::Codex:
        return root + "/.codex/hooks.json";
      case Agent::Cursor:
        return root + "/.cursor/hooks.json";
      case Agent::Copilot:
        return root + "/.github/hooks/keygate.json";
    }
  }
  switch (agent) {
    case Agent::ClaudeCode:
      return home_directory() + "/.claude/settings.json";
    case Agent::Codex: {
      const char* codex_home = std::getenv("CODEX_HOME");
      return (codex_home != nullptr && *codex_home != '\0' ? std::string(codex_home)
                                                           : home_directory() + "/.codex") +
             "/hooks.json";
    }
    case Agent::Cursor:
      return home_directory() + "/.cursor/hooks.json";
    case Agent::Copilot:
      return home_directory() + "/.copilot/hooks/keygate.json";
  }
  return {};
}

std::string agent_hook_command(Agent agent, AgentScope scope, const std::string& keygate_path) {
  const std::string program = scope == AgentScope::User ? shell_quote(keygate_path) : "keygate";
  return program + " " + marker(agent);
}

std::string install_agent_hooks(Agent agent, AgentScope scope, const std::string& dir,
                                const std::string& keygate_path) {
  const std::string path = agent_settings_path(agent, scope, dir);
  const std::optional<std::string> before = load_file_if_exists(path);
  JsonNode root = read_settings(path, before);
  const JsonNode original = root;
  const AgentFiles& files = agent_files(agent);
  if (files.versioned) root.member("version", JsonNode::number(1));
  JsonNode& hooks = hooks_of(root, path);
  const std::string mark = marker(agent);
  const std::string base = agent_hook_command(agent, scope, keygate_path);
  for (const HookEntry& entry : files.entries) {
    // Copilot's input names no event: each entry says which one it runs for.
    const std::string command =
        agent == Agent::Copilot ? base + " --event " + std::string(entry.event) : base;
    JsonNode& list = event_list(hooks, entry.event, path);
    const std::vector<JsonNode*> ours = keygate_commands(list, files, mark);
    if (ours.empty()) {
      list.push_back(new_entry(files, entry, command));
    } else {
      for (JsonNode* c : ours) *c = JsonNode::string(command);  // the binary may have moved
    }
  }
  const std::string name(agent_name(agent));
  if (root == original) return "keygate " + name + " hooks already installed in " + path;
  write_settings(path, before, root);
  return "keygate " + name + " hooks installed in " + path +
         (before ? " (the previous file is kept as " + path + ".keygate-backup)" : "");
}

std::string uninstall_agent_hooks(Agent agent, AgentScope scope, const std::string& dir) {
  const std::string path = agent_settings_path(agent, scope, dir);
  const std::string name(agent_name(agent));
  const std::optional<std::string> before = load_file_if_exists(path);
  if (!before) return "keygate " + name + " hooks are not installed in " + path;
  JsonNode root = read_settings(path, before);
  JsonNode* hooks = root.find("hooks");
  if (hooks == nullptr || !hooks->is_object())
    return "keygate " + name + " hooks are not installed in " + path;
  const AgentFiles& files = agent_files(agent);
  const std::string mark = marker(agent);
  const auto is_ours = [&](JsonNode& hook) {
    return keygate_command(hook, files.command_key, mark) != nullptr;
  };
  // Takes the items `drop` says are keygate's out of `list`; returns true iff it took any.
  const auto remove_if_ours = [](JsonNode& list, const auto& drop) {
    auto& items = list.members();
    const std::size_t count = items.size();
    items.erase(std::remove_if(items.begin(), items.end(), [&](auto& item) { return drop(item.second); }),
                items.end());
    return items.size() != count;
  };
  bool changed = false;
  for (auto it = hooks->members().begin(); it != hooks->members().end();) {
    JsonNode& list = it->second;
    bool took = false;
    if (list.is_array() && files.shape == Shape::Flat) {
      took = remove_if_ours(list, is_ours);
    } else if (list.is_array()) {
      // A group keeps the user's hooks beside keygate's; it goes only when keygate's were all it had.
      remove_if_ours(list, [&](JsonNode& group) {
        JsonNode* inner = group.is_object() ? group.find("hooks") : nullptr;
        if (inner == nullptr || !inner->is_array() || !remove_if_ours(*inner, is_ours)) return false;
        took = true;
        return inner->members().empty();
      });
    }
    changed = changed || took;
    it = took && list.members().empty() ? hooks->members().erase(it) : std::next(it);
  }
  if (!changed) return "keygate " + name + " hooks are not installed in " + path;
  if (hooks->members().empty()) root.erase("hooks");
  // A file left with nothing but its version held keygate's hooks only (install made it): it goes.
  const bool nothing_left =
      root.members().empty() || (root.members().size() == 1 && root.members().front().first == "version");
  std::error_code error;
  if (nothing_left && !std::filesystem::is_symlink(path, error)) {
    write_file_atomic(path + ".keygate-backup", *before);
    if (::unlink(path.c_str()) != 0) throw Error(path + ": cannot remove: " + std::strerror(errno));
    return "keygate " + name + " hooks removed: " + path + " held nothing else and is removed (kept as " +
           path + ".keygate-backup)";
  }
  write_settings(path, before, root);
  return "keygate " + name + " hooks removed from " + path + " (the previous file is kept as " + path +
         ".keygate-backup)";
}

}  // namespace keygate
