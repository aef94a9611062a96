// This file declares the push checks: `keygate pre-receive` (on the server, before git updates any ref)
// and `keygate pre-push` (on the pusher's machine). Both read git's hook input, select the commits that
// are new to the other side, and run the history source over exactly those (push/push.cpp).
#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>

#include "report/report.hpp"

namespace keygate {

enum class PushHook { PreReceive, PrePush };
enum class OnTimeout { Reject, Accept };

struct PushCheckOptions {
  PushHook hook = PushHook::PreReceive;
  std::string repo;                 // --repo DIR; empty: git's environment (GIT_DIR, the quarantine)
  std::string remote;               // pre-push: the remote's name ($1), whose tracking refs the remote has
  std::string config_file;          // --config FILE; empty: git config keygate.config, else the defaults
  std::optional<bool> repo_config;  // --no-repo-config: false; empty: git config keygate.repoConfig (true)
  double timeout_seconds = 4.5;     // GitHub Enterprise Server allows 5 s for all pre-receive hooks
  OnTimeout on_timeout = OnTimeout::Reject;
  Secrets secrets = Secrets::Redacted;
  unsigned jobs = 1;
  std::uint64_t max_file_size = 0;
  bool verbose = false;  // also report a clean check (how many new commits, how long)
};

// Reads the hook's input lines from `in` (pre-receive: `<old> <new> <ref>`; pre-push: `<local-ref>
// <local-oid> <remote-ref> <remote-oid>`), scans the new commits' file changes and messages, and reports
// on stderr. Returns 0 to accept, 1 to reject (secrets, or the budget ran out under --on-timeout
// reject), 2 when the check could not be made (git rejects the push on any non-zero status). Throws Error.
int run_push_check(const PushCheckOptions& options, std::FILE* in);

}  // namespace keygate
