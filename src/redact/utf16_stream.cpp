// This file implements the UTF-16 streams of `keygate redact` (see utf16_stream.hpp).
#include "redact/utf16_stream.hpp"

namespace keygate {
namespace {

void append_generalized_utf8(std::string& out, unsigned cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace

void Utf16Decoder::unit(unsigned u, std::string& out) {
  if (pending_ != 0) {
    if (u >= 0xDC00 && u < 0xE000) {
      append_generalized_utf8(out, 0x10000 + ((pending_ - 0xD800) << 10) + (u - 0xDC00));
      pending_ = 0;
      return;
    }
    append_generalized_utf8(out, pending_);
    pending_ = 0;
  }
  if (u >= 0xD800 && u < 0xDC00) {
    pending_ = u;
    return;
  }
  append_generalized_utf8(out, u);
}

void Utf16Decoder::feed(std::string_view in, std::string& out) {
  std::size_t i = 0;
  auto value = [&](unsigned char a, unsigned char b) {
    return order_ == Utf16Order::LE ? static_cast<unsigned>(a | (b << 8))
                                    : static_cast<unsigned>((a << 8) | b);
  };
  if (!carry_.empty() && !in.empty()) {
    unit(value(static_cast<unsigned char>(carry_[0]), static_cast<unsigned char>(in[0])), out);
    carry_.clear();
    i = 1;
  }
  for (; i + 2 <= in.size(); i += 2) {
    unit(value(static_cast<unsigned char>(in[i]), static_cast<unsigned char>(in[i + 1])), out);
  }
  if (i < in.size()) carry_.assign(1, in[i]);
}

std::string Utf16Decoder::finish(std::string& out) {
  if (pending_ != 0) append_generalized_utf8(out, pending_);
  pending_ = 0;
  return std::move(carry_);
}

void Utf16Encoder::unit(unsigned u, std::string& out) const {
  if (order_ == Utf16Order::LE) {
    out += static_cast<char>(u & 0xFF);
    out += static_cast<char>(u >> 8);
  } else {
    out += static_cast<char>(u >> 8);
    out += static_cast<char>(u & 0xFF);
  }
}

namespace {

// The length a UTF-8 sequence starting with `b0` has; 0 for a byte that cannot start one.
std::size_t sequence_length(unsigned char b0) {
  return b0 < 0x80 ? 1 : (b0 >> 5) == 6 ? 2 : (b0 >> 4) == 14 ? 3 : (b0 >> 3) == 30 ? 4 : 0;
}

}  // namespace

// Decodes the sequence at s[i] and advances i; false (i unchanged) when it runs past the end of `s`.
bool Utf16Encoder::sequence(std::string_view s, std::size_t& i, std::string& out) const {
  const auto b0 = static_cast<unsigned char>(s[i]);
  const std::size_t len = sequence_length(b0);
  if (len == 0) {
    unit(0xFFFD, out);
    ++i;
    return true;
  }
  unsigned cp = len == 1 ? b0 : len == 2 ? (b0 & 0x1Fu) : len == 3 ? (b0 & 0x0Fu) : (b0 & 0x07u);
  for (std::size_t k = 1; k < len; ++k) {
    if (i + k >= s.size()) return false;
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) {
      unit(0xFFFD, out);
      i += k;
      return true;
    }
    cp = (cp << 6) | (b & 0x3Fu);
  }
  if (cp >= 0x10000) {
    cp -= 0x10000;
    unit(0xD800 + (cp >> 10), out);
    unit(0xDC00 + (cp & 0x3FF), out);
  } else {
    unit(cp, out);
  }
  i += len;
  return true;
}

void Utf16Encoder::feed(std::string_view in, std::string& out) {
  std::size_t i = 0;
  // A sequence split by the caller: completed from the head of `in`.
  while (!carry_.empty() && i < in.size()) {
    if ((static_cast<unsigned char>(in[i]) & 0xC0) != 0x80) {
      finish(out);
      break;
    }
    carry_ += in[i++];
    std::size_t k = 0;
    if (sequence(carry_, k, out)) carry_.clear();
  }
  while (i < in.size()) {
    if (static_cast<unsigned char>(in[i]) < 0x80) {
      unit(static_cast<unsigned char>(in[i]), out);  // ASCII, the common case
      ++i;
      continue;
    }
    if (!sequence(in, i, out)) {
      carry_.assign(in.substr(i));
      return;
    }
  }
}

void Utf16Encoder::finish(std::string& out) {
  if (!carry_.empty()) unit(0xFFFD, out);
  carry_.clear();
}

}  // namespace keygate
