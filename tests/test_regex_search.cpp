// Tests for regex_search.cpp: the split search finds exactly the matches and groups RE2 finds for the
// whole pattern, over texts made to hold many near-matches.
#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <vector>

#include "regex_search.hpp"
#include "rules.hpp"

using namespace keygate;

namespace {

struct Step {
  std::size_t begin, end;
  std::vector<std::string> groups;
  bool operator==(const Step& o) const { return begin == o.begin && end == o.end && groups == o.groups; }
};

// The matcher's loop (scan_rule): each match, then resume one past its start or at its end.
std::vector<Step> all_matches(const RegexSearch& search, const std::string& s, std::size_t from,
                              std::size_t to) {
  std::vector<Step> out;
  const re2::StringPiece text(s);
  const int n = search.groups() + 1;
  std::vector<re2::StringPiece> group(static_cast<std::size_t>(n));
  RegexMatch at;
  for (std::size_t pos = from; pos <= to && search.find(text, pos, to, &at);) {
    REQUIRE(search.submatches(text, at, group.data(), n));
    Step step{at.begin, at.end, {}};
    for (const auto& g : group) step.groups.push_back(g.data() ? std::string(g.data(), g.size()) : "<none>");
    out.push_back(step);
    pos = std::max(at.end, at.begin + 1);
  }
  return out;
}

std::unique_ptr<const RegexSearch> searcher(const std::string& pattern) {
  std::string error;
  auto search = RegexSearch::compile(pattern, &error);
  REQUIRE(search);
  return search;
}

}  // namespace

TEST_CASE("RegexSearch: the lazy-run split finds what the whole pattern finds") {
  const std::vector<std::string> patterns = {
      R"((?i)[\w.-]{0,50}?(?:access|key|token)(?:[ \t\w.-]{0,20})[\s'"]{0,3}(?:=|:)[\x60'"\s=]{0,5}([\w.=-]{4,20}|[a-z0-9][a-z0-9+/]{5,}={0,3})(?:[\x60'"\s;]|$))",
      R"([\w.-]{0,4}?(?:ab|b)(c*)\b)",
      R"((?i)[a-c]{0,3}?(?-i:B)([a-c]+))",
      R"(\w{0,6}?(?:^|x)(y?))",
      R"((?s).{0,5}?(?i:key)(.)\b)",
  };
  std::mt19937 random(16);
  // Pieces of near-matches: names, operators, quotes, values, line breaks.
  const std::vector<std::string> pieces = {
      "a", "b",  "c",  "x", "y",  "B", "key", "KEY", "Key",    "token",  "access", "=", ":",
      " ", "\t", "\n", "'", "\"", ".", "-",   "_",   "abc123", "Zq9+/w", "==",     ";", "my.app-"};
  for (const std::string& pattern : patterns) {
    const auto split = searcher(pattern);
    REQUIRE(split->whole() == nullptr);
    const auto whole = searcher("(?:" + pattern + ")");  // a group: not split, searches as RE2 does
    REQUIRE(whole->whole() != nullptr);
    std::size_t matches = 0;  // the texts must hold matches, or the comparison proves nothing
    for (int round = 0; round < 500; ++round) {
      std::string text;
      for (std::size_t n = std::uniform_int_distribution<std::size_t>(0, 40)(random); n > 0; --n) {
        text += pieces[std::uniform_int_distribution<std::size_t>(0, pieces.size() - 1)(random)];
      }
      const std::size_t from = std::uniform_int_distribution<std::size_t>(0, text.size() / 3)(random);
      const std::size_t to =
          text.size() - std::uniform_int_distribution<std::size_t>(0, text.size() / 3)(random);
      INFO(pattern << " on \"" << text << "\" [" << from << ", " << to << ")");
      const std::vector<Step> expected = all_matches(*whole, text, from, to);
      CHECK(all_matches(*split, text, from, to) == expected);
      matches += expected.size();
    }
    CHECK(matches > 30);
  }
}

TEST_CASE("RegexSearch: other shapes are searched whole") {
  for (const std::string pattern : {R"([a-z]{0,5}?x|y)", R"((?U)[a-z]{0,5}?x)", R"([a-z]{1,5}?x)",
                                    R"([a-z]{0,5}x)", R"(x[a-z]{0,5}?y)", R"(abc)"}) {
    CHECK(searcher(pattern)->whole() != nullptr);
  }
}

TEST_CASE("RegexSearch: an invalid pattern gets RE2's message for the whole pattern") {
  for (const std::string pattern : {R"((?i)[a-z]{0,5}?(x)", R"([a-z{0,5}?x)", R"([a-z]{0,1001}?x)",
                                    R"((?z)[a-z]{0,5}?x)", R"([z-a]{0,5}?x)"}) {
    std::string from_search, from_re2;
    CHECK(RegexSearch::compile(pattern, &from_search) == nullptr);
    CHECK(compile_regex(pattern, &from_re2) == nullptr);
    CHECK(from_search == from_re2);
  }
}
