// This file implements the chunk plan (see chunk_plan.hpp).
#include "core/chunk_plan.hpp"

#include <algorithm>
#include <limits>

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
  const std::size_t newline = window.substr(0, dropped).rfind('\n');
  carried_ = newline == std::string_view::npos ? carried_ + dropped : dropped - newline - 1;
  report_from_ = kChunkOverlap;
  return dropped;
}

void ChunkPlan::make_columns_absolute(std::vector<Finding>& found) const {
  if (carried_ == 0) return;
  for (Finding& f : found) {
    if (f.line != first_line_) continue;
    const std::size_t column = static_cast<std::size_t>(f.column) + carried_;
    f.column = static_cast<int>(std::min<std::size_t>(column, std::numeric_limits<int>::max()));
  }
}

}  // namespace keygate
