// This file declares the search for runs of base64 characters that the decoder's candidate pass
// (detect/decode_spans.cpp) makes over every byte it scans: where the next long run begins and where a run
// ends, many bytes at a time (AVX2 where the CPU has it, SSE2 otherwise).
#pragma once

#include <cstddef>
#include <string_view>

namespace keygate {

// A base64 character of either alphabet: A-Z a-z 0-9 + / - _ ('=' padding is not one).
inline bool base64_run_byte(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/' ||
         c == '-' || c == '_';
}

// Which instructions the searches may use: the best the CPU has, or only the portable ones (the tests
// compare the two).
enum class RunSimd { Best, Portable };

// The first position p >= from where 16 base64 characters in a row begin, or npos.
std::size_t find_base64_run16(std::string_view s, std::size_t from, RunSimd simd = RunSimd::Best);

// The first position p >= from whose byte is not a base64 character, or s.size().
std::size_t base64_run_end(std::string_view s, std::size_t from, RunSimd simd = RunSimd::Best);

}  // namespace keygate
