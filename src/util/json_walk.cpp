// This file implements the JSON walker (see json_walk.hpp): a recursive-descent validator that reports
// each value's pointer and span. It allocates only the pointer string (one, reused) and member names.
#include "util/json_walk.hpp"

#include <cstdint>

#include "util/utf8.hpp"

namespace keygate {
namespace {

class Walker {
 public:
  Walker(std::string_view text, const std::function<void(const JsonValue&)>& visit)
      : text_(text), visit_(visit) {}

  bool run(JsonError* error) {
    skip_space();
    bool ok = value(std::string_view(), 0);
    if (ok) {
      skip_space();
      ok = pos_ == text_.size() || fail(pos_, "unexpected text after the JSON value");
    }
    if (!ok && *error_.what == '\0')
      error_ = JsonError{pos_, "invalid JSON"};  // not reached: every failure says why
    if (!ok && error != nullptr) *error = error_;
    return ok;
  }

  // The string at pos_ (its opening quote), unescaped. REQUIRES: it is a valid JSON string.
  std::string string_value() {
    std::string out;
    string(&out);
    return out;
  }

 private:
  // Records the first failure (inner calls fail first, so the first is the most precise); returns false.
  bool fail(std::size_t at, const char* what) {
    if (*error_.what == '\0') error_ = JsonError{at, what};
    return false;
  }
  // At pos_: `what` was expected and is not there (or the text ended).
  bool expected(const char* what) { return fail(pos_, pos_ >= text_.size() ? "unexpected end" : what); }

  void skip_space() {
    while (pos_ < text_.size() &&
           (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }

  bool literal(std::string_view word) {
    for (const char c : word) {  // the error names the first byte that differs
      if (pos_ >= text_.size() || text_[pos_] != c) return expected("unexpected character");
      ++pos_;
    }
    return true;
  }

  // A string starting at pos_ (the quote); its unescaped text goes to *out when given.
  bool string(std::string* out) {
    ++pos_;  // opening quote
    while (pos_ < text_.size()) {
      const auto c = static_cast<unsigned char>(text_[pos_]);
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c < 0x20) return fail(pos_, "control character in a string");
      if (c != '\\') {
        if (out != nullptr) *out += static_cast<char>(c);
        ++pos_;
        continue;
      }
      const std::size_t escape = pos_;
      if (++pos_ >= text_.size()) break;
      const char e = text_[pos_++];
      switch (e) {
        case '"':
        case '\\':
        case '/':
          if (out != nullptr) *out += e;
          break;
        case 'b':
          if (out != nullptr) *out += '\b';
          break;
        case 'f':
          if (out != nullptr) *out += '\f';
          break;
        case 'n':
          if (out != nullptr) *out += '\n';
          break;
        case 'r':
          if (out != nullptr) *out += '\r';
          break;
        case 't':
          if (out != nullptr) *out += '\t';
          break;
        case 'u': {
          std::uint32_t cp = 0;
          if (!hex4(&cp)) return fail(escape, "bad \\u escape (four hex digits expected)");
          if (cp >= 0xD800 && cp < 0xDC00 && text_.substr(pos_, 2) == "\\u") {
            const std::size_t save = pos_;
            pos_ += 2;
            std::uint32_t low = 0;
            if (hex4(&low) && low >= 0xDC00 && low < 0xE000) {
              cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            } else {
              pos_ = save;  // a lone surrogate: valid JSON, kept as U+FFFD in names
            }
          }
          if (cp >= 0xD800 && cp < 0xE000) cp = 0xFFFD;
          if (out != nullptr) append_utf8(*out, cp);
          break;
        }
        default:
          return fail(escape, "bad escape");
      }
    }
    return fail(pos_, "unterminated string");
  }

  bool hex4(std::uint32_t* cp) {
    if (pos_ + 4 > text_.size()) return false;
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      const int h = hex_digit_value(text_[pos_ + static_cast<std::size_t>(i)]);
      if (h < 0) return false;
      v = v * 16 + static_cast<std::uint32_t>(h);
    }
    pos_ += 4;
    *cp = v;
    return true;
  }

  bool number() {
    const std::size_t start = pos_;
    if (pos_ < text_.size() && text_[pos_] == '-') ++pos_;
    auto digits = [&] {
      const std::size_t from = pos_;
      while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
      return pos_ - from;
    };
    if (pos_ < text_.size() && text_[pos_] == '0') {
      ++pos_;
    } else if (digits() == 0) {
      return expected("unexpected character");
    }
    if (pos_ < text_.size() && text_[pos_] == '.') {
      ++pos_;
      if (digits() == 0) return expected("digit expected");
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      if (digits() == 0) return expected("digit expected");
    }
    return pos_ > start;
  }

  // One value at pos_ (after whitespace), named `key` in its parent; the pointer to it is pointer_.
  bool value(std::string_view key, int depth) {
    if (pos_ >= text_.size()) return fail(pos_, "unexpected end");
    if (depth > kMaxJsonDepth) return fail(pos_, "nested too deeply");
    const std::size_t begin = pos_;
    const char c = text_[pos_];
    bool ok = false;
    if (c == '{' || c == '[') {
      ok = container(c, depth);
    } else if (c == '"') {
      ok = string(nullptr);
    } else if (c == 't') {
      ok = literal("true");
    } else if (c == 'f') {
      ok = literal("false");
    } else if (c == 'n') {
      ok = literal("null");
    } else {
      ok = number();
    }
    if (!ok) return false;
    if (visit_) visit_(JsonValue{pointer_, key, begin, pos_, depth});
    return true;
  }

  bool container(char open, int depth) {
    const char close = open == '{' ? '}' : ']';
    ++pos_;
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == close) {
      ++pos_;
      return true;
    }
    const std::size_t base = pointer_.size();
    std::string name;
    for (std::size_t index = 0;; ++index) {
      name.clear();
      if (open == '{') {
        if (pos_ >= text_.size() || text_[pos_] != '"') return expected("expected '\"'");
        if (!string(&name)) return false;
        skip_space();
        if (pos_ >= text_.size() || text_[pos_] != ':') return expected("expected ':'");
        ++pos_;
        skip_space();
        pointer_ += '/';
        pointer_ += json_pointer_token(name);
      } else {
        pointer_ += '/';
        pointer_ += std::to_string(index);
      }
      const bool ok = value(name, depth + 1);
      pointer_.resize(base);
      if (!ok) return false;
      skip_space();
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        skip_space();
        continue;
      }
      if (pos_ < text_.size() && text_[pos_] == close) {
        ++pos_;
        return true;
      }
      return expected(open == '{' ? "expected ',' or '}'" : "expected ',' or ']'");
    }
  }

 private:
  std::string_view text_;
  const std::function<void(const JsonValue&)>& visit_;
  std::size_t pos_ = 0;
  std::string pointer_;
  JsonError error_;
};

}  // namespace

std::string json_pointer_token(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (const char c : name) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

bool walk_json(std::string_view text, const std::function<void(const JsonValue&)>& visit, JsonError* error) {
  Walker walker(text, visit);
  return walker.run(error);
}

std::string json_string(std::string_view text, const JsonValue& v) {
  const std::function<void(const JsonValue&)> none;
  return Walker(text.substr(v.begin, v.end - v.begin), none).string_value();
}

std::string json_pointer_at(std::string_view text, std::size_t offset) {
  std::string best;
  int best_depth = -1;
  walk_json(text, [&](const JsonValue& v) {
    if (v.begin <= offset && offset < v.end && v.depth > best_depth) {
      best.assign(v.pointer);
      best_depth = v.depth;
    }
  });
  return best;
}

}  // namespace keygate
