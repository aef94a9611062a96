// This file implements literal_starts (see regex_search.hpp): from a pattern's text, the strings every
// match of it begins with, so that RegexSearch tries the pattern only where one of them occurs. It reads
// RE2's syntax conservatively: anything it does not understand gives no strings, and the search then runs
// unanchored, as RE2 alone would.
#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rules/regex_search.hpp"
#include "util/ascii.hpp"

namespace keygate {
namespace {

constexpr std::size_t kMaxStarts = 64;  // more strings cost more to look for than they save
// A search compares the first 8 bytes (StartWord); the hit gate needs the whole of a keyword ("authress_").
constexpr std::size_t kMaxStartLength = 16;

struct Repeat {
  std::size_t min = 1, max = 1;  // max == npos: unbounded
};

// A set of strings, and whether each is the whole of what the part of the pattern read so far matches
// (then what follows may be appended), or only its beginning.
struct Starts {
  std::vector<LiteralStart> strings{LiteralStart{}};
  bool whole = true;
};

class StartParser {
 public:
  explicit StartParser(std::string_view p) : p_(p) {}

  std::optional<std::vector<LiteralStart>> run() {
    const Starts s = alternation();
    if (failed_ || i_ != p_.size()) return std::nullopt;
    for (const LiteralStart& l : s.strings) {
      if (l.bytes.size() < 2) return std::nullopt;  // one byte, or none, is no filter worth a search
    }
    return s.strings;
  }

 private:
  // branch ('|' branch)*, up to a ')' of an enclosing group or the end. Flags set inside a group hold to
  // its end, across its later branches (as RE2 parses them): fold_ is restored by the group, not here.
  Starts alternation() {
    Starts all;
    all.strings.clear();
    for (;;) {
      Starts b = sequence();
      if (failed_) return all;
      all.whole = all.whole && b.whole;
      for (LiteralStart& l : b.strings) all.strings.push_back(std::move(l));
      if (i_ < p_.size() && p_[i_] == '|') {
        ++i_;
        continue;
      }
      return all;
    }
  }

  Starts sequence() {
    Starts s;
    while (i_ < p_.size() && p_[i_] != '|' && p_[i_] != ')' && !failed_) {
      if (!s.whole) {
        skip_element();
        continue;
      }
      element(s);
    }
    return s;
  }

  // One element and its repeat, appended to `s` where it can be.
  void element(Starts& s) {
    const char c = p_[i_];
    if (c == '(') return group(s);
    if (c == '^' || c == '$') {
      ++i_;
      return no_repeat();
    }
    if (c == '[') {
      std::vector<char> chars;
      const bool literal = char_class(chars);
      return append(s, literal ? chars : std::vector<char>{}, literal);
    }
    if (c == '.') {
      ++i_;
      return append(s, {}, false);
    }
    if (c == '*' || c == '+' || c == '?' || c == '{') {
      failed_ = true;  // a repeat of nothing: RE2 rejects it, or reads '{' as a literal
      return;
    }
    if (c == '\\') {
      if (i_ + 1 >= p_.size()) {
        failed_ = true;
        return;
      }
      const char e = p_[i_ + 1];
      if (e == 'b' || e == 'B' || e == 'A' || e == 'z') {  // assertions: they match no byte
        i_ += 2;
        // \b before a string's first byte: the string begins at a word boundary.
        if (e == 'b') {
          for (LiteralStart& l : s.strings) l.word_boundary = l.word_boundary || l.bytes.empty();
        }
        return no_repeat();
      }
      char literal = 0;
      if (!escape(literal)) return append(s, {}, false);
      return append(s, {literal}, true);
    }
    ++i_;
    if (static_cast<unsigned char>(c) >= 0x80) return append(s, {}, false);
    append(s, {c}, true);
  }

  void group(Starts& s) {
    ++i_;  // '('
    const bool saved = fold_;
    if (i_ < p_.size() && p_[i_] == '?') {
      ++i_;
      if (i_ < p_.size() && (p_[i_] == 'P' || p_[i_] == '<')) {  // a named group
        const std::size_t close = p_.find('>', i_);
        if (close == std::string_view::npos) {
          failed_ = true;
          return;
        }
        i_ = close + 1;
      } else {
        bool on = true;
        bool fold = fold_;
        for (; i_ < p_.size() && p_[i_] != ':' && p_[i_] != ')'; ++i_) {
          const char f = p_[i_];
          if (f == '-') {
            on = false;
          } else if (f == 'i') {
            fold = on;
          } else if (f != 'm' && f != 's' && f != 'U') {
            failed_ = true;
            return;
          }
        }
        if (i_ >= p_.size()) {
          failed_ = true;
          return;
        }
        if (p_[i_] == ')') {  // (?flags): for the rest of the enclosing group
          ++i_;
          fold_ = fold;
          return no_repeat();
        }
        ++i_;  // ':'
        fold_ = fold;
      }
    }
    Starts inner = alternation();
    fold_ = saved;
    if (failed_ || i_ >= p_.size() || p_[i_] != ')') {
      failed_ = true;
      return;
    }
    ++i_;
    const Repeat r = repeat();
    if (failed_) return;
    if (r.min == 0) {
      s.whole = false;
      return;
    }
    product(s, inner.strings);
    if (!inner.whole || r.max != 1) s.whole = false;
  }

