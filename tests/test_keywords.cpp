// Tests for keywords.cpp: the Aho-Corasick prefilter.
#include <catch2/catch.hpp>

#include "keywords.hpp"

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
