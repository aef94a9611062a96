// This file implements where each rule's regex runs in a fragment (matcher.cpp, detect): a window around
// every occurrence of one of its keywords (KeywordIndex::find_all), overlapping windows merged per rule.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "rules/keywords.hpp"
#include "rules/rules.hpp"

namespace keygate {

struct RuleWindow {
  std::uint32_t rule;
  std::size_t begin, end;  // text[begin, end)
};

// The part of a text a keyword occurrence ending at `hit_end` makes worth searching: from the line before
// it (at most kWindowBefore bytes) to two lines after it (at most kWindowAfter bytes). Rule regexes put their
// keyword inside or next to the match (gitleaks' XML samples put the secret on the line after its name,
// its curl samples the header two lines below the command). A regex that may cross many lines
// (`spans_lines`: a private key, a Kubernetes secret) gets kWindowBefore bytes before the keyword and
// kWindowAfter after, whatever the number of lines.
constexpr std::size_t kWindowBefore = 1024;
constexpr std::size_t kWindowAfter = 16 * 1024;
RuleWindow window_around(std::string_view text, std::size_t hit_end, bool spans_lines);

// Replaces `out` with the merged windows of `hits` (in text order, as find_all gives them), ordered by
// rule, then by position: the windows of one rule that overlap or touch are one window.
// REQUIRES: `hits` are of `rules`' keyword index.
void rule_windows(std::string_view text, const std::vector<KeywordIndex::Hit>& hits, const RuleSet& rules,
                  std::vector<RuleWindow>& out);

}  // namespace keygate
