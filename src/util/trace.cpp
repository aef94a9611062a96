// This file implements stage timing (see trace.hpp).
#include "util/trace.hpp"

#include <chrono>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>

namespace keygate {

bool trace_enabled() {
  static const bool enabled = std::getenv("KEYGATE_TRACE") != nullptr;
  return enabled;
}

void trace_note(const char* format, ...) {
  if (!trace_enabled()) return;
  std::va_list args;
  va_start(args, format);
  std::fputs("keygate: trace:   ", stderr);
  std::vfprintf(stderr, format, args);
  std::fputc('\n', stderr);
  va_end(args);
}

void trace_stage(const char* name) {
  if (!trace_enabled()) return;
  using Clock = std::chrono::steady_clock;
  static Clock::time_point last = Clock::now();
  const Clock::time_point now = Clock::now();
  std::fprintf(stderr, "keygate: trace: %-28s %8.3f ms\n", name,
               std::chrono::duration<double, std::milli>(now - last).count());
  last = now;
}

}  // namespace keygate
