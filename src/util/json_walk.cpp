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

  bool run(std::size_t* error_at) {
    skip_space();
    bool ok = value(std::string_view(), 0);
    if (ok) {
      skip_space();
      ok = pos_ == text_.size();
    }
    if (!ok && error_at != nullptr) *error_at = pos_;
    return ok;
  }

 private:
  void skip_space() {
    while (pos_ < text_.size() &&
           (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }

  bool literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
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
      if (c < 0x20) return false;
      if (c != '\\') {
        if (out != nullptr) *out += static_cast<char>(c);
        ++pos_;
        continue;
      }
      if (++pos_ >= text_.size()) return false;
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
          if (!hex4(&cp)) return false;
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
          return false;
      }
    }
    return false;
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
      return false;
    }
    if (pos_ < text_.size() && text_[pos_] == '.') {
      ++pos_;
      if (digits() == 0) return false;
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      if (digits() == 0) return false;
    }
    return pos_ > start;
  }

  // One value at pos_ (after whitespace), named `key` in its parent; the pointer to it is pointer_.
  bool value(std::string_view key, int depth) {
    if (pos_ >= text_.size() || depth > kMaxJsonDepth) return false;
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
        if (pos_ >= text_.size() || text_[pos_] != '"' || !string(&name)) return false;
        skip_space();
        if (pos_ >= text_.size() || text_[pos_] != ':') return false;
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
      return false;
    }
  }

 private:
  std::string_view text_;
  const std::function<void(const JsonValue&)>& visit_;
  std::size_t pos_ = 0;
  std::string pointer_;
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

bool walk_json(std::string_view text, const std::function<void(const JsonValue&)>& visit,
               std::size_t* error_at) {
  Walker walker(text, visit);
  return walker.run(error_at);
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
