// This file implements decode_text (see decode.hpp): it finds the candidate spans of a text, hands them to
// the single decoders (decode_codecs.cpp) and keeps the decoded text, within a byte bound, depth by depth.
#include "detect/decode.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
#include <unordered_map>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace keygate {
namespace {

// Shorter runs are not worth decoding: a 16-character base64 run is 12 bytes, shorter than any key.
constexpr std::size_t kMinBase64 = 16;
constexpr std::size_t kMinHex = 32;
constexpr std::size_t kMinDecoded = 8;
// Base64 candidates are first decoded this far and given up unless that much is text: a 100 KB PNG in a
// data: URL costs 24 characters of decoding, not 100 KB.
constexpr std::size_t kBase64Probe = 24;

enum : std::uint8_t { kOther = 0, kAlnum = 1, kHex = 2, kSymbol = 4, kSpace = 8, kQuote = 16 };

constexpr std::array<std::uint8_t, 256> make_classes() {
  std::array<std::uint8_t, 256> t{};
  for (int c = 'A'; c <= 'Z'; ++c) t[static_cast<std::size_t>(c)] = kAlnum;
  for (int c = 'a'; c <= 'z'; ++c) t[static_cast<std::size_t>(c)] = kAlnum;
  for (int c = '0'; c <= '9'; ++c) t[static_cast<std::size_t>(c)] = kAlnum | kHex;
  for (int c = 'a'; c <= 'f'; ++c) t[static_cast<std::size_t>(c)] |= kHex;
  for (int c = 'A'; c <= 'F'; ++c) t[static_cast<std::size_t>(c)] |= kHex;
  t['+'] = t['/'] = t['-'] = t['_'] = kSymbol;
  t[' '] = t['\t'] = t['\n'] = t['\r'] = t['\f'] = t['\v'] = kSpace;
  t['"'] = t['\''] = t['`'] = t['<'] = t['>'] = kQuote;
  return t;
}
constexpr std::array<std::uint8_t, 256> kClass = make_classes();

std::uint8_t class_of(char c) { return kClass[static_cast<unsigned char>(c)]; }

// The base64 value of each character, both alphabets; 64 for any other byte.
constexpr std::array<std::uint8_t, 256> make_values() {
  std::array<std::uint8_t, 256> t{};
  for (auto& v : t) v = 64;
  for (int i = 0; i < 26; ++i) {
    t[static_cast<std::size_t>('A' + i)] = static_cast<std::uint8_t>(i);
    t[static_cast<std::size_t>('a' + i)] = static_cast<std::uint8_t>(26 + i);
  }
  for (int i = 0; i < 10; ++i) t[static_cast<std::size_t>('0' + i)] = static_cast<std::uint8_t>(52 + i);
  t['+'] = t['-'] = 62;
  t['/'] = t['_'] = 63;
  return t;
}
constexpr std::array<std::uint8_t, 256> kValue = make_values();

bool run_byte(char c) { return (class_of(c) & (kAlnum | kSymbol)) != 0; }

#if defined(__SSE2__)
// Bit k set iff p[k] is a base64 (either alphabet) character, for k < 16.
inline unsigned run_bits16(const char* p) {
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  auto in = [&](char lo, char hi) {
    return _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(static_cast<char>(lo - 1))),
                         _mm_cmplt_epi8(v, _mm_set1_epi8(static_cast<char>(hi + 1))));
  };
  const __m128i punct =
      _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(',')), _mm_cmpeq_epi8(v, _mm_set1_epi8('.')));
  __m128i r = _mm_andnot_si128(punct, in('+', '9'));  // + , - . / 0-9 without , and .
  r = _mm_or_si128(r, in('A', 'Z'));
  r = _mm_or_si128(r, in('a', 'z'));
  r = _mm_or_si128(r, _mm_cmpeq_epi8(v, _mm_set1_epi8('_')));
  return static_cast<unsigned>(_mm_movemask_epi8(r));
}
#endif

