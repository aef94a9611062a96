// This file implements the chunk plan (see chunk_plan.hpp).
#include "core/chunk_plan.hpp"

#include <algorithm>

namespace keygate {

void ChunkPlan::place(Fragment& fragment, std::string_view window, bool last) const {
  fragment.text = window;
  fragment.first_line = first_line_;
  fragment.report_from = report_from_;
  fragment.report_to = last ? window.size() + 1 : window.size() - kChunkOverlap;
}

std::size_t ChunkPlan::advance(std::string_view window) {
  const std::size_t dropped = window.size() - kKept;
  first_line_ += static_cast<int>(
      std::count(window.begin(), window.begin() + static_cast<std::ptrdiff_t>(dropped), '\n'));
  report_from_ = kChunkOverlap;
  return dropped;
}

}  // namespace keygate
