// This file implements the one UTF-8 check keygate needs in two places: JSON output (invalid bytes become
// U+FFFD) and config files (TOML must be UTF-8).
#pragma once

#include <cstddef>
#include <string_view>

namespace keygate {

// The length of the valid UTF-8 sequence starting at s[i] (1 to 4), or 0 if none starts there.
// REQUIRES: i < s.size().
inline std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  const std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
  if (n == 0 || i + n > s.size() || (n == 2 && c < 0xC2)) return 0;  // (C0, C1: overlong)
  for (std::size_t k = 1; k < n; ++k) {
    if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2) return 0;
  }
  return n;
}

}  // namespace keygate
