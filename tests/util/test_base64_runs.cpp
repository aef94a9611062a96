// Tests for base64_runs.hpp: the block-at-a-time searches give the answers of a byte-at-a-time search,
// with the CPU's best instructions and with the portable ones, on every byte value and across blocks.
#include <catch2/catch.hpp>
#include <cstdint>
#include <string>

#include "util/base64_runs.hpp"

using namespace keygate;

namespace {

std::size_t naive_run16(std::string_view s, std::size_t from) {
  for (std::size_t i = from, run = 0; i < s.size(); ++i) {
    run = base64_run_byte(s[i]) ? run + 1 : 0;
    if (run == 16) return i - 15;
  }
  return std::string_view::npos;
}

std::size_t naive_end(std::string_view s, std::size_t from) {
  while (from < s.size() && base64_run_byte(s[from])) ++from;
  return from;
}

}  // namespace

TEST_CASE("base64_run_byte is the two alphabets and nothing else") {
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_";
  for (int b = 0; b < 256; ++b) {
    const char c = static_cast<char>(b);
    CHECK(base64_run_byte(c) == (alphabet.find(c) != std::string::npos));
  }
}

TEST_CASE("the base64 run searches agree with a byte-at-a-time search, every byte value, across blocks") {
  // Every byte value alone in a run: the block classifiers see each one at every position of a block.
  for (int b = 0; b < 256; ++b) {
    for (const std::size_t at : {std::size_t{0}, std::size_t{15}, std::size_t{31}, std::size_t{40},
                                 std::size_t{63}, std::size_t{64}, std::size_t{100}}) {
      std::string s(200, 'A');
      s[at] = static_cast<char>(b);
      INFO("byte " << b << " at " << at);
      for (const RunSimd simd : {RunSimd::Best, RunSimd::Portable}) {
        CHECK(base64_run_end(s, 0, simd) == naive_end(s, 0));
        CHECK(find_base64_run16(s, at + 1 > 16 ? at - 16 : 0, simd) ==
              naive_run16(s, at + 1 > 16 ? at - 16 : 0));
      }
    }
  }
  // Random texts of runs of every length, separated by other bytes, searched from every place.
  std::uint64_t seed = 2026;
  auto next = [&seed] {
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<std::size_t>(seed >> 33);
  };
  const std::string inside = "Az09+/-_";
  const std::string outside = " .,=:\n\"@[`{\x7f\x80\xff";
  for (int round = 0; round < 300; ++round) {
    std::string s;
    const std::size_t size = next() % 400;
    while (s.size() < size) {
      const std::size_t run = next() % 40;
      for (std::size_t k = 0; k < run; ++k) s += inside[next() % inside.size()];
      s += outside[next() % outside.size()];
    }
    for (std::size_t from = 0; from <= s.size(); ++from) {
      INFO("text " << round << " from " << from);
      for (const RunSimd simd : {RunSimd::Best, RunSimd::Portable}) {
        REQUIRE(find_base64_run16(s, from, simd) == naive_run16(s, from));
        REQUIRE(base64_run_end(s, from, simd) == naive_end(s, from));
      }
    }
  }
}
