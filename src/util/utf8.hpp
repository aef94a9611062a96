// This file implements keygate's one UTF-8 check (JSON output: invalid bytes become U+FFFD; config files:
// TOML must be UTF-8), its one UTF-8 encoder (UTF-16 files, JSON \u escapes) and escape_control (names
// shown).
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

// Writes the UTF-8 form of `code` to out[0..3] and returns its length (1 to 4). A surrogate or a value
// above U+10FFFF is written as U+FFFD. REQUIRES: `out` has room for 4 bytes.
inline std::size_t encode_utf8(char32_t code, char* out) {
  if ((code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF) code = 0xFFFD;
  if (code < 0x80) {
    out[0] = static_cast<char>(code);
    return 1;
  }
  if (code < 0x800) {
    out[0] = static_cast<char>(0xC0 | (code >> 6));
    out[1] = static_cast<char>(0x80 | (code & 0x3F));
    return 2;
  }
  if (code < 0x10000) {
    out[0] = static_cast<char>(0xE0 | (code >> 12));
    out[1] = static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out[2] = static_cast<char>(0x80 | (code & 0x3F));
    return 3;
  }
  out[0] = static_cast<char>(0xF0 | (code >> 18));
  out[1] = static_cast<char>(0x80 | ((code >> 12) & 0x3F));
  out[2] = static_cast<char>(0x80 | ((code >> 6) & 0x3F));
  out[3] = static_cast<char>(0x80 | (code & 0x3F));
  return 4;
}

// The value of one hexadecimal digit (either case), or -1: for \uXXXX, %XX and \xXX escapes.
inline int hex_digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Appends the UTF-8 form of `code` to `out` (as encode_utf8: U+FFFD for a surrogate or out of range).
inline void append_utf8(std::string& out, char32_t code) {
  char bytes[4];
  out.append(bytes, encode_utf8(code, bytes));
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
