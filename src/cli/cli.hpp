// This file implements the command line: argv -> Options, and run(), which is the pipeline as a list of
// stages and the exit-code policy: 0 nothing found, 1 findings, 2 the run could not finish or is incomplete.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit.hpp"
#include "core/confidence.hpp"
#include "purge/purge.hpp"
#include "redact/redact.hpp"
#include "report/report.hpp"
#include "verify/verify.hpp"

namespace keygate {

// Which command runs. Each has one row in the command table (commands.hpp), which names it and runs it.
enum class Command {
  Staged,
  Scan,
  History,
  CommitMsg,
  Ignore,
  Install,
  Uninstall,
  Rules,
  Redact,
  Version,
  Help,
  PreReceive,
  PrePush,
  Lsp,
  Purge,
  Import,
  Audit,   // keygate audit (src/audit)
  Report,  // keygate report merge (src/report/merge.cpp)
  AgentHook,
  Verify,
  Revoke,
};

struct Options {
  Command command = Command::Help;
  bool no_command = false;  // keygate was run without a command word: the overview, and exit 2
  std::string program;      // argv[0]: `install` writes it into the hooks when /proc/self/exe cannot tell
  std::string repo;         // --repo DIR; empty: the current directory (and git's environment variables)
  std::vector<std::string> hooks;          // install/uninstall --hook NAME, repeatable; empty: the defaults
  std::string config_file;                 // --config FILE
  std::string baseline;                    // --baseline REPORT.json
  std::string since_commit;                // --since-commit SHA (history)
  SourceKind source = SourceKind::Staged;  // which scan: Staged, Commit (history), File (scan), CommitMessage
                                           // (commit-msg); also `ignore`'s
  Format format = Format::Text;
  Secrets secrets = Secrets::Redacted;
  Color color = Color::Auto;  // --color
  bool verbose = false;
  bool test_rules = false;                   // rules --test
  std::optional<bool> progress;              // --progress / --no-progress; default: when stderr is a terminal
  unsigned jobs = 0;                         // 0: every core
  std::uint64_t max_file_size = 0;           // 0: the command's default
  std::optional<Confidence> min_confidence;  // --min-confidence; unset: the config's [confidence] minimum
  bool explain = false;                      // --explain: generic findings say why they got their confidence
  std::optional<int> max_decode_depth;       // --max-decode-depth N; default: the config's, or 3
  std::optional<int> max_archive_depth;      // --max-archive-depth N; default: the config's [archive], or 4
  std::vector<std::string> args;  // paths (scan, redact), revision ranges (history), the remote (pre-push)
  VerifySettings verify;          // --verify and its options (verify.hpp)
  // pre-receive / pre-push: --timeout SECONDS, --on-timeout reject|accept, --no-repo-config
  double timeout = 4.5;
  bool accept_on_timeout = false;
  std::optional<bool> repo_config;
  std::vector<std::string> packs;  // --rules NAME, repeatable: rule packs to add ("pii")
  RedactOptions redact;            // redact: --mask, --format (of its input)
  bool in_place = false;           // redact --in-place
  bool fail_on_secret = false;     // redact --fail-on-secret: exit 1 when something was redacted
  std::string agent;               // --agent NAME: agent-hook's agent; install/uninstall an agent's hooks
  std::string agent_event;         // agent-hook --event NAME: the event the hook was installed for
  std::string scope;               // install/uninstall --agent --scope user|project; empty: user
  PurgeOptions purge;              // purge: --check, --rewrite, --from, --output
  std::string import_output;       // import --output FILE
  audit::AuditOptions audit;       // audit and report merge (audit/audit.hpp)
  std::string rule_id;             // verify/revoke --rule ID: standard input is one key of this rule
  std::string report_file;         // revoke --report FILE: the keys of a keygate JSON report
  bool yes = false;                // revoke --yes: no confirmation asked
};

// Reads argv by the command table (commands.hpp): the command word, then its options, then its operands.
// Throws Error, one line naming the word at fault, on a usage mistake.
Options parse_options(int argc, char** argv);

// Runs a whole command; returns the process exit code. Catches every Error and prints it.
int run(int argc, char** argv);

}  // namespace keygate
