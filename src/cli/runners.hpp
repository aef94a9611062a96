// This file declares the function behind each command. They are defined in cli.cpp, beside the stages
// they run; the command table (commands.cpp) points at them and run() calls them through it.
#pragma once

#include <ctime>
#include <memory>
#include <string>
#include <vector>

#include "cli/cli.hpp"
#include "core/finding.hpp"
#include "filter/dataset.hpp"
#include "rules/rules.hpp"

namespace keygate {

// Each runs one command whose options are parsed and returns the exit code: 0 nothing found, 1 findings,
// 2 the run could not finish. Each throws Error for a failure the user must hear about.
int run_help(const Options& options);
int run_version(const Options& options);
int run_install(const Options& options);
int run_uninstall(const Options& options);
int run_rules(const Options& options);
int run_push_check_command(const Options& options);  // pre-push, pre-receive
int run_redact(const Options& options);
int run_commit_msg(const Options& options);
int run_scan(const Options& options);    // staged, scan, history, ignore
int run_audit(const Options& options);   // defined in audit/audit.cpp
int run_report(const Options& options);  // report merge; defined in report/merge.cpp
int run_agent_hook(const Options& options);
int run_lsp(const Options& options);         // defined in lsp/serve.cpp
int run_purge(const Options& options);       // purge/purge_command.cpp
int run_import(const Options& options);      // interop/import_command.cpp
int run_verify_key(const Options& options);  // verify: 1 a live key, 2 none live but one unknown
int run_revoke(const Options& options);      // revoke: 1 some keys need manual steps, 2 a failure

// What the scan `options` names found, before reporting: the stages `scan`, `history`, `staged` and
// `ignore` share (cli.cpp), and `purge` runs for its history scan. Throws Error as the runners do.
struct ScanOutcome {
  std::unique_ptr<RuleSet> rules;
  std::vector<Finding> findings;  // judged, in report order, secrets whole
  DatasetSummary datasets;
  std::string gap;   // empty iff the scan read everything; else what it could not (its first warning)
  std::string root;  // the project's root, with a trailing slash ("./" for the current directory)
  std::time_t started = 0;
  // The scan could not read everything: never clean.
  bool incomplete() const { return !gap.empty(); }
};
ScanOutcome scan_findings(const Options& options);

}  // namespace keygate
