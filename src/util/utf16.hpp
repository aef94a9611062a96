// This file implements keygate's one UTF-16 detection and decoding. Windows tools write UTF-16 (.reg
// exports, PowerShell output, some .config files); files (source/files.cpp, streamed), staged blobs and
// history blobs (whole) are read as UTF-8 text when they are UTF-16, so a key in them is found everywhere.
#pragma once

#include <cstddef>
#include <cstring>
#include <string>
#include <string_view>

#include "util/utf8.hpp"

namespace keygate {

enum class Utf16Order { None, LE, BE };

struct Utf16Start {
  Utf16Order order = Utf16Order::None;
  std::size_t bom = 0;  // bytes of byte order mark to skip (0 or 2)
};

// Decides from the start of a text (its first 8000 bytes, as git looks for binary) whether it is UTF-16:
// a byte order mark, or (without one, at least 16 bytes) text whose odd or even bytes are almost all NUL
// while the others are almost never NUL, which is what ASCII-range text in UTF-16 looks like.
inline Utf16Start detect_utf16(std::string_view head) {
  const auto* p = reinterpret_cast<const unsigned char*>(head.data());
  if (head.size() >= 2 && p[0] == 0xFF && p[1] == 0xFE) return {Utf16Order::LE, 2};
  if (head.size() >= 2 && p[0] == 0xFE && p[1] == 0xFF) return {Utf16Order::BE, 2};
  if (head.size() < 16) return {};
  // Without a NUL the rule below cannot hold: one memchr decides most texts, where counting NULs by
  // parity costs about 3 instructions a byte of every text's start.
  if (std::memchr(head.data(), '\0', head.size()) == nullptr) return {};
  std::size_t zero_even = 0, zero_odd = 0;
  for (std::size_t i = 0; i + 1 < head.size(); i += 2) {
    zero_even += p[i] == 0;
    zero_odd += p[i + 1] == 0;
  }
  const std::size_t units = head.size() / 2;
  if (zero_odd * 10 >= units * 9 && zero_even * 10 <= units) return {Utf16Order::LE, 0};
  if (zero_even * 10 >= units * 9 && zero_odd * 10 <= units) return {Utf16Order::BE, 0};
  return {};
}

// Writes the UTF-8 form of the code unit at p[0..1] to out and returns its length (1 to 3). Surrogates
// become U+FFFD (no key is made of them), so a unit never takes more than 3 bytes.
// REQUIRES: order != None; `out` has room for 4 bytes.
inline std::size_t utf16_unit_to_utf8(const unsigned char* p, Utf16Order order, char* out) {
  const unsigned unit = order == Utf16Order::LE ? (p[0] | (p[1] << 8)) : ((p[0] << 8) | p[1]);
  return encode_utf8(unit, out);
}

// If `bytes` (a whole file or blob) is UTF-16, sets `out` to its text in UTF-8 (a trailing odd byte is
// dropped) and returns true; otherwise leaves `out` alone and returns false.
inline bool decode_utf16(std::string_view bytes, std::string& out) {
  const Utf16Start start = detect_utf16(bytes.substr(0, 8000));
  if (start.order == Utf16Order::None) return false;
  out.resize((bytes.size() - start.bom) / 2 * 3 + 4);
  std::size_t written = 0;
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  for (std::size_t i = start.bom; i + 2 <= bytes.size(); i += 2) {
    written += utf16_unit_to_utf8(p + i, start.order, out.data() + written);
  }
  out.resize(written);
  return true;
}

}  // namespace keygate
