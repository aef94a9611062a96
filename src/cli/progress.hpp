// This file implements the one-line progress report that long reads draw on stderr (history's commits,
// scan's files): shared so that both look and behave alike.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace keygate {

// Draws "keygate: WHAT: done/total UNIT, MB, MB/s, ETA" on stderr, at most five times a second. Not
// thread-safe: one thread calls update(). With a start delay, nothing is drawn for a run shorter than it.
class Progress {
 public:
  Progress(bool enabled, std::size_t total, std::string what = "history", std::string unit = "commits",
           std::chrono::milliseconds start_delay = std::chrono::milliseconds(0))
      : enabled_(enabled),
        total_(total),
        what_(std::move(what)),
        unit_(std::move(unit)),
        start_(Clock::now()),
        delay_(start_delay) {}

  void update(std::size_t done, std::uint64_t bytes, bool final = false) {
    if (!enabled_) return;
    const auto now = Clock::now();
    if (now - start_ < delay_ && !drawn_) return;  // a short run draws nothing, not even its final line
    if (!final && now - last_ < std::chrono::milliseconds(200)) return;
    last_ = now;
    drawn_ = true;
    const double seconds = std::chrono::duration<double>(now - start_).count();
    const double mb = static_cast<double>(bytes) / (1 << 20);
    const double eta =
        done > 0 ? seconds * static_cast<double>(total_ - done) / static_cast<double>(done) : 0;
    std::fprintf(stderr, "\r\033[Kkeygate: %s: %zu/%zu %s, %.0f MB, %.0f MB/s, ETA %.0fs", what_.c_str(),
                 done, total_, unit_.c_str(), mb, seconds > 0 ? mb / seconds : 0.0, eta);
    if (final) std::fprintf(stderr, "\n");
  }

 private:
  using Clock = std::chrono::steady_clock;
  bool enabled_;
  std::size_t total_;
  std::string what_, unit_;
  Clock::time_point start_, last_{};
  std::chrono::milliseconds delay_;
  bool drawn_ = false;
};

}  // namespace keygate
