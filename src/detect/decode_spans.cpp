// This file implements the decoder's candidate spans (see decode_spans.hpp): three passes over a text, for
// base64 and hex runs, percent-encoded tokens and escaped tokens, and their merge.
#include "detect/decode_spans.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <vector>

#include "util/base64_runs.hpp"

namespace keygate {
namespace {

// Shorter runs are not worth decoding: a 16-character base64 run is 12 bytes, shorter than any key.
constexpr std::size_t kMinBase64 = 16;
constexpr std::size_t kMinHex = 32;

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

bool run_byte(char c) { return (class_of(c) & (kAlnum | kSymbol)) != 0; }

// The first position p >= from where 16 base64 characters in a row start, or npos. Most text has no such
// run: this is what plain text costs the decoder (util/base64_runs.hpp).
std::size_t next_long_run(std::string_view s, std::size_t from) { return find_base64_run16(s, from); }

// True iff the first four groups of a base64 run can encode ASCII text (tab, line ends, printable): the
// first character of a group holds the top six bits of a byte (0x09-0x0d, 0x20-0x7e: values 2, 3, 8-31),
// the third the top two bits of another (0 or 1). Identifiers, words and hashes that merely use the
// alphabet fail here in a few comparisons, before any decoding.
bool may_encode_ascii(std::string_view run) {
  const std::size_t n = std::min<std::size_t>(run.size(), 16);
  for (std::size_t g = 0; g + 4 <= n; g += 4) {
    const int top = base64_value(run[g]);  // a run holds base64 characters only: never -1
    if (!((top >= 8 && top <= 31) || top == 2 || top == 3)) return false;
    if ((base64_value(run[g + 2]) & 2) != 0) return false;
  }
  return true;
}
// A byte that can be part of a URL or an escaped string: not a space, a quote or an angle bracket.
bool token_byte(char c) { return (class_of(c) & (kSpace | kQuote)) == 0; }

bool is_hex(char c) { return (class_of(c) & kHex) != 0; }

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

// Encoded bytes of one candidate: a longer run or token is handed out in pieces of this size that overlap
// by kPieceOverlap (a multiple of 4: base64 pieces stay aligned), so that a secret across a piece boundary
// is whole in one piece and the decoded text of one region stays small whatever the run's length.
constexpr std::size_t kMaxPiece = 64u << 10;
constexpr std::size_t kPieceOverlap = 4u << 10;
constexpr std::size_t kPieceStep = kMaxPiece - kPieceOverlap;
// Wrapped base64 (base64(1) writes 76 columns, openssl 64, PEM 64): lines this wide are joined.
constexpr std::size_t kMinWrapWidth = 16;
constexpr std::size_t kMaxWrapWidth = 4096;

// [begin, end) whole, or in pieces of kMaxPiece kPieceStep apart when longer.
struct Pieces {
  std::size_t next = 0, end = 0;
  Encoding kind = Encoding::None;
  bool take(DecodeCandidate& c) {
    if (next >= end) return false;
    c.offset = next;
    c.length = std::min(kMaxPiece, end - next);
    c.kind = kind;
    c.wrapped = false;
    c.joined.clear();
    next = next + c.length >= end ? end : next + kPieceStep;
    return true;
  }
};

// Bytes between the lines of a wrapped run: indentation, quotes, and a string concatenation's `+` or
// `\`, `,` of a list ("AAAA" +\n "BBBB", YAML's `key: |` block, a JSON array of lines).
bool wrap_gap_byte(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '"' || c == '\'' || c == '`' || c == ',' || c == '+' ||
         c == '\\';
}

// Base64 and hex: maximal runs of the two base64 alphabets, with '=' padding; consecutive lines of one
// width joined (the last one may be shorter).
class RunsPass {
 public:
  explicit RunsPass(std::string_view s) : s_(s) {}