  // Appends one byte from `chars` (a literal, or a small class) to every string, or ends the strings
  // here when the element is not literal or may be absent.
  void append(Starts& s, const std::vector<char>& chars, bool literal) {
    const Repeat r = repeat();
    if (failed_) return;
    if (!literal || chars.empty() || r.min == 0) {
      s.whole = false;
      return;
    }
    std::vector<LiteralStart> one;
    for (const char c : chars) {
      const bool fold = fold_ && is_alpha(c);
      const char b = fold ? lower(c) : c;
      bool seen = false;
      for (const LiteralStart& o : one) seen = seen || (o.bytes[0] == b && o.fold[0] == fold);
      if (!seen) one.push_back(LiteralStart{std::string(1, b), std::vector<bool>{fold}});
    }
    product(s, one);
    if (r.max != 1) s.whole = false;
  }

  // s.strings x tail, unless that makes too many strings: then the strings end here. A string longer
  // than kMaxStartLength is cut to it (it still begins every match it began), and the strings end there.
  void product(Starts& s, const std::vector<LiteralStart>& tail) {
    if (s.strings.size() * tail.size() > kMaxStarts || tail.empty()) {
      s.whole = false;
      return;
    }
    std::vector<LiteralStart> out;
    for (const LiteralStart& head : s.strings) {
      for (const LiteralStart& t : tail) {
        LiteralStart l = head;
        l.word_boundary = head.word_boundary || (head.bytes.empty() && t.word_boundary);
        l.bytes += t.bytes;
        l.fold.insert(l.fold.end(), t.fold.begin(), t.fold.end());
        if (l.bytes.size() > kMaxStartLength) {
          l.bytes.resize(kMaxStartLength);
          l.fold.resize(kMaxStartLength);
          s.whole = false;
        }
        const bool seen = std::any_of(out.begin(), out.end(), [&](const LiteralStart& o) {
          return o.bytes == l.bytes && o.fold == l.fold && o.word_boundary == l.word_boundary;
        });
        if (!seen) out.push_back(std::move(l));
      }
    }
    s.strings = std::move(out);
  }

  // The repeat after an element, if any ('?' after it, laziness, changes nothing here).
  Repeat repeat() {
    Repeat r;
    if (i_ >= p_.size()) return r;
    const char c = p_[i_];
    if (c == '*' || c == '+' || c == '?') {
      ++i_;
      r.min = c == '+' ? 1 : 0;
      r.max = c == '?' ? 1 : std::string_view::npos;
    } else if (c == '{') {
      std::size_t k = i_ + 1;
      auto number = [&](std::size_t& v) {
        const std::size_t from = k;
        v = 0;
        while (k < p_.size() && k - from < 5 && is_digit(p_[k]))
          v = v * 10 + static_cast<std::size_t>(p_[k++] - '0');
        return k > from;
      };
      if (!number(r.min)) {
        failed_ = true;  // RE2 reads such a '{' as a literal: not worth understanding
        return r;
      }
      r.max = r.min;
      if (k < p_.size() && p_[k] == ',') {
        ++k;
        if (!number(r.max)) r.max = std::string_view::npos;
      }
      if (k >= p_.size() || p_[k] != '}') {
        failed_ = true;
        return r;
      }
      i_ = k + 1;
    } else {
      return r;
    }
    if (i_ < p_.size() && p_[i_] == '?') ++i_;
    return r;
  }

  void no_repeat() {
    if (i_ < p_.size() && std::string_view("*+?{").find(p_[i_]) != std::string_view::npos) failed_ = true;
  }

