// This file implements stage timing for benchmarks: with KEYGATE_TRACE=1 in the environment, each
// trace_stage() call prints the milliseconds since the previous one to stderr. Otherwise it costs a branch.
#pragma once

namespace keygate {

void trace_stage(const char* name);

}  // namespace keygate
