// This file implements stage timing (see trace.hpp).
#include "trace.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>

namespace keygate {

void trace_stage(const char* name) {
  static const bool enabled = std::getenv("KEYGATE_TRACE") != nullptr;
  if (!enabled) return;
  using Clock = std::chrono::steady_clock;
  static Clock::time_point last = Clock::now();
  const Clock::time_point now = Clock::now();
  std::fprintf(stderr, "keygate: trace: %-28s %8.3f ms\n", name,
               std::chrono::duration<double, std::milli>(now - last).count());
  last = now;
}

}  // namespace keygate
