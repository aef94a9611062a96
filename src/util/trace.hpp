// This file implements stage timing for benchmarks: with KEYGATE_TRACE=1 in the environment, each
// trace_stage() call prints the milliseconds since the previous one to stderr. Otherwise it costs a branch.
#pragma once

namespace keygate {

void trace_stage(const char* name);

// True iff KEYGATE_TRACE is set.
bool trace_enabled();

// Prints one line of detail under the current stage (only when tracing).
void trace_note(const char* format, ...) __attribute__((format(printf, 1, 2)));

}  // namespace keygate