  bool next(DecodeCandidate& c) {
    const std::size_t n = s_.size();
    for (;;) {
      if (pieces_.take(c)) {
        if (c.kind == Encoding::Base64 && !may_encode_ascii(s_.substr(c.offset, c.length))) continue;
        return true;
      }
      if (resume_ != std::string_view::npos) {
        const std::size_t at = resume_;
        resume_ = std::string_view::npos;
        if (wrapped(at, resume_width_, true, c)) return true;
      }
      std::size_t i = next_long_run(s_, pos_);
      if (i == std::string_view::npos) {
        pos_ = n;
        return false;
      }
      const std::size_t start = i;
      i = run_end_from(i);
      const std::size_t run_end = i;
      const std::size_t len = run_end - start;
      // Whether the run is all hex matters only for a run long enough to be a hex candidate.
      const bool all_hex =
          len >= kMinHex && std::all_of(s_.begin() + static_cast<std::ptrdiff_t>(start),
                                        s_.begin() + static_cast<std::ptrdiff_t>(run_end), is_hex);
      for (int pad = 0; pad < 2 && i < n && s_[i] == '='; ++pad) ++i;
      pos_ = i;
      if (i == run_end && start >= no_join_before_ && len >= kMinWrapWidth && len <= kMaxWrapWidth &&
          line_ends_after(run_end) && wrapped(start, len, false, c))
        return true;
      if (all_hex && len >= kMinHex) {
        pieces_ = {start, run_end, Encoding::Hex};
      } else if (len >= kMinBase64 && may_encode_ascii(s_.substr(start, len))) {
        pieces_ = {start, i, Encoding::Base64};
      }
    }
  }

  // The wrapped candidate `c` did not decode to text: its lines are read one by one instead.
  void unjoin(const DecodeCandidate& c) {
    pos_ = c.offset;
    no_join_before_ = c.offset + c.length;
    resume_ = std::string_view::npos;
    pieces_ = {};  // a run after the lines, begun already, is found again
  }

 private:
  // The end of the run of base64 characters that starts at `from`. Most text holds many runs of 16 and
  // more (identifiers, paths): the cost per byte of a run is the decoder's, so many bytes are tested at once.
  std::size_t run_end_from(std::size_t from) const { return base64_run_end(s_, from); }

  // True iff only gap bytes (wrap_gap_byte) stand between `end` and a line break: the test wrapped() makes
  // first, made before it copies the run (a run that ends its line is rare, one that does not is common).
  bool line_ends_after(std::size_t end) const {
    const std::size_t n = s_.size();
    while (end < n && wrap_gap_byte(s_[end])) ++end;
    return end < n && s_[end] == '\n';
  }

  // The run of width `width` at `start` and the lines after it that continue it, joined into `c`, up to
  // kMaxPiece bytes (then resume_ says where the next piece starts, kPieceOverlap bytes back). False when
  // no line continues it (a resumed piece may be one line).
  bool wrapped(std::size_t start, std::size_t width, bool resumed, DecodeCandidate& c) {
    const std::size_t n = s_.size();
    // The joined text begins with this line (at least kMinWrapWidth = 16 bytes, all that may_encode_ascii
    // reads), so a line that is neither hex nor the start of base64 text cannot begin a candidate: say so
    // before joining up to kMaxPiece bytes, or every line of a block of such lines costs that much.
    const std::string_view first = s_.substr(start, width);
    if (!resumed && !may_encode_ascii(first) && !std::all_of(first.begin(), first.end(), is_hex))
      return false;
    runs_.assign(1, start);
    c.joined.assign(s_.substr(start, width));
    std::size_t end = start + width;
    bool last = false;
    while (!last && c.joined.size() < kMaxPiece) {
      std::size_t q = end;
      while (q < n && wrap_gap_byte(s_[q])) ++q;
      if (q >= n || s_[q] != '\n') break;
      ++q;
      while (q < n && wrap_gap_byte(s_[q]) && s_[q] != '\r') ++q;
      std::size_t r = q;
      while (r < n && run_byte(s_[r])) ++r;
      const std::size_t len = r - q;
      if (len == 0 || len > width) break;
      std::size_t pad = 0;
      while (pad < 2 && r + pad < n && s_[r + pad] == '=') ++pad;
      // The line holds the run alone: what follows it up to the line's end is a gap.
      std::size_t t = r + pad;
      while (t < n && wrap_gap_byte(s_[t])) ++t;
      if (t < n && s_[t] != '\n') break;
      last = len < width || pad > 0;
      runs_.push_back(q);
      c.joined.append(s_.substr(q, len + pad));
      end = r + pad;
    }
    if (runs_.size() < 2 && !resumed) return false;
    const bool hex = c.joined.size() >= kMinHex &&
                     std::all_of(c.joined.begin(), c.joined.end(), [](char x) { return is_hex(x); });
    if (!hex && !may_encode_ascii(c.joined)) return false;
    c.offset = start;
    c.length = end - start;
    c.kind = hex ? Encoding::Hex : Encoding::Base64;
    c.wrapped = true;
    pos_ = std::max(pos_, end);
    if (!last && runs_.size() > 1 && c.joined.size() >= kMaxPiece) {
      // Go on from a line kPieceOverlap bytes back whose offset in the joined run is a multiple of 4.
      std::size_t k = runs_.size() - std::min(runs_.size() - 1, (kPieceOverlap + width - 1) / width);
      while (k > 1 && (k * width) % 4 != 0) --k;
      resume_ = runs_[k];
      resume_width_ = width;
    }
    return true;
  }

