// This file declares keygate's process-wide state, all of it set up once, at start-up, by init_process()
// (cli.cpp's run() calls it first). Nothing else changes global state. The list:
//   - SIGPIPE ignored: a closed pipe (keygate ... | head) ends output with EPIPE instead of killing us.
//   - libgit2 (git::init, git.hpp): git_libgit2_init; the object cache keeps no blobs and at most 8 MB
//     per cache; strict hash verification off; GIT_WORK_TREE moved out of the environment.
//   - The embedded defaults' keyword automaton (builtin_keyword_index): built on first use, then shared.
//   - Per-thread copies of rule regexes (rules.cpp, Rule::regex and Rule::search): each thread keeps at most
//     kMaxRegexCopiesPerThread, then starts over, so a long-lived process building many RuleSets does not
//     grow without bound.
//   - mbedTLS certificate loading (tls_stub.cpp, only when libgit2 links mbedTLS): see that file.
#pragma once

#include <cstddef>

#include "keywords.hpp"

namespace keygate {

// Sets up the state listed above. Idempotent.
void init_process();

// The keyword automaton of the embedded default rules, deserialized once (thread-safe).
const KeywordIndex& builtin_keyword_index();

}  // namespace keygate