// The first position p >= from where 16 base64 characters in a row start, or npos. Most text has no such
// run: this is what plain text costs the decoder, so it looks at 64 bytes at a time where it can.
std::size_t next_long_run(std::string_view s, std::size_t from) {
  std::size_t i = from;
#if defined(__SSE2__)
  for (; i + 64 <= s.size(); i += 49) {
    const char* p = s.data() + i;
    std::uint64_t m = run_bits16(p) | (std::uint64_t{run_bits16(p + 16)} << 16) |
                      (std::uint64_t{run_bits16(p + 32)} << 32) | (std::uint64_t{run_bits16(p + 48)} << 48);
    if (m == 0) continue;
    m &= m >> 1;  // bit k: k and k+1 set
    m &= m >> 2;  // k..k+3
    m &= m >> 4;  // k..k+7
    m &= m >> 8;  // k..k+15 (bits 49-63 lack their upper neighbours: only 0-48 are final)
    m &= (std::uint64_t{1} << 49) - 1;
    if (m != 0) return i + static_cast<std::size_t>(__builtin_ctzll(m));
  }
#endif
  for (std::size_t run = 0; i < s.size(); ++i) {
    run = run_byte(s[i]) ? run + 1 : 0;
    if (run == 16) return i - 15;
  }
  return std::string_view::npos;
}

// True iff the first four groups of a base64 run can encode ASCII text (tab, line ends, printable): the
// first character of a group holds the top six bits of a byte (0x09-0x0d, 0x20-0x7e: values 2, 3, 8-31),
// the third the top two bits of another (0 or 1). Identifiers, words and hashes that merely use the
// alphabet fail here in a few comparisons, before any decoding.
bool may_encode_ascii(std::string_view run) {
  const std::size_t n = std::min<std::size_t>(run.size(), 16);
  for (std::size_t g = 0; g + 4 <= n; g += 4) {
    const std::uint8_t top = kValue[static_cast<unsigned char>(run[g])];
    if (!((top >= 8 && top <= 31) || top == 2 || top == 3)) return false;
    if ((kValue[static_cast<unsigned char>(run[g + 2])] & 2) != 0) return false;
  }
  return true;
}
// A byte that can be part of a URL or an escaped string: not a space, a quote or an angle bracket.
bool token_byte(char c) { return (class_of(c) & (kSpace | kQuote)) == 0; }

bool is_hex(char c) { return (class_of(c) & kHex) != 0; }

std::uint64_t hash_of(Encoding kind, std::string_view s) {
  std::uint64_t h = 1469598103934665603ull ^ static_cast<std::uint64_t>(kind);
  for (const char c : s) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  return h ^ s.size();
}

// True iff an escape that decode_escapes understands starts at s[i].
bool escape_at(std::string_view s, std::size_t i) {
  const char c = s[i];
  if (c == '\\') {
    if (i + 1 >= s.size()) return false;
    const char e = s[i + 1];
    if (e == 'u')
      return i + 5 < s.size() && is_hex(s[i + 2]) && is_hex(s[i + 3]) && is_hex(s[i + 4]) && is_hex(s[i + 5]);
    if (e == 'x') return i + 3 < s.size() && is_hex(s[i + 2]) && is_hex(s[i + 3]);
    return std::strchr("ntrbf\"\\/'", e) != nullptr && e != '\0';
  }
  if (c == '&') {
    // Only the next 12 bytes can hold the ';': searching the rest of the text for one, for every '&' of
    // a text without ';' after it (shell, prose), was a tenth of scanning git/git's sources.
    const std::size_t semi = s.substr(i + 1, 12).find(';');
    return semi != std::string_view::npos && semi + 1 >= 3;  // decode_escapes decides
  }
  return c == 'U' && i + 5 < s.size() && s[i + 1] == '+' && is_hex(s[i + 2]) && is_hex(s[i + 3]) &&
         is_hex(s[i + 4]) && is_hex(s[i + 5]);
}

// The next position at or after `from` of any of '\\', '&' or "U+", or npos.
class TriggerFinder {
 public:
  explicit TriggerFinder(std::string_view s) : s_(s) {}
  std::size_t next(std::size_t from) {
    auto refresh = [&](std::size_t& at, char c) {
      if (at != std::string_view::npos && at < from) at = find(c, from);
    };
    refresh(backslash_, '\\');
    refresh(amp_, '&');
    if (u_ != std::string_view::npos && u_ < from) {
      u_ = from;
      while ((u_ = find('U', u_)) != std::string_view::npos && (u_ + 1 >= s_.size() || s_[u_ + 1] != '+'))
        ++u_;
    }
    return std::min({backslash_, amp_, u_});
  }

