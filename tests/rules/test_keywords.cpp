// Tests for keywords.cpp: the Aho-Corasick prefilter.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>

#include "rules/keywords.hpp"

using keygate::KeywordIndex;

namespace {
std::vector<unsigned char> hits_in(const KeywordIndex& index, std::string_view text, std::size_t rules) {
  std::vector<unsigned char> hits(rules, 0);
  index.find(text, hits);
  return hits;
}
}  // namespace

TEST_CASE("keywords are found case-insensitively, each for its own rule") {
  const KeywordIndex index({{"tgp_v1_"}, {"together", "tg"}, {"secret"}, {}});
  CHECK(hits_in(index, "x = TGP_V1_abc", 4) == std::vector<unsigned char>{1, 1, 0, 0});
  CHECK(hits_in(index, "Together", 4) == std::vector<unsigned char>{0, 1, 0, 0});
  CHECK(hits_in(index, "my SeCrEt", 4) == std::vector<unsigned char>{0, 0, 1, 0});
  CHECK(hits_in(index, "nothing here", 4) == std::vector<unsigned char>{0, 0, 0, 0});
}

TEST_CASE("overlapping and nested keywords are all reported") {
  const KeywordIndex index({{"abcd"}, {"bc"}, {"cde"}});
  CHECK(hits_in(index, "xabcdex", 3) == std::vector<unsigned char>{1, 1, 1});
  CHECK(hits_in(index, "abcabd", 3) == std::vector<unsigned char>{0, 1, 0});
}

TEST_CASE("a keyword at the very end or start of the text is found") {
  const KeywordIndex index({{"key"}});
  CHECK(hits_in(index, "key", 1)[0] == 1);
  CHECK(hits_in(index, "kkkey", 1)[0] == 1);
  CHECK(hits_in(index, "ke", 1)[0] == 0);
}

TEST_CASE("bytes outside ASCII never crash nor match") {
  const KeywordIndex index({{"key"}});
  std::string all;
  for (int b = 0; b < 256; ++b) all += static_cast<char>(b);
  CHECK(hits_in(index, all, 1)[0] == 0);
}

TEST_CASE("a keyword repeated along one line gives few hits, one per line still") {
  // A run of one letter matches a keyword of that letter at every byte; hostile input must not turn it into
  // a hit per byte (memory), while every line keeps a hit of its own (the matcher's windows are per line).
  const KeywordIndex index({{"aaaaaaaaaaaaaaaaaaaaa"}, {"b"}});
  for (const std::size_t n : {std::size_t{1000}, std::size_t{1} << 20}) {
    std::vector<KeywordIndex::Hit> hits;
    index.find_all(std::string(n, 'A'), hits);
    CHECK(!hits.empty());
    CHECK(hits.size() <= n / 32 + 4);
  }
  std::vector<KeywordIndex::Hit> hits;
  index.find_all("AAAAAAAAAAAAAAAAAAAAA\nAAAAAAAAAAAAAAAAAAAAA\nb", hits);
  CHECK(hits.size() == 3);
}

TEST_CASE("find_all over a long text gives every occurrence once, across the parts its lanes scan") {
  // Texts of 4 KB and more are scanned in eight parts at once; an occurrence that straddles a boundary
  // between parts, or ends exactly on one, must be found once. Compared with a plain search.
  const std::vector<std::vector<std::string>> keywords = {{"abc"}, {"bcd", "zz"}, {"cdefghij"}, {"q"}};
  const KeywordIndex index(keywords);
  std::uint64_t seed = 12345;
  auto next = [&seed] {
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<std::size_t>(seed >> 33);
  };
  for (const std::size_t size :
       {std::size_t{4096}, std::size_t{4099}, std::size_t{10007}, std::size_t{65536}}) {
    std::string text(size, '.');
    for (std::size_t i = 0; i < size; i += 1 + next() % 7) text[i] = '\n';
    std::vector<std::size_t> places;
    for (std::size_t l = 1; l < 8; ++l) {  // around each boundary between parts
      for (std::size_t d = 0; d < 10; ++d) places.push_back(l * (size / 8) - d);
    }
    for (int k = 0; k < 40; ++k) places.push_back(next() % size);
    for (const std::size_t at : places) {
      const auto& rule = keywords[next() % keywords.size()];
      std::string word = rule[next() % rule.size()];
      if (next() % 2) word[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(word[0])));
      // On a line of its own: two occurrences of one rule's keywords close on one line are one hit.
      if (at + word.size() + 2 <= size) text.replace(at, word.size() + 2, "\n" + word + "\n");
    }
    std::string lower = text;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::vector<std::pair<std::size_t, std::uint32_t>> expected;  // (end, rule)
    for (std::size_t end = 1; end <= size; ++end) {
      for (std::uint32_t r = 0; r < keywords.size(); ++r) {
        for (const std::string& k : keywords[r]) {
          if (k.size() <= end && lower.compare(end - k.size(), k.size(), k) == 0) {
            expected.emplace_back(end, r);
            break;
          }
        }
      }
    }
    REQUIRE(text.size() == size);
    std::vector<KeywordIndex::Hit> hits;
    index.find_all(text, hits);
    std::vector<std::pair<std::size_t, std::uint32_t>> found;
    for (const KeywordIndex::Hit& h : hits) found.emplace_back(h.end, h.rule);
    std::sort(found.begin(), found.end());
    INFO("text of " << size << " bytes");
    CHECK(found == expected);
  }
}

TEST_CASE("find_all finds an occurrence that ends on, before or after a boundary between parts once") {
  const std::vector<std::vector<std::string>> keywords = {{"abc"}, {"q"}, {"cdefghij"}};
  const KeywordIndex index(keywords);
  for (const std::size_t size : {std::size_t{4096}, std::size_t{4103}}) {
    for (std::size_t boundary = 1; boundary < 8; ++boundary) {  // the eight parts' boundaries
      for (const auto& rule : keywords) {
        const std::string& word = rule[0];
        for (std::size_t shift = 0; shift <= word.size() + 1; ++shift) {
          const std::size_t end = boundary * (size / 8) + shift - 1;  // ends at boundary - 1 ... + size
          std::string text(size, '.');
          text.replace(end - word.size(), word.size(), word);
          std::vector<KeywordIndex::Hit> hits;
          index.find_all(text, hits);
          INFO(word << " ending at " << end << " of " << size);
          REQUIRE(hits.size() == 1);
          CHECK(hits[0].end == end);
        }
      }
    }
  }
}