  std::string_view s_;
  std::size_t pos_ = 0;
  std::size_t no_join_before_ = 0;
  Pieces pieces_;
  std::size_t resume_ = std::string_view::npos, resume_width_ = 0;
  std::vector<std::size_t> runs_;  // the runs' starts of the last wrapped candidate
};

// Percent-encoding: the token around each %XX (a URL, a form value).
class PercentsPass {
 public:
  explicit PercentsPass(std::string_view s) : s_(s) {}
  bool next(DecodeCandidate& c) {
    while (!pieces_.take(c)) {
      if (i_ >= s_.size()) return false;
      const void* p = std::memchr(s_.data() + i_, '%', s_.size() - i_);
      if (p == nullptr) {
        i_ = s_.size();
        return false;
      }
      i_ = static_cast<std::size_t>(static_cast<const char*>(p) - s_.data());
      if (i_ + 2 >= s_.size() || !is_hex(s_[i_ + 1]) || !is_hex(s_[i_ + 2])) {
        ++i_;
        continue;
      }
      std::size_t begin = i_, end = i_;
      while (begin > done_ && token_byte(s_[begin - 1]) && s_[begin - 1] != '\\') --begin;
      while (end < s_.size() && token_byte(s_[end]) && s_[end] != '\\') ++end;
      pieces_ = {begin, end, Encoding::Percent};
      done_ = i_ = end;  // candidates never overlap: each starts after the previous one ended
    }
    return true;
  }

 private:
  std::string_view s_;
  std::size_t i_ = 0, done_ = 0;
  Pieces pieces_;
};

// \u, \x, U+, JSON escapes and HTML entities: the token around the first one (a string literal's
// contents, an attribute value), decoded whole.
class EscapesPass {
 public:
  explicit EscapesPass(std::string_view s) : s_(s), triggers_(s) {}
  bool next(DecodeCandidate& c) {
    while (!pieces_.take(c)) {
      i_ = triggers_.next(i_);
      if (i_ == std::string_view::npos) {
        i_ = s_.size();
        return false;
      }
      if (!escape_at(s_, i_)) {
        ++i_;
        continue;
      }
      std::size_t begin = i_, end = i_;
      while (begin > done_ && token_byte(s_[begin - 1])) --begin;
      while (end < s_.size()) {
        if (s_[end] == '\\' && end + 1 < s_.size()) {
          end += 2;  // an escaped quote does not end the string
        } else if (token_byte(s_[end])) {
          ++end;
        } else {
          break;
        }
      }
      pieces_ = {begin, end, Encoding::Json};  // the kind is what decode_escapes reports
      done_ = i_ = end;
    }
    return true;
  }

 private:
  std::string_view s_;
  TriggerFinder triggers_;
  std::size_t i_ = 0, done_ = 0;
  Pieces pieces_;
};

}  // namespace

// The three passes over one text, their candidates merged in order of offset.
struct DecodeCandidates::Passes {
  explicit Passes(std::string_view s) : runs(s), percents(s), escapes(s) {
    for (int k = 0; k < 3; ++k) refill(k);
  }
  void refill(int k) {
    has[k] = k == 0 ? runs.next(head[0]) : k == 1 ? percents.next(head[1]) : escapes.next(head[2]);
  }
  RunsPass runs;
  PercentsPass percents;
  EscapesPass escapes;
  DecodeCandidate head[3];
  bool has[3] = {false, false, false};
};

DecodeCandidates::DecodeCandidates(std::string_view text) : passes_(std::make_unique<Passes>(text)) {}

DecodeCandidates::~DecodeCandidates() = default;

bool DecodeCandidates::next(DecodeCandidate& c) {
  Passes& p = *passes_;
  int first = -1;
  for (int k = 0; k < 3; ++k) {
    if (p.has[k] && (first < 0 || p.head[k].offset < p.head[first].offset)) first = k;
  }
  if (first < 0) return false;
  std::swap(c, p.head[first]);
  p.refill(first);
  return true;
}

void DecodeCandidates::unjoin(const DecodeCandidate& c) {
  passes_->runs.unjoin(c);
  passes_->refill(0);
}

}  // namespace keygate
