// This file implements `keygate agent-hook` (see agent_hook.hpp): read the event, find the project, load
// its rules, judge each text of the event through the one pipeline, answer.
#include "agent/agent_hook.hpp"

#include <unistd.h>

#include <memory>

#include "config/resolve.hpp"
#include "core/error.hpp"
#include "core/pipeline.hpp"
#include "filter/suppress.hpp"
#include "git/git.hpp"
#include "rules/rules.hpp"

namespace keygate {
namespace {

// How many findings the reason names one by one; the rest are counted.
constexpr std::size_t kNamedFindings = 3;

std::string current_directory() {
  char buffer[4096];
  return ::getcwd(buffer, sizeof buffer) != nullptr ? std::string(buffer) : std::string(".");
}

// The project's files: at the top of the git work tree holding `dir`, else in `dir`.
ProjectFiles project_at(const std::string& dir) {
  ProjectFiles project;
  project.root = dir + "/";
  try {
    const git::Repository repo = git::open(dir);
    if (const char* workdir = git_repository_workdir(repo.get())) project.root = workdir;
  } catch (const Error&) {
    // Not in a repository (or not a readable one): the directory itself holds the project's files.
  }
  return project;
}

// `path` as the project names it: relative to `root` when inside it, so that a .keygateignore
// fingerprint and a path allowlist written for the file apply to the agent's write of it.
std::string project_path(const std::string& path, const std::string& root) {
  if (path.size() > root.size() && path.compare(0, root.size(), root) == 0) return path.substr(root.size());
  return path;
}

// The Origin a text is judged under: content for a file takes that file's path in the project, so that path
// rules and fingerprints apply; anything else is a stream named after what it is.
Origin origin_of(const AgentText& text, const std::string& root) {
  Origin origin;
  origin.kind = text.path.empty() ? SourceKind::Stream : SourceKind::File;
  origin.path = text.path.empty() ? "(" + text.what + ")" : project_path(text.path, root);
  return origin;
}

// The reason a block gives: each finding's rule, place and redacted secret, and what the user can do.
std::string block_reason(const std::vector<Finding>& findings, const std::vector<AgentText>& texts,
                         const std::vector<std::size_t>& text_of) {
  std::string reason = "keygate: blocked: ";
  for (std::size_t i = 0; i < findings.size() && i < kNamedFindings; ++i) {
    const Finding& f = findings[i];
    if (i > 0) reason += "; ";
    reason += texts[text_of[i]].what + " holds a secret: " + f.rule_id + " " + redacted(f.secret) +
              " (line " + std::to_string(f.line) + ", fingerprint " + f.fingerprint + ")";
  }
  if (findings.size() > kNamedFindings)
    reason += "; and " + std::to_string(findings.size() - kNamedFindings) + " more";
  return reason +
         ". Use an environment variable or a secrets manager instead of the value; if it is not a secret, "
         "add "
         "`keygate:allow` to its line or its fingerprint to .keygateignore";
}

AgentAnswer judge(const AgentEvent& event, const AgentHookSettings& settings) {
  // 1. The project, from where the agent works: its .keygate.toml, .keygateignore, confidence minimum.
  const ProjectFiles project = project_at(event.cwd.empty() ? current_directory() : event.cwd);
  RuleOptions rule_options;
  rule_options.max_decode_depth = settings.max_decode_depth;
  const std::unique_ptr<RuleSet> rules = build_rules(
      with_rule_packs(resolve_config(settings.config_file, project), settings.packs), rule_options);
  // 2. The one pipeline, judged as every other mode judges.
  ScanSettings scan;
  scan.jobs = 1;
  Pipeline pipeline(
      *rules, make_judgement(settings.min_confidence, rules->config(), suppressed_fingerprints(project, "")),
      scan);
  // 3. Each text under its Origin.
  Scanner& scanner = pipeline.scanner();
  for (const AgentText& text : event.texts)
    scanner.add(scanner.detect_text(text.text, origin_of(text, project.root)));
  std::vector<Finding> findings = pipeline.finish();
  // 4. The answer: an incomplete check fails closed; a finding blocks; else the event goes ahead.
  if (scanner.incomplete())
    return refuse_answer(event.agent, event.name, "the check is incomplete: a decoding bound was reached");
  if (findings.empty()) return allow_answer(event);
  std::vector<std::size_t> text_of;
  for (const Finding& f : findings) {
    std::size_t which = 0;
    for (std::size_t i = 0; i < event.texts.size(); ++i) {
      if (origin_of(event.texts[i], project.root).path == f.file) which = i;
    }
    text_of.push_back(which);
  }
  return block_answer(event, block_reason(findings, event.texts, text_of));
}

}  // namespace

AgentAnswer answer_agent_event(std::string_view input, const AgentHookSettings& settings) {
  std::string event_name = settings.event;
  try {
    const AgentEvent event = read_agent_event(settings.agent, input, settings.event);
    event_name = event.name;
    if (event.texts.empty()) return allow_answer(event);
    return judge(event, settings);
  } catch (const Error& e) {
    return refuse_answer(settings.agent, event_name, e.what());
  } catch (const std::exception& e) {
    return refuse_answer(settings.agent, event_name, std::string("internal error: ") + e.what());
  }
}

}  // namespace keygate
