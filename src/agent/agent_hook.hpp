// This file declares `keygate agent-hook`: one coding-agent event (agent.hpp) judged by the one pipeline
// (core/pipeline.hpp) with the project's rules, .keygateignore and confidence minimum, as `keygate scan -`
// judges standard input, and answered in the agent's own form.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/agent.hpp"
#include "core/confidence.hpp"

namespace keygate {

struct AgentHookSettings {
  Agent agent = Agent::ClaudeCode;
  std::string event;                         // --event: the event the hook was installed for, or empty
  std::string config_file;                   // --config
  std::vector<std::string> packs;            // --rules
  std::optional<Confidence> min_confidence;  // --min-confidence
  std::optional<int> max_decode_depth;       // --max-decode-depth
};

// The answer to the event `input` (the agent's JSON). The project is the git work tree holding the event's
// cwd (or the current directory), or that directory itself outside a repository. Never throws for a bad
// event or a failed check: it fails closed (refuse_answer) with the reason. A finding is named in the
// reason by its rule, place and redacted secret, never whole.
AgentAnswer answer_agent_event(std::string_view input, const AgentHookSettings& settings);

}  // namespace keygate
