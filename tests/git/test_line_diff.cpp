// Tests for line_diff.cpp: the added lines are exactly the complement of a longest common subsequence,
// checked against a dynamic-programming LCS on random edits.
#include <catch2/catch.hpp>
#include <random>

#include "git/line_diff.hpp"

using namespace keygate;

namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::size_t lcs(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::vector<std::vector<std::size_t>> t(a.size() + 1, std::vector<std::size_t>(b.size() + 1, 0));
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      t[i][j] = a[i - 1] == b[j - 1] ? t[i - 1][j - 1] + 1 : std::max(t[i - 1][j], t[i][j - 1]);
    }
  }
  return t[a.size()][b.size()];
}

bool is_subsequence(const std::vector<std::string>& sub, const std::vector<std::string>& of) {
  std::size_t i = 0;
  for (const std::string& s : of) {
    if (i < sub.size() && sub[i] == s) ++i;
  }
  return i == sub.size();
}

}  // namespace

TEST_CASE("simple edits") {
  CHECK(added_lines("a\nb\nc\n", "a\nb\nc\n").empty());
  CHECK(added_lines("a\nb\nc\n", "a\nc\n").empty());
  const auto one = added_lines("a\nb\nc\n", "a\nb\nX\nc\n");
  REQUIRE(one.size() == 1);
  CHECK(one[0].first == 3);
  CHECK(one[0].last == 3);
  const auto all = added_lines("", "x\ny\n");
  REQUIRE(all.size() == 1);
  CHECK(all[0].first == 1);
  CHECK(all[0].last == 2);
  const auto changed = added_lines("a\nb\nc", "a\nB\nc");
  REQUIRE(changed.size() == 1);
  CHECK(changed[0].first == 2);
}

TEST_CASE("random edits: the lines kept form a longest common subsequence") {
  std::mt19937 rng(12345);
  for (int round = 0; round < 400; ++round) {
    std::string a, b;
    const int n = static_cast<int>(rng() % 40), vocabulary = 1 + static_cast<int>(rng() % 8);
    std::vector<std::string> base;
    for (int i = 0; i < n; ++i) base.push_back("l" + std::to_string(rng() % vocabulary));
    std::vector<std::string> edited = base;
    for (int e = static_cast<int>(rng() % 10); e > 0; --e) {
      const std::size_t at = edited.empty() ? 0 : rng() % (edited.size() + 1);
      if (rng() % 2 && !edited.empty() && at < edited.size()) {
        edited.erase(edited.begin() + static_cast<long>(at));
      } else {
        edited.insert(edited.begin() + static_cast<long>(at), "n" + std::to_string(rng() % vocabulary));
      }
    }
    for (const auto& l : base) a += l + "\n";
    for (const auto& l : edited) b += l + "\n";
    const auto ranges = added_lines(a, b);
    std::vector<std::string> kept;
    std::size_t added = 0;
    for (std::size_t i = 0; i < edited.size(); ++i) {
      const int line = static_cast<int>(i) + 1;
      const bool is_added = std::any_of(ranges.begin(), ranges.end(), [&](const LineRange& r) {
        return r.first <= line && line <= r.last;
      });
      if (is_added) {
        ++added;
      } else {
        kept.push_back(edited[i]);
      }
    }
    INFO("round " << round);
    CHECK(is_subsequence(kept, lines_of(a)));
    CHECK(edited.size() - added == lcs(lines_of(a), edited));
  }
}

TEST_CASE("a huge rewrite falls back to every changed line, never fewer") {
  std::string a, b;
  for (int i = 0; i < 5000; ++i) a += "old" + std::to_string(i) + "\n";
  for (int i = 0; i < 5000; ++i) b += "new" + std::to_string(i) + "\n";
  const auto ranges = added_lines(a, b);
  REQUIRE(ranges.size() == 1);
  CHECK(ranges[0].first == 1);
  CHECK(ranges[0].last == 5000);
}
