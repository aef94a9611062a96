// This file implements the one UTF-8 check keygate needs in two places: JSON output (invalid bytes become
// U+FFFD) and config files (TOML must be UTF-8).
#pragma once

#include <cstddef>
#include <string>
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

// `s` with every byte a terminal could act on written as \xNN: C0 controls (ESC, newline, ...), DEL, the C1
// controls U+0080..U+009F and bytes that are not valid UTF-8. Everything else, backslashes included, is kept,
// so ordinary names print unchanged. Used for file names in text output, in .keygateignore comments and in
// fingerprints (which must stay one printable, valid UTF-8 line in every format).
inline std::string escape_control(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(s.size());
  auto escape = [&](unsigned char c) {
    out += "\\x";
    out += kHex[c >> 4];
    out += kHex[c & 15];
  };
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t n = utf8_sequence_length(s, i);
    if (c < 0x20 || c == 0x7f || n == 0) {
      escape(c), ++i;
    } else if (n == 2 && c == 0xC2 && static_cast<unsigned char>(s[i + 1]) < 0xA0) {
      escape(c), escape(static_cast<unsigned char>(s[i + 1])), i += 2;
    } else {
      out.append(s.substr(i, n)), i += n;
    }
  }
  return out;
}

}  // namespace keygate
