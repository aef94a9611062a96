// This file declares the function behind each command. They are defined in cli.cpp, beside the stages
// they run; the command table (commands.cpp) points at them and run() calls them through it.
#pragma once

#include "cli/cli.hpp"

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
int run_scan(const Options& options);        // staged, scan, history, ignore
int run_verify_key(const Options& options);  // verify: 1 a live key, 2 none live but one unknown
int run_revoke(const Options& options);      // revoke: 1 some keys need manual steps, 2 a failure

}  // namespace keygate
