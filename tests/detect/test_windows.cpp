// Tests for windows.cpp: the merged windows per rule, with the line breaks listed once (many occurrences)
// or searched around each occurrence (few), are those of window_around for each occurrence, merged.
#include <algorithm>
#include <catch2/catch.hpp>
#include <random>
#include <tuple>

#include "config/config.hpp"
#include "detect/windows.hpp"

using namespace keygate;

namespace {

// The merge as the matcher first did it: occurrences sorted by rule, a window each, overlapping ones joined;
// an occurrence that does not open a window only widens one it touches.
std::vector<RuleWindow> reference(std::string_view text, std::vector<KeywordIndex::Hit> hits,
                                  const RuleSet& rules) {
  std::stable_sort(hits.begin(), hits.end(), [](const auto& a, const auto& b) { return a.rule < b.rule; });
  std::vector<RuleWindow> out;
  for (const KeywordIndex::Hit& h : hits) {
    RuleWindow w = window_around(text, h.end, rules.rules()[h.rule]->spans_lines());
    w.rule = h.rule;
    if (!out.empty() && out.back().rule == h.rule && w.begin <= out.back().end) {
      out.back().end = std::max(out.back().end, w.end);
    } else if (h.opens) {
      out.push_back(w);
    }
  }
  return out;
}

bool same(const std::vector<RuleWindow>& a, const std::vector<RuleWindow>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const RuleWindow& x, const RuleWindow& y) {
    return std::tie(x.rule, x.begin, x.end) == std::tie(y.rule, y.begin, y.end);
  });
}

}  // namespace

TEST_CASE("rule_windows: the windows of each occurrence, merged per rule, for dense and sparse occurrences") {
  const RuleSet rules(
      parse_config("[[rules]]\nid = 'line'\nregex = 'k=\\w+'\nkeywords = ['k']\n"
                   "[[rules]]\nid = 'block'\nregex = 'B[\\s\\S]*E'\nkeywords = ['b']\n"
                   "[[rules]]\nid = 'other'\nregex = 'o\\w+'\nkeywords = ['o']\n",
                   "rules.toml"));
  REQUIRE(rules.rules()[1]->spans_lines());
  REQUIRE_FALSE(rules.rules()[0]->spans_lines());
  std::mt19937 random(7);
  std::vector<RuleWindow> got;
  for (int round = 0; round < 400; ++round) {
    // Lines of 0 to 3000 bytes (some longer than a window's byte bounds), in texts up to 200 KB.
    std::string text;
    const std::size_t lines = std::uniform_int_distribution<std::size_t>(0, 60)(random);
    for (std::size_t l = 0; l < lines; ++l) {
      const bool long_line = std::uniform_int_distribution<int>(0, 9)(random) == 0;
      text.append(std::uniform_int_distribution<std::size_t>(0, long_line ? 20000 : 80)(random), 'x');
      text += '\n';
    }
    if (text.empty()) continue;
    // Dense (one in 10 bytes or more) or sparse occurrences, in text order.
    const bool dense = round % 2 == 0;
    const std::size_t count =
        dense ? text.size() / 10 + 1 : std::uniform_int_distribution<std::size_t>(1, 5)(random);
    std::vector<KeywordIndex::Hit> hits;
    for (std::size_t i = 0; i < count; ++i) {
      // A third of the rounds mark some occurrences as not opening a window (a hit gate's).
      const bool opens = round % 3 != 0 || std::uniform_int_distribution<int>(0, 3)(random) == 0;
      hits.push_back(
          {std::uniform_int_distribution<std::uint32_t>(0, 2)(random),
           static_cast<std::uint32_t>(std::uniform_int_distribution<std::size_t>(1, text.size())(random)),
           opens});
    }
    std::stable_sort(hits.begin(), hits.end(), [](const auto& a, const auto& b) { return a.end < b.end; });
    rule_windows(text, hits, rules, got);
    INFO("round " << round << ", " << text.size() << " bytes, " << hits.size() << " occurrences");
    CHECK(same(got, reference(text, hits, rules)));
  }
}
