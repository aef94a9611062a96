// This file declares keygate's process-wide state: everything keygate changes outside its own objects, each
// set up once (at start-up by init_process(), which cli.cpp's run() calls first, or on first use) or
// changed only for the length of one call, as the list says. Per-run settings are never global: they
// travel in Options, RuleOptions (the RuleSet) and ScanSettings. Constant tables built on first use
// (function-local `static const`: the default Config, lookup tables) change nothing and are not listed.
// The list:
//   - SIGPIPE ignored: a closed pipe (keygate ... | head) ends output with EPIPE instead of killing us.
//   - GIT_WORK_TREE moved out of the environment (git::take_work_tree_from_env, git.hpp).
//   - libgit2 (git::init, git.hpp), on first use only (git::open calls it): git_libgit2_init; the object
//     cache keeps no blobs and at most 8 MB per cache; strict hash verification off.
//   - The embedded defaults' keyword automaton (builtin_keyword_index): built on first use, then shared.
//   - Per-thread copies of rule regexes (rules.cpp, Rule::regex and Rule::search): each thread keeps at most
//     kMaxRegexCopiesPerThread, then starts over, so a long-lived process building many RuleSets does not
//     grow without bound.
//   - The rule serial counter (rules.cpp, Rule::Rule): a process-wide atomic, only ever incremented, that
//     gives each Rule a number no other Rule of the process has, the key of the per-thread copies above.
//   - Per-thread line-break lists (config/toml_line.hpp): each thread keeps those of the last config file it
//     asked a line of (held by a weak pointer, so never taken for another file).
//   - GIT_INDEX_FILE (git.cpp, git::open of the hook's repository): taken out of the environment for the
//     libgit2 call that opens the repository, then put back as it was.
//   - The umask and SIGXFSZ's handler (util/file_io.cpp, write_file_atomic): the umask read (set and set
//     back at once), SIGXFSZ ignored for the write and restored, so that a size limit fails the write.
//   - libcurl (verify/http.cpp), on the first --verify request only: dlopen("libcurl.so.4") and
//     curl_global_init, kept for the life of the process.
//   - Tracing (util/trace.cpp): KEYGATE_TRACE read once; trace_stage keeps the time of the last stage.
//   - mbedTLS certificate loading (tls_stub.cpp, only when libgit2 links mbedTLS): see that file.
//   - KEYGATE_HOOK, set by a hook script that replaced itself with keygate (hooks/pre-commit; no chained
//     hook): taken out of the environment; keygate then prints the hook's bypass advice itself when it
//     fails (finish_process) or dies of a fatal signal (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT: a
//     handler on an alternate stack writes it, then the signal kills the process as before); and every
//     word after the command is an operand (run_by_hook).
#pragma once

#include <cstddef>

#include "rules/keywords.hpp"

namespace keygate {

// Sets up the start-up part of the list: SIGPIPE, GIT_WORK_TREE, KEYGATE_HOOK and the fatal-signal
// handlers (the rest is set up on first use). Idempotent.
void init_process();

// `status`, the exit status of the run, after printing the hook's bypass advice when keygate runs as a
// hook (KEYGATE_HOOK) and the status is neither 0 (clean) nor 1 (findings): what the hook script prints
// for any other status of a keygate it waits for. main() returns through it.
int finish_process(int status);

// True iff a hook script handed over to keygate (KEYGATE_HOOK named one of keygate's hooks): every word
// after the command word is then one of git's arguments, never an option (parse_options). A hook installed
// before the template put `--` before git's arguments is safe this way too, until `keygate install` is run
// again.
bool run_by_hook();

// The keyword automaton of the embedded default rules, deserialized once (thread-safe).
const KeywordIndex& builtin_keyword_index();

}  // namespace keygate
