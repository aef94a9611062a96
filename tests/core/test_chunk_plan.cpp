// Tests for chunk_plan.cpp: the windows a large text is read in report every byte exactly once, each with
// kChunkOverlap bytes of context on both sides, and know their first line.
#include <algorithm>
#include <catch2/catch.hpp>
#include <string>

#include "core/chunk_plan.hpp"

using namespace keygate;

TEST_CASE("chunk plan: every byte of a large text is reported by exactly one window, with context") {
  for (const std::size_t size : {std::size_t{0}, std::size_t{100}, ChunkPlan::kWindow, ChunkPlan::kWindow + 1,
                                 3 * kChunkSize + 12345}) {
    INFO(size);
    std::string text(size, 'x');
    for (std::size_t i = 99; i < size; i += 100) text[i] = '\n';
    ChunkPlan plan;
    std::size_t reported_to = 0;  // the text is reported up to here, in order, without a gap
    for (std::size_t at = 0;;) {
      const std::string_view window = std::string_view(text).substr(at, ChunkPlan::kWindow);
      const bool last = at + window.size() == text.size();
      Fragment f;
      plan.place(f, window, last);
      CHECK(f.text.data() == text.data() + at);
      CHECK(f.first_line == 1 + static_cast<int>(std::count(text.begin(), text.begin() + at, '\n')));
      const std::size_t from = at + f.report_from;
      const std::size_t to = std::min(at + f.report_to, text.size());
      CHECK(from == reported_to);
      if (at > 0) CHECK(f.report_from >= kChunkOverlap);  // context before the first reported byte
      if (!last) CHECK(window.size() - f.report_to >= kChunkOverlap);  // and after the last
      reported_to = to;
      if (last) break;
      const std::size_t dropped = plan.advance(window);
      CHECK(window.size() - dropped == ChunkPlan::kKept);
      at += dropped;
    }
    CHECK(reported_to == text.size());
  }
}
