// This file declares the push checks: `keygate pre-receive` (on the server, before git updates any ref)
// and `keygate pre-push` (on the pusher's machine). Both read git's hook input, select the commits that
// are new to the other side, and run the history source over exactly those (push/push.cpp).
#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/confidence.hpp"
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
  std::optional<int> max_archive_depth;      // --max-archive-depth; default: the config's [archive], or 4
  std::uint64_t max_file_size = 0;           // 0: kDefaultMaxBlobSize (core/scanner.hpp)
  std::optional<Confidence> min_confidence;  // --min-confidence; unset: the config's, else medium
  bool verbose = false;                      // also report a clean check (how many new commits, how long)
};

// One line of a push hook's input: the ref that moves, the object it will name, and (pre-push) the
// remote's current object for it.
struct PushLine {
  std::string ref;     // pre-receive: the ref updated; pre-push: the remote's name for it
  std::string new_id;  // hex; all zeros for a deletion
  std::string
      remote_id;  // pre-push: the remote's object (hex, zeros when it has none); empty for pre-receive
  bool operator==(const PushLine&) const = default;
};

// Parses a hook's whole input: pre-receive lines `<old> <new> <ref>`, pre-push lines `<local-ref>
// <local-oid> <remote-ref> <remote-oid>`, separated by LF (a CR before it is dropped; blank lines are
// skipped). Object ids are 40 or 64 hex digits. Throws Error naming the hook and the line number for any
// other line.
std::vector<PushLine> parse_push_input(std::string_view text, PushHook hook);

// Reads the hook's input lines from `in` (pre-receive: `<old> <new> <ref>`; pre-push: `<local-ref>
// <local-oid> <remote-ref> <remote-oid>`), scans every object the push adds — the new commits' file
// changes and messages, annotated tags' messages, blobs and trees that refs or tags point at — through the
// one pipeline (core/pipeline.hpp), and reports on stderr. On the server, a pushed .keygate.toml may add
// rules but weakens the server's policy only where git config keygate.trustPushed allows
// (resolve_server_config). Returns 0 to accept, 1 to reject (secrets, or the budget ran out under
// --on-timeout reject), 2 when the check could not be made or is incomplete (content over the size
// limit, unreadable objects); git rejects the push on any non-zero status. The budget is enforced during a
// scan too: when it runs out, the process reports and exits with the verdict at once. Throws Error.
int run_push_check(const PushCheckOptions& options, std::FILE* in);

}  // namespace keygate
