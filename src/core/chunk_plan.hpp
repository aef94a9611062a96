// This file implements how a text too large for one fragment is cut into overlapping chunks: the one plan
// of the files source (source/files.cpp, which streams a file through a buffer) and of detect_in_text
// (detect/matcher.cpp, a text held in memory), so that both report each secret in exactly one chunk and
// see it whole.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "core/finding.hpp"
#include "core/source.hpp"

namespace keygate {

// A text is read as a series of windows. The first holds the text's first bytes; each later one holds the
// last 2 * kChunkOverlap bytes of the one before it, then new bytes. A window reports the secrets that
// start in it after the first kChunkOverlap bytes (from its start, for the first window) and before its
// last kChunkOverlap bytes (up to its end, for the last one), so each secret is reported once and seen
// with at least kChunkOverlap bytes of context on each side.
class ChunkPlan {
 public:
  // The most bytes a window holds: kChunkSize reported, kChunkOverlap of context on each side.
  static constexpr std::size_t kWindow = kChunkSize + 2 * kChunkOverlap;
  // What the next window starts with: the bytes of the window before it that it keeps.
  static constexpr std::size_t kKept = 2 * kChunkOverlap;

  // Sets the text, first line and reported range of `fragment` for `window`, the bytes held now; `last`:
  // no byte of the text follows them. The caller sets the origin.
  void place(Fragment& fragment, std::string_view window, bool last) const;

  // Moves on past `window` (not the last one), and returns how many of its bytes the next window drops:
  // it starts with window[returned value...], kKept bytes. REQUIRES: window.size() > kKept.
  std::size_t advance(std::string_view window);
  // Findings of the current window that lie on its first line count their column from the window's
  // start; this adds the bytes of that line that earlier windows held (issue #23: columns past 16 MB).
  void make_columns_absolute(std::vector<Finding>& found) const;

 private:
  std::size_t report_from_ = 0;  // 0 in the first window; kChunkOverlap in the others
  int first_line_ = 1;
  std::size_t carried_ = 0;  // bytes of the window's first line before the window
};

}  // namespace keygate