 private:
  std::size_t find(char c, std::size_t from) const {
    if (from >= s_.size()) return std::string_view::npos;
    const void* p = std::memchr(s_.data() + from, c, s_.size() - from);
    return p == nullptr ? std::string_view::npos
                        : static_cast<std::size_t>(static_cast<const char*>(p) - s_.data());
  }
  std::string_view s_;
  std::size_t backslash_ = 0, amp_ = 0, u_ = 0;
};

class Decoder {
 public:
  Decoder(const DecodeLimits& limits, DecodedText& out) : limits_(limits), out_(out) {}

  // Decodes the candidates of `text`. At depth 1 `text` is the original and places are recorded; deeper,
  // `parent` is the span `text` was decoded from.
  void decode_candidates(std::string_view text, int depth, const DecodedSpan* parent) {
    depth_ = depth;
    parent_ = parent;
    runs(text);
    percents(text);
    escapes(text);
  }
  bool stopped() const { return out_.cut; }

 private:
  // Base64 and hex: maximal runs of the two base64 alphabets, with '=' padding.
  void runs(std::string_view s) {
    const std::size_t n = s.size();
    std::size_t i = 0;
    while (i < n && !stopped()) {
      // Shorter runs are never candidates (kMinBase64): jump to the next run of 16.
      i = next_long_run(s, i);
      if (i == std::string_view::npos) break;
      const std::size_t start = i;
      std::uint8_t all = kHex;
      for (; i < n; ++i) {
        const std::uint8_t c = class_of(s[i]);
        if ((c & (kAlnum | kSymbol)) == 0) break;
        all &= c;
      }
      const bool all_hex = all != 0;
      const std::size_t run_end = i;
      for (int pad = 0; pad < 2 && i < n && s[i] == '='; ++pad) ++i;
      const std::size_t len = run_end - start;
      if (all_hex && len >= kMinHex) {
        consider(s, start, len, Encoding::Hex);
      } else if (len >= kMinBase64 && may_encode_ascii(s.substr(start, len))) {
        consider(s, start, i - start, Encoding::Base64);
      }
    }
  }

  void percents(std::string_view s) {
    std::size_t done = 0;  // candidates never overlap: each starts after the previous one ended
    for (std::size_t i = 0; i < s.size() && !stopped();) {
      const void* p = std::memchr(s.data() + i, '%', s.size() - i);
      if (p == nullptr) break;
      i = static_cast<std::size_t>(static_cast<const char*>(p) - s.data());
      if (i + 2 >= s.size() || !is_hex(s[i + 1]) || !is_hex(s[i + 2])) {
        ++i;
        continue;
      }
      std::size_t begin = i, end = i;
      while (begin > done && token_byte(s[begin - 1]) && s[begin - 1] != '\\') --begin;
      while (end < s.size() && token_byte(s[end]) && s[end] != '\\') ++end;
      consider(s, begin, end - begin, Encoding::Percent);
      done = i = end;
    }
  }

  // \u, \x, U+, JSON escapes and HTML entities: the token around the first one (a string literal's
  // contents, an attribute value), decoded whole.
  void escapes(std::string_view s) {
    TriggerFinder triggers(s);
    std::size_t done = 0;
    for (std::size_t i = triggers.next(0); i != std::string_view::npos && !stopped(); i = triggers.next(i)) {
      if (!escape_at(s, i)) {
        ++i;
        continue;
      }
      std::size_t begin = i, end = i;
      while (begin > done && token_byte(s[begin - 1])) --begin;
      while (end < s.size()) {
        if (s[end] == '\\' && end + 1 < s.size()) {
          end += 2;  // an escaped quote does not end the string
        } else if (token_byte(s[end])) {
          ++end;
        } else {
          break;
        }
      }
      consider(s, begin, end - begin, Encoding::Json);  // the kind is what decode_escapes reports
      done = i = end;
    }
  }