  // An escape that stands for one byte: sets `out`, returns true. Class escapes (\d, \w, \pL...) and
  // anything unknown return false; failed_ is set only where the pattern cannot be read on.
  bool escape(char& out) {
    const char e = p_[i_ + 1];
    if (e == 'x') {
      auto hex = [](char h) { return is_digit(h) ? h - '0' : lower(h) - 'a' + 10; };
      if (i_ + 3 < p_.size() && is_hex_digit(p_[i_ + 2]) && is_hex_digit(p_[i_ + 3])) {
        out = static_cast<char>(hex(p_[i_ + 2]) * 16 + hex(p_[i_ + 3]));
        i_ += 4;
        return static_cast<unsigned char>(out) < 0x80;
      }
      failed_ = true;  // \x{...}
      return false;
    }
    const std::string_view controls = "ntrfva";
    if (const std::size_t k = controls.find(e); k != std::string_view::npos) {
      out = "\n\t\r\f\v\a"[k];
      i_ += 2;
      return true;
    }
    if (std::ispunct(static_cast<unsigned char>(e))) {
      out = e;
      i_ += 2;
      return true;
    }
    if (e == 'p' || e == 'P') {  // \pL or \p{Greek}
      i_ += 2;
      if (i_ < p_.size() && p_[i_] == '{') {
        const std::size_t close = p_.find('}', i_);
        if (close == std::string_view::npos) {
          failed_ = true;
          return false;
        }
        i_ = close + 1;
      } else {
        ++i_;
      }
      return false;
    }
    if (std::string_view("dDwWsS").find(e) != std::string_view::npos) {
      i_ += 2;
      return false;
    }
    failed_ = true;  // \Q...\E, \C, octal, anything else
    return false;
  }

  // A class of a few literal bytes ("[Aa]", "[_-]"): their list, true. Any other class (negated, a range,
  // a class escape, [:alpha:]) returns false. Either way i_ moves past it.
  bool char_class(std::vector<char>& chars) {
    const std::size_t end = class_end(p_, i_);
    if (end == std::string_view::npos) {
      failed_ = true;
      return false;
    }
    const std::string_view body = p_.substr(i_ + 1, end - i_ - 2);
    i_ = end;
    if (body.empty() || body[0] == '^') return false;
    for (std::size_t k = 0; k < body.size(); ++k) {
      char c = body[k];
      if (c == '[') return false;  // [:alpha:]
      if (c == '\\') {
        if (k + 1 >= body.size() || !std::ispunct(static_cast<unsigned char>(body[k + 1]))) return false;
        c = body[++k];
      } else if (c == '-' && k > 0 && k + 1 < body.size()) {
        return false;  // a range
      }
      if (static_cast<unsigned char>(c) >= 0x80) return false;
      chars.push_back(c);
    }
    return chars.size() <= 4;
  }

  // Moves past one element and its repeat, without reading it; a (?flags) still sets them for the rest
  // of the group, whose later branches are read.
  void skip_element() {
    const char c = p_[i_];
    if (c == '(' && p_.substr(i_, 2) == "(?") {
      const std::size_t close = p_.find_first_of(":)", i_ + 2);
      if (close != std::string_view::npos && p_[close] == ')' &&
          p_.substr(i_ + 2, close - i_ - 2).find_first_not_of("imsU-") == std::string_view::npos) {
        Starts ignored;
        ignored.whole = false;
        return group(ignored);
      }
    }
    if (c == '(') {
      int depth = 0;
      while (i_ < p_.size()) {
        if (p_[i_] == '\\') {
          i_ += 2;
        } else if (p_[i_] == '[') {
          const std::size_t end = class_end(p_, i_);
          if (end == std::string_view::npos) {
            failed_ = true;
            return;
          }
          i_ = end;
        } else {
          if (p_[i_] == '(') ++depth;
          if (p_[i_] == ')' && --depth == 0) {
            ++i_;
            break;
          }
          ++i_;
        }
      }
      if (depth != 0) failed_ = true;
    } else if (c == '[') {
      const std::size_t end = class_end(p_, i_);
      if (end == std::string_view::npos) {
        failed_ = true;
        return;
      }
      i_ = end;
    } else if (c == '\\') {
      if (i_ + 1 < p_.size() && (p_[i_ + 1] == 'p' || p_[i_ + 1] == 'P' || p_[i_ + 1] == 'x') &&
          i_ + 2 < p_.size() && p_[i_ + 2] == '{') {
        const std::size_t close = p_.find('}', i_);
        i_ = close == std::string_view::npos ? p_.size() : close + 1;
      } else if (i_ + 1 < p_.size() && (p_[i_ + 1] == 'p' || p_[i_ + 1] == 'P')) {
        i_ += 3;
      } else if (i_ + 1 < p_.size() && p_[i_ + 1] == 'x') {
        i_ += 4;
      } else {
        i_ += 2;
      }
    } else {
      ++i_;
    }
    if (i_ > p_.size()) {
      failed_ = true;
      i_ = p_.size();
      return;
    }
    repeat();
  }

  std::string_view p_;
  std::size_t i_ = 0;
  bool fold_ = false;
  bool failed_ = false;
};

}  // namespace

std::optional<std::vector<LiteralStart>> literal_starts(std::string_view pattern) {
  return StartParser(pattern).run();
}

}  // namespace keygate
