// This file implements the added-lines diff (see line_diff.hpp).
#include "git/line_diff.hpp"

#include <algorithm>
#include <cstdint>
#include <functional>

namespace keygate {
namespace {

// Edits beyond this many (insertions plus deletions) are not worth the quadratic trace: the changed
// middle is then taken as added in full.
constexpr int kMaxEdits = 2000;

struct Line {
  std::string_view text;
  std::size_t hash;
  bool operator==(const Line& o) const { return hash == o.hash && text == o.text; }
};

std::vector<Line> split_lines(std::string_view text) {
  std::vector<Line> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(start, end - start);
    lines.push_back({line, std::hash<std::string_view>{}(line)});
    start = end + 1;
  }
  return lines;
}

void add_line(std::vector<LineRange>& ranges, int line) {
  if (!ranges.empty() && ranges.back().last + 1 == line) {
    ranges.back().last = line;
  } else {
    ranges.push_back({line, line});
  }
}

}  // namespace

std::vector<LineRange> added_lines(std::string_view old_text, std::string_view new_text) {
  const std::vector<Line> a_all = split_lines(old_text), b_all = split_lines(new_text);
  std::size_t prefix = 0;
  while (prefix < a_all.size() && prefix < b_all.size() && a_all[prefix] == b_all[prefix]) ++prefix;
  std::size_t suffix = 0;
  while (suffix < a_all.size() - prefix && suffix < b_all.size() - prefix &&
         a_all[a_all.size() - 1 - suffix] == b_all[b_all.size() - 1 - suffix]) {
    ++suffix;
  }
  const Line* a = a_all.data() + prefix;
  const Line* b = b_all.data() + prefix;
  const int n = static_cast<int>(a_all.size() - prefix - suffix);
  const int m = static_cast<int>(b_all.size() - prefix - suffix);
  std::vector<LineRange> ranges;
  const int first = static_cast<int>(prefix) + 1;  // line number of b[0]
  if (m == 0) return ranges;
  auto all_added = [&] {
    ranges.clear();
    ranges.push_back({first, first + m - 1});
    return ranges;
  };
  if (n == 0) return all_added();

  // Myers: v[k] is the furthest x on diagonal k (k = x - y) after d edits; trace[d] keeps v over
  // [-d, d] so that the path can be walked back.
  const int limit = std::min(n + m, kMaxEdits);
  const int offset = limit + 1;
  std::vector<int> v(static_cast<std::size_t>(2 * limit + 3), 0);
  std::vector<std::vector<int>> trace;
  int found_d = -1;
  for (int d = 0; d <= limit && found_d < 0; ++d) {
    trace.emplace_back(v.begin() + (offset - d - 1), v.begin() + (offset + d + 2));
    for (int k = -d; k <= d; k += 2) {
      int x = (k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1])) ? v[offset + k + 1]
                                                                             : v[offset + k - 1] + 1;
      int y = x - k;
      while (x < n && y < m && a[x] == b[y]) ++x, ++y;
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found_d = d;
        break;
      }
    }
  }
  if (found_d < 0) return all_added();

  // Walk back from (n, m): each step down (k + 1 -> k) inserted line b[y_prev].
  std::vector<int> inserted;
  int x = n, y = m;
  for (int d = found_d; d > 0; --d) {
    const std::vector<int>& prev = trace[static_cast<std::size_t>(d)];  // v as it was before step d
    auto at = [&](int k) { return prev[static_cast<std::size_t>(k + d + 1)]; };
    const int k = x - y;
    const bool down = k == -d || (k != d && at(k - 1) < at(k + 1));
    const int prev_k = down ? k + 1 : k - 1;
    const int prev_x = at(prev_k);
    const int prev_y = prev_x - prev_k;
    if (down) inserted.push_back(prev_y);
    x = prev_x;
    y = prev_y;
  }
  std::sort(inserted.begin(), inserted.end());
  for (int i : inserted) add_line(ranges, first + i);
  return ranges;
}

}  // namespace keygate
