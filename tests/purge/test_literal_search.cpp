// Tests for literal_search.cpp: the sampled filter never hides an occurrence (every length, every offset,
// overlapping literals, occurrences across the windows of two samples), and the automaton agrees with a
// naive search on random text.
#include <catch2/catch.hpp>
#include <set>

#include "purge/literal_search.hpp"
#include "support/repo.hpp"

using namespace keygate;
using namespace keygate::purge;
using namespace keygate::test;

namespace {

std::set<std::size_t> found_by(const LiteralSearch& search, std::string_view text) {
  std::set<std::size_t> found;
  search.search(text, [&](std::size_t literal, std::size_t offset) {
    CHECK(text.substr(offset, search.literal(literal).size()) == search.literal(literal));
    found.insert(literal);
  });
  return found;
}

std::set<std::size_t> naive(const std::vector<std::string>& literals, std::string_view text) {
  std::set<std::size_t> found;
  for (std::size_t i = 0; i < literals.size(); ++i) {
    if (text.find(literals[i]) != std::string_view::npos) found.insert(i);
  }
  return found;
}

}  // namespace

TEST_CASE("purge_literal_search: every occurrence at every offset is found", "[purge]") {
  const std::string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  for (std::size_t length : {4u, 5u, 9u, 23u, 64u}) {
    const std::string literal = random_string(length, length, alphabet);
    const LiteralSearch search({literal, random_string(length + 100, length + 7, alphabet)});
    for (std::size_t at = 0; at < 80; ++at) {
      const std::string text = std::string(at, ' ') + literal + std::string(at % 7, '.');
      CHECK(found_by(search, text) == std::set<std::size_t>{0});
    }
  }
}

TEST_CASE("purge_literal_search: short literals fall back to the automaton alone", "[purge]") {
  const LiteralSearch search({"ab", "xyz123"});
  CHECK(found_by(search, "..ab..") == std::set<std::size_t>{0});
  CHECK(found_by(search, "xyz12 xyz123") == std::set<std::size_t>{1});
  CHECK(found_by(search, "").empty());
}

TEST_CASE("purge_literal_search: overlapping and nested literals", "[purge]") {
  const std::vector<std::string> literals = {"abcdefgh", "cdefghijkl", "efgh", "hijk"};
  const LiteralSearch search(literals);
  CHECK(found_by(search, "zzabcdefghijklzz") == std::set<std::size_t>{0, 1, 2, 3});
  CHECK(found_by(search, "zzcdefghijzz") == std::set<std::size_t>{2});
}

TEST_CASE("purge_literal_search: agrees with a naive search on random text", "[purge]") {
  const std::string alphabet = "abcd";  // a small alphabet: many partial matches and failure links
  std::vector<std::string> literals;
  for (std::uint64_t k = 0; k < 12; ++k) literals.push_back(random_string(500 + k, 4 + k % 6, alphabet));
  const LiteralSearch search(literals);
  for (std::uint64_t seed = 0; seed < 200; ++seed) {
    const std::string text = random_string(seed, 50 + seed * 3, alphabet);
    CHECK(found_by(search, text) == naive(literals, text));
  }
}
