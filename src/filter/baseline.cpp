// This file implements --baseline: the fingerprints of an earlier keygate JSON report, so that only new
// findings are reported. A small JSON reader of its own: it accepts any JSON document and collects the
// string values of every "fingerprint" key.
#include <algorithm>
#include <cctype>

#include "core/error.hpp"
#include "report/report.hpp"
#include "util/file_io.hpp"
#include "util/utf8.hpp"

namespace keygate {
namespace {

class JsonReader {
 public:
  JsonReader(std::string text, std::string name) : text_(std::move(text)), name_(std::move(name)) {}

  std::vector<std::string> fingerprints() {
    value(0);
    skip_space();
    if (pos_ != text_.size()) fail("unexpected text after the JSON value");
    return found_;
  }

 private:
  [[noreturn]] void fail(const std::string& what) { fail_at(pos_, what); }
  [[noreturn]] void fail_at(std::size_t at, const std::string& what) {
    int line = 1;
    std::size_t line_start = 0;
    for (std::size_t i = 0; i < at && i < text_.size(); ++i) {
      if (text_[i] == '\n') ++line, line_start = i + 1;
    }
    throw Error(name_ + ":" + std::to_string(line) + ":" + std::to_string(at - line_start + 1) +
                ": not a keygate JSON report: " + what);
  }
  // The four hex digits of a \u escape at pos_ (after the "\u"), as a code unit.
  unsigned hex4() {
    const std::size_t escape_start = pos_ - 2;
    unsigned code = 0;
    for (int k = 0; k < 4; ++k, ++pos_) {
      const char h = pos_ < text_.size() ? text_[pos_] : '\0';
      const int digit = h >= '0' && h <= '9'   ? h - '0'
                        : h >= 'a' && h <= 'f' ? h - 'a' + 10
                        : h >= 'A' && h <= 'F' ? h - 'A' + 10
                                               : -1;
      if (digit < 0) fail_at(escape_start, "bad \\u escape (four hex digits expected)");
      code = code * 16 + static_cast<unsigned>(digit);
    }
    return code;
  }
  void skip_space() {
    while (pos_ < text_.size() &&
           (text_[pos_] == ' ' || text_[pos_] == '\n' || text_[pos_] == '\r' || text_[pos_] == '\t')) {
      ++pos_;
    }
  }
  void expect(char c) {
    skip_space();
    if (pos_ >= text_.size() || text_[pos_] != c) fail(std::string("expected '") + c + "'");
    ++pos_;
  }
  std::string string() {
    expect('"');
    std::string out;
    while (pos_ < text_.size() && text_[pos_] != '"') {
      char c = text_[pos_++];
      if (c == '\\') {
        if (pos_ >= text_.size()) break;
        const char e = text_[pos_++];
        switch (e) {
          case 'n':
            out += '\n';
            break;
          case 't':
            out += '\t';
            break;
          case 'r':
            out += '\r';
            break;
          case 'b':
            out += '\b';
            break;
          case 'f':
            out += '\f';
            break;
          case 'u': {
            unsigned code = hex4();
            // A surrogate pair is one character outside the BMP (JSON's only way to write one escaped).
            if (code >= 0xD800 && code < 0xDC00 && text_.compare(pos_, 2, "\\u") == 0) {
              pos_ += 2;
              const unsigned low = hex4();
              if (low < 0xDC00 || low > 0xDFFF) fail_at(pos_ - 6, "bad \\u escape (unpaired surrogate)");
              code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
            }
            char bytes[4];
            out.append(bytes, encode_utf8(code, bytes));
            break;
          }
          default:
            out += e;
        }
      } else {
        out += c;
      }
    }
    if (pos_ >= text_.size()) fail("unterminated string");
    ++pos_;
    return out;
  }
  void value(int depth) {
    if (depth > 64) fail("nested too deeply");
    skip_space();
    if (pos_ >= text_.size()) fail("unexpected end");
    const char c = text_[pos_];
    if (c == '{') {
      ++pos_;
      skip_space();
      if (pos_ < text_.size() && text_[pos_] == '}') {
        ++pos_;
        return;
      }
      for (;;) {
        const std::string key = string();
        expect(':');
        skip_space();
        if (key == "fingerprint" && pos_ < text_.size() && text_[pos_] == '"') {
          found_.push_back(string());
        } else {
          value(depth + 1);
        }
        skip_space();
        if (pos_ < text_.size() && text_[pos_] == ',') {
          ++pos_;
          continue;
        }
        expect('}');
        return;
      }
    }
    if (c == '[') {
      ++pos_;
      skip_space();
      if (pos_ < text_.size() && text_[pos_] == ']') {
        ++pos_;
        return;
      }
      for (;;) {
        value(depth + 1);
        skip_space();
        if (pos_ < text_.size() && text_[pos_] == ',') {
          ++pos_;
          continue;
        }
        expect(']');
        return;
      }
    }
    if (c == '"') {
      string();
      return;
    }
    const std::size_t start = pos_;
    while (pos_ < text_.size() &&
           std::string_view("+-.0123456789eEtruefalsn").find(text_[pos_]) != std::string_view::npos) {
      ++pos_;
    }
    if (pos_ == start) fail("unexpected character");
  }

  std::string text_;
  std::string name_;
  std::size_t pos_ = 0;
  std::vector<std::string> found_;
};

}  // namespace

std::vector<std::string> read_baseline_fingerprints(const std::string& path) {
  return JsonReader(load_file(path), path).fingerprints();
}

}  // namespace keygate
