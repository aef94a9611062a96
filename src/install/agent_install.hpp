// This file implements `keygate install --agent NAME` and `keygate uninstall --agent NAME`: keygate's
// agent-hook entries merged into (or taken out of) a coding agent's hook settings file, keeping every other
// key, hook and value there. The files and their shapes are each agent's documented ones:
//   claude-code  ~/.claude/settings.json, PROJECT/.claude/settings.json    hooks.EVENT[] = {matcher, hooks[]}
//   codex        $CODEX_HOME (~/.codex)/hooks.json, PROJECT/.codex/hooks.json   the same shape
//   cursor       ~/.cursor/hooks.json, PROJECT/.cursor/hooks.json          {version: 1, hooks.EVENT[]}
//   copilot      ~/.copilot/hooks/keygate.json, PROJECT/.github/hooks/keygate.json   {version: 1,
//   hooks.EVENT[]}
#pragma once

#include <string>

#include "agent/agent.hpp"

namespace keygate {

// Where the hooks go: the user's settings (every project) or the project's (shared through git).
enum class AgentScope { User, Project };

// The scope `--scope` names ("user", "project"). Throws Error for another word.
AgentScope parse_agent_scope(const std::string& word);

// The settings file of `agent` for `scope`. The project is the git work tree holding `dir` ("" = the
// current directory), or `dir` itself outside a repository. Throws Error when HOME is not set (user scope).
std::string agent_settings_path(Agent agent, AgentScope scope, const std::string& dir);

// The command line an agent runs: `keygate_path` (shell-quoted) for the user's settings, plain `keygate`
// (found on PATH) for a project's, which other machines read too; then `agent-hook --agent NAME`.
std::string agent_hook_command(Agent agent, AgentScope scope, const std::string& keygate_path);

// Adds keygate's entries to the agent's settings file, or updates them in place (the same file twice
// gives the same result: "already installed"). The file is replaced atomically, its previous content kept
// beside it as FILE.keygate-backup; missing directories are created. A file that is not valid JSON, or
// whose "hooks" (or an event's list) has another type, is refused with an Error naming the place, and left
// as it was. Returns one line saying what was done.
std::string install_agent_hooks(Agent agent, AgentScope scope, const std::string& dir,
                                const std::string& keygate_path);

// Removes keygate's entries (and the lists and groups they leave empty), keeping everything else. Returns
// one line. A file without keygate's entries is left untouched.
std::string uninstall_agent_hooks(Agent agent, AgentScope scope, const std::string& dir);

}  // namespace keygate
