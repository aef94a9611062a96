// This file declares the coding-agent hook protocols: what Claude Code, Cursor, GitHub Copilot and Codex
// send a hook on standard input before a prompt goes to the model, a file is written or a command runs
// (an AgentEvent: the texts to judge), and how each wants its answer (an AgentAnswer: standard output,
// standard error, exit code). The judging itself is the one pipeline's (agent_hook.hpp); nothing here
// detects anything. Each agent's wire format is described beside its reader in protocols.cpp.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace keygate {

enum class Agent { ClaudeCode, Cursor, Copilot, Codex };

// The names `--agent` takes, in the order help lists them: "claude-code", "cursor", "copilot", "codex".
const std::vector<std::string_view>& agent_names();
std::string_view agent_name(Agent agent);
// The agent called `name`, or nullopt.
std::optional<Agent> find_agent(std::string_view name);

// One text an event asks about.
struct AgentText {
  std::string text;
  std::string what;  // how the answer names it: "the prompt", "the command", "the content for src/a.py"
  std::string path;  // the file the text is written to (as the agent gave it), or empty
};

// Whether the agent lets a hook stop what the event announces.
enum class Blocking {
  Yes,
  No,  // the event is a notice after the fact, or its answer is ignored: findings are reported on stderr
};

struct AgentEvent {
  Agent agent = Agent::ClaudeCode;
  std::string name;  // the agent's name for the event ("PreToolUse", "beforeShellExecution")
  std::string tool;  // the tool about to run ("Write", "bash"), or empty
  std::string cwd;   // where the agent works (the project's config is found from here), or empty
  std::vector<AgentText> texts;
  Blocking blocking = Blocking::Yes;
};

// Reads one event of `agent` from `json`. `event`, when not empty, is the event the hook was installed
// for (`--event`): the input must not name another, and an input without a name (Copilot's) is taken as
// that event. Throws Error, one line saying what is wrong, for input that is not JSON, an event keygate
// does not know, or an event without the field it must carry.
AgentEvent read_agent_event(Agent agent, std::string_view json, const std::string& event);

// What the hook prints and returns.
struct AgentAnswer {
  std::string out;  // standard output (JSON for the agent), or empty
  std::string err;  // standard error, or empty
  int exit_code = 0;
};

// The answers, in the agent's documented form:
//  - allow: the event goes ahead;
//  - block: the event is stopped and `reason` (one line naming rules and redacted secrets only) is what the
//    agent shows; for an event that cannot be blocked, `reason` goes to stderr and the event goes ahead;
//  - refuse: the event could not be judged (`why`); it is stopped, failing closed, with `why` and how to
//    bypass the hook. `event` may be empty (the input could not be read).
AgentAnswer allow_answer(const AgentEvent& event);
AgentAnswer block_answer(const AgentEvent& event, const std::string& reason);
AgentAnswer refuse_answer(Agent agent, const std::string& event, const std::string& why);

}  // namespace keygate