  void consider(std::string_view s, std::size_t offset, std::size_t length, Encoding kind) {
    const std::string_view encoded = s.substr(offset, length);
    std::uint64_t key = 0;
    if (depth_ == 1) {
      key = hash_of(kind, encoded);
      if (const auto it = seen_.find(key); it != seen_.end()) {
        add_place(offset, length, it->second);
        return;
      }
    }
    const std::size_t budget = limits_.max_bytes - decoded_bytes_;
    if (budget == 0) {
      out_.cut = true;
      return;
    }
    std::string& text = out_.text;
    const std::size_t start = text.size();
    bool ok = false;
    if (kind == Encoding::Base64) {
      ok = decode_base64(encoded.substr(0, kBase64Probe), text, budget) &&
           looks_like_text(std::string_view(text).substr(start));
      text.resize(start);
      ok = ok && decode_base64(encoded, text, budget);
    } else if (kind == Encoding::Hex) {
      ok = decode_hex(encoded, text, budget);
    } else if (kind == Encoding::Percent) {
      ok = decode_percent(encoded, text, budget);
    } else {
      kind = decode_escapes(encoded, text, budget);
      ok = kind != Encoding::None;
    }
    const std::size_t size = text.size() - start;
    if (!ok || size < kMinDecoded || !looks_like_text(std::string_view(text).substr(start))) {
      text.resize(start);
      return;
    }
    if (size == budget) out_.cut = true;  // the bound may have cut this span short
    decoded_bytes_ += size;
    text += '\n';
    const auto index = static_cast<std::uint32_t>(out_.spans.size());
    DecodedSpan span{start, start + size, index, static_cast<std::uint32_t>(kind)};
    if (parent_ != nullptr) {
      span.root = parent_->root;
      span.chain = parent_->chain | (static_cast<std::uint32_t>(kind) << (4 * (depth_ - 1)));
    }
    out_.spans.push_back(span);
    if (depth_ == 1) {
      seen_.emplace(key, index);
      add_place(offset, length, index);
    }
    if (out_.spans.size() + out_.places.size() >= limits_.max_spans) out_.cut = true;
  }

  void add_place(std::size_t offset, std::size_t length, std::uint32_t root) {
    out_.places.push_back({offset, length, root});
    if (out_.spans.size() + out_.places.size() >= limits_.max_spans) out_.cut = true;
  }

  const DecodeLimits& limits_;
  DecodedText& out_;
  std::unordered_map<std::uint64_t, std::uint32_t> seen_;  // depth 1: encoded bytes -> span
  std::size_t decoded_bytes_ = 0;
  int depth_ = 1;
  const DecodedSpan* parent_ = nullptr;
};

}  // namespace

DecodedText decode_text(std::string_view text, const DecodeLimits& limits) {
  DecodedText out;
  if (limits.max_depth <= 0 || text.empty()) return out;
  Decoder decoder(limits, out);
  decoder.decode_candidates(text, 1, nullptr);
  const int max_depth = std::min(limits.max_depth, kMaxDecodeDepth);
  std::string parent_text;  // a copy: decoding appends to out.text
  for (int depth = 2, from = 0; depth <= max_depth && !decoder.stopped(); ++depth) {
    const int to = static_cast<int>(out.spans.size());
    if (from == to) break;
    for (int i = from; i < to && !decoder.stopped(); ++i) {
      const DecodedSpan parent = out.spans[static_cast<std::size_t>(i)];
      parent_text.assign(out.text, parent.begin, parent.end - parent.begin);
      decoder.decode_candidates(parent_text, depth, &parent);
    }
    from = to;
  }
  return out;
}

void note_decode_cut(std::string_view path, std::size_t bound) {
  std::fprintf(
      stderr, "keygate: %.*s: decoding stopped at its bound (%zu decoded bytes); the rest is scanned as is\n",
      static_cast<int>(path.size()), path.data(), bound);
}

std::string chain_name(std::uint32_t chain) {
  static const char* const names[] = {"",        "base64",     "hex",  "percent",
                                      "unicode", "hex-escape", "json", "html"};
  std::string out;
  for (; chain != 0; chain >>= 4) {
    const std::uint32_t step = chain & 0xF;
    if (!out.empty()) out += '>';
    out += step < std::size(names) ? names[step] : "?";
  }
  return out;
}

}  // namespace keygate
