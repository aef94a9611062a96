// This file implements the rule windows (see windows.hpp). Texts with many keyword occurrences (gitleaks'
// keyword "sk" occurs 416,000 times in the benchmark corpus) have their line breaks listed once, so that
// each occurrence's window costs a few comparisons instead of five searches for line breaks.
#include "detect/windows.hpp"

#include <algorithm>
#include <cstring>
#include <optional>

namespace keygate {
namespace {

constexpr std::size_t kNone = static_cast<std::size_t>(-1);

// A window per line-bound occurrence, from the text's line breaks, listed once. Occurrences must come in
// text order. Gives window_around's answer for spans_lines == false (the two are compared in the tests).
class LineBreaks {
 public:
  explicit LineBreaks(std::string_view text) : text_(text) {
    for (const char* p = text.data();
         const void* nl = std::memchr(p, '\n', text.size() - (p - text.data()));) {
      breaks_.push_back(static_cast<std::size_t>(static_cast<const char*>(nl) - text.data()));
      p = static_cast<const char*>(nl) + 1;
    }
  }
  RuleWindow window(std::size_t hit_end) {
    while (next_ < breaks_.size() && breaks_[next_] < hit_end) ++next_;
    // window_around: from just after the second line break before the hit, to just after the third one at
    // or after it, within the byte bounds.
    const std::size_t floor = hit_end > kWindowBefore ? hit_end - kWindowBefore : 0;
    const std::size_t ceiling = std::min(text_.size(), hit_end + kWindowAfter);
    const std::size_t begin = next_ >= 2 ? std::max(floor, breaks_[next_ - 2] + 1) : floor;
    const std::size_t end = next_ + 2 < breaks_.size() ? std::min(ceiling, breaks_[next_ + 2] + 1) : ceiling;
    return {0, begin, end};
  }

 private:
  std::string_view text_;
  std::vector<std::size_t> breaks_;
  std::size_t next_ = 0;  // the first line break at or after the last occurrence
};

}  // namespace

RuleWindow window_around(std::string_view text, std::size_t hit_end, bool spans_lines) {
  if (spans_lines) {
    return {0, hit_end > kWindowBefore ? hit_end - kWindowBefore : 0,
            std::min(text.size(), hit_end + kWindowAfter)};
  }
  const char* base = text.data();
  std::size_t begin = hit_end;
  const std::size_t floor = hit_end > kWindowBefore ? hit_end - kWindowBefore : 0;
  for (int newlines = 0; begin > floor;) {
    const void* nl = memrchr(base + floor, '\n', begin - floor);
    if (nl == nullptr) {
      begin = floor;
      break;
    }
    begin = static_cast<std::size_t>(static_cast<const char*>(nl) - base);
    if (++newlines == 2) {
      ++begin;  // keep the whole line before the hit's line, not the newline before it
      break;
    }
  }
  std::size_t end = hit_end;
  const std::size_t ceiling = std::min(text.size(), hit_end + kWindowAfter);
  for (int newlines = 0; end < ceiling;) {
    const void* nl = std::memchr(base + end, '\n', ceiling - end);
    if (nl == nullptr) {
      end = ceiling;
      break;
    }
    end = static_cast<std::size_t>(static_cast<const char*>(nl) - base) + 1;
    if (++newlines == 3) break;
  }
  return {0, begin, end};
}

void rule_windows(std::string_view text, const std::vector<KeywordIndex::Hit>& hits, const RuleSet& rules,
                  std::vector<RuleWindow>& out) {
  out.clear();
  if (hits.empty()) return;
  // Listing the line breaks costs a pass over the text; searching around each occurrence costs about
  // five short searches. The list pays from about one occurrence per 256 bytes.
  // Occurrences that open no window (a hit gate's) mostly cost nothing here: they are not counted.
  std::optional<LineBreaks> breaks;
  const auto opening =
      std::count_if(hits.begin(), hits.end(), [](const KeywordIndex::Hit& h) { return h.opens; });
  if (static_cast<std::size_t>(opening) * 256 > text.size()) breaks.emplace(text);
  // Each rule's open window (begin == kNone: none yet), closed into `out` when the next one is apart. The
  // table has a row per rule (hundreds): it is kept per thread, and only the rows the last call touched
  // are reset (at the start, so that a call cut short by an exception leaves none behind).
  struct Open {
    std::size_t begin = kNone, end = 0;
    signed char spans_lines = -1;
  };
  thread_local std::vector<Open> open;
  thread_local std::vector<std::uint32_t> touched;
  for (const std::uint32_t r : touched) open[r] = Open{};
  touched.clear();
  if (open.size() < rules.rules().size()) open.resize(rules.rules().size());
  for (const KeywordIndex::Hit& hit : hits) {
    Open& o = open[hit.rule];
    if (o.spans_lines < 0) {
      o.spans_lines = rules.rules()[hit.rule]->spans_lines() ? 1 : 0;
      touched.push_back(hit.rule);
    }
    // An occurrence that cannot begin a match only widens the open window it touches.
    if (!hit.opens && o.begin == kNone) continue;
    const RuleWindow w = breaks && o.spans_lines == 0 ? breaks->window(hit.end)
                                                      : window_around(text, hit.end, o.spans_lines > 0);
    if (o.begin != kNone && w.begin <= o.end) {
      o.end = std::max(o.end, w.end);
      continue;
    }
    if (o.begin != kNone) out.push_back({hit.rule, o.begin, o.end});
    o.begin = hit.opens ? w.begin : kNone;  // a later occurrence cannot touch the window closed here
    o.end = w.end;
  }
  // Each rule's last window; the order among rules does not matter (sorted by rule below, stably: one
  // rule's windows keep their order).
  for (const std::uint32_t r : touched) {
    if (open[r].begin != kNone) out.push_back({r, open[r].begin, open[r].end});
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const RuleWindow& a, const RuleWindow& b) { return a.rule < b.rule; });
}

}  // namespace keygate
