// This file implements the single decoders of decode.hpp (base64, hex, percent, escapes and entities) and
// the text check. decode.cpp finds the spans worth giving them.
#include <array>
#include <cstring>

#include "detect/decode.hpp"
#include "util/utf8.hpp"

namespace keygate {
namespace {

// Both alphabets at once: '+' and '-' are 62, '/' and '_' are 63.
constexpr std::array<std::int8_t, 256> make_base64_table() {
  std::array<std::int8_t, 256> t{};
  for (auto& v : t) v = -1;
  for (int i = 0; i < 26; ++i) {
    t[static_cast<std::size_t>('A' + i)] = static_cast<std::int8_t>(i);
    t[static_cast<std::size_t>('a' + i)] = static_cast<std::int8_t>(26 + i);
  }
  for (int i = 0; i < 10; ++i) t[static_cast<std::size_t>('0' + i)] = static_cast<std::int8_t>(52 + i);
  t['+'] = t['-'] = 62;
  t['/'] = t['_'] = 63;
  return t;
}
constexpr std::array<std::int8_t, 256> kBase64 = make_base64_table();

// The value of `n` hex digits at in[i], or -1.
long hex_digits(std::string_view in, std::size_t i, std::size_t n) {
  if (i + n > in.size()) return -1;
  long v = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const int d = hex_digit_value(in[i + k]);
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

struct Named {
  const char* name;
  char value;
};
// The entities that stand for ASCII characters a secret or its context can hold.
constexpr Named kEntities[] = {
    {"amp", '&'},   {"lt", '<'},     {"gt", '>'},     {"quot", '"'},     {"apos", '\''},  {"nbsp", ' '},
    {"sol", '/'},   {"colon", ':'},  {"lowbar", '_'}, {"period", '.'},   {"equals", '='}, {"plus", '+'},
    {"num", '#'},   {"dollar", '$'}, {"percnt", '%'}, {"hyphen", '-'},   {"excl", '!'},   {"comma", ','},
    {"semi", ';'},  {"quest", '?'},  {"commat", '@'}, {"ast", '*'},      {"lpar", '('},   {"rpar", ')'},
    {"bsol", '\\'}, {"lsqb", '['},   {"rsqb", ']'},   {"lcub", '{'},     {"rcub", '}'},   {"verbar", '|'},
    {"tilde", '~'}, {"grave", '`'},  {"Hat", '^'},    {"newline", '\n'}, {"tab", '\t'}};

// An entity at in[i] ('&'): its length and code point, or 0.
std::size_t html_entity(std::string_view in, std::size_t i, std::uint32_t& cp) {
  const std::size_t semi = in.find(';', i + 1);
  if (semi == std::string_view::npos || semi - i > 12 || semi - i < 3) return 0;
  const std::string_view body = in.substr(i + 1, semi - i - 1);
  if (body[0] == '#') {
    const bool hex = body.size() > 1 && (body[1] == 'x' || body[1] == 'X');
    const std::size_t from = hex ? 2 : 1;
    if (from >= body.size()) return 0;
    std::uint32_t v = 0;
    for (std::size_t k = from; k < body.size(); ++k) {
      const int d = hex ? hex_digit_value(body[k]) : (body[k] >= '0' && body[k] <= '9' ? body[k] - '0' : -1);
      if (d < 0) return 0;
      v = v * (hex ? 16 : 10) + static_cast<std::uint32_t>(d);
      if (v > 0x10FFFF) return 0;
    }
    cp = v;
    return semi - i + 1;
  }
  for (const Named& e : kEntities) {
    if (body == e.name) {
      cp = static_cast<unsigned char>(e.value);
      return semi - i + 1;
    }
  }
  return 0;
}

}  // namespace

int base64_value(char c) { return kBase64[static_cast<unsigned char>(c)]; }

bool decode_base64(std::string_view in, std::string& out, std::size_t max_out) {
  while (!in.empty() && in.back() == '=') in.remove_suffix(1);
  std::uint32_t acc = 0;
  int bits = 0;
  std::size_t written = 0;
  for (const char c : in) {
    const int v = kBase64[static_cast<unsigned char>(c)];
    if (v < 0) return false;
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      if (written++ == max_out) return true;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  return written > 0;
}

bool decode_hex(std::string_view in, std::string& out, std::size_t max_out) {
  std::size_t written = 0;
  for (std::size_t i = 0; i + 1 < in.size() && written < max_out; i += 2, ++written) {
    const int hi = hex_digit_value(in[i]), lo = hex_digit_value(in[i + 1]);
    if (hi < 0 || lo < 0) return false;
    out += static_cast<char>(hi * 16 + lo);
  }
  return written > 0;
}

bool decode_percent(std::string_view in, std::string& out, std::size_t max_out) {
  bool any = false;
  const std::size_t start = out.size();
  for (std::size_t i = 0; i < in.size() && out.size() - start < max_out;) {
    if (in[i] == '%') {
      const long v = hex_digits(in, i + 1, 2);
      if (v >= 0) {
        out += static_cast<char>(v);
        any = true;
        i += 3;
        continue;
      }
    }
    out += in[i++];
  }
  return any;
}

Encoding decode_escapes(std::string_view in, std::string& out, std::size_t max_out) {
  bool unicode = false, hex = false, html = false, json = false;
  const std::size_t start = out.size();
  for (std::size_t i = 0; i < in.size() && out.size() - start < max_out;) {
    const char c = in[i];
    if (c == '\\' && i + 1 < in.size()) {
      const char e = in[i + 1];
      if (e == 'u') {
        long cp = hex_digits(in, i + 2, 4);
        if (cp >= 0) {
          std::size_t used = 6;
          // A surrogate pair is one code point; a lone surrogate is not text.
          if (cp >= 0xD800 && cp < 0xDC00 && i + 12 <= in.size() && in[i + 6] == '\\' && in[i + 7] == 'u') {
            const long low = hex_digits(in, i + 8, 4);
            if (low >= 0xDC00 && low < 0xE000) {
              cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
              used = 12;
            }
          }
          if (cp >= 0xD800 && cp < 0xE000) cp = 0xFFFD;
          append_utf8(out, static_cast<char32_t>(cp));
          unicode = true;
          i += used;
          continue;
        }
      } else if (e == 'x') {
        const long v = hex_digits(in, i + 2, 2);
        if (v >= 0) {
          out += static_cast<char>(v);
          hex = true;
          i += 4;
          continue;
        }
      } else {
        const char* from = "ntrbf\"\\/'";
        const char* to = "\n\t\r\b\f\"\\/'";
        if (const char* p = std::strchr(from, e); p != nullptr && e != '\0') {
          out += to[p - from];
          json = true;
          i += 2;
          continue;
        }
      }
    } else if (c == 'U' && i + 1 < in.size() && in[i + 1] == '+') {
      std::size_t n = 0;
      while (n < 6 && i + 2 + n < in.size() && hex_digit_value(in[i + 2 + n]) >= 0) ++n;
      if (n >= 4) {
        const long cp = hex_digits(in, i + 2, n);
        if (cp <= 0x10FFFF && !(cp >= 0xD800 && cp < 0xE000)) {
          append_utf8(out, static_cast<char32_t>(cp));
          unicode = true;
          i += 2 + n;
          continue;
        }
      }
    } else if (c == '&') {
      std::uint32_t cp = 0;
      if (const std::size_t n = html_entity(in, i, cp); n > 0) {
        append_utf8(out, cp);
        html = true;
        i += n;
        continue;
      }
    }
    out += c;
    ++i;
  }
  return unicode ? Encoding::Unicode
         : hex   ? Encoding::HexEscape
         : html  ? Encoding::Html
         : json  ? Encoding::Json
                 : Encoding::None;
}

bool looks_like_text(std::string_view s) {
  if (s.empty() || std::memchr(s.data(), '\0', s.size()) != nullptr) return false;
  std::size_t bad = 0;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x7f) {
      ++i;
    } else if (c == '\n' || c == '\t' || c == '\r') {
      ++i;
    } else if (const std::size_t n = c >= 0x80 ? utf8_sequence_length(s, i) : 0; n > 0) {
      i += n;
    } else {
      ++bad;
      ++i;
    }
  }
  return bad * 20 <= s.size();
}

}  // namespace keygate
