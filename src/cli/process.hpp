// This file declares keygate's process-wide state, all of it set up once: at start-up by init_process()
// (cli.cpp's run() calls it first), or on first use where the list says so. Nothing else changes global
// state. The list:
//   - SIGPIPE ignored: a closed pipe (keygate ... | head) ends output with EPIPE instead of killing us.
//   - GIT_WORK_TREE moved out of the environment (git::take_work_tree_from_env, git.hpp).
//   - libgit2 (git::init, git.hpp), on first use only (git::open calls it): git_libgit2_init; the object
//     cache keeps no blobs and at most 8 MB per cache; strict hash verification off.
//   - The embedded defaults' keyword automaton (builtin_keyword_index): built on first use, then shared.
//   - Per-thread copies of rule regexes (rules.cpp, Rule::regex and Rule::search): each thread keeps at most
//     kMaxRegexCopiesPerThread, then starts over, so a long-lived process building many RuleSets does not
//     grow without bound.
//   - mbedTLS certificate loading (tls_stub.cpp, only when libgit2 links mbedTLS): see that file.
//   - KEYGATE_HOOK, set by a hook script that replaced itself with keygate (hooks/pre-commit; no chained
//     hook): taken out of the environment; keygate then prints the hook's bypass advice itself when it
//     fails (finish_process) or dies of a fatal signal (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT: a
//     handler on an alternate stack writes it, then the signal kills the process as before).
#pragma once

#include <cstddef>

#include "rules/keywords.hpp"

namespace keygate {

// Sets up the state listed above. Idempotent.
void init_process();

// `status`, the exit status of the run, after printing the hook's bypass advice when keygate runs as a
// hook (KEYGATE_HOOK) and the status is neither 0 (clean) nor 1 (findings): what the hook script prints
// for any other status of a keygate it waits for. main() returns through it.
int finish_process(int status);

// The keyword automaton of the embedded default rules, deserialized once (thread-safe).
const KeywordIndex& builtin_keyword_index();

}  // namespace keygate
