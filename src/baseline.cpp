// This file implements --baseline: the fingerprints of an earlier keygate JSON report, so that only new
// findings are reported. A small JSON reader of its own: it accepts any JSON document and collects the
// string values of every "fingerprint" key.
#include <algorithm>
#include <cctype>

#include "error.hpp"
#include "file_io.hpp"
#include "report.hpp"
#include "utf8.hpp"

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
  [[noreturn]] void fail(const std::string& what) {
    int line = 1;
    for (std::size_t i = 0; i < pos_ && i < text_.size(); ++i) line += text_[i] == '\n';
    throw Error(name_ + ":" + std::to_string(line) + ": not a keygate JSON report: " + what);
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
            if (pos_ + 4 > text_.size() ||
                !std::all_of(text_.begin() + static_cast<std::ptrdiff_t>(pos_),
                             text_.begin() + static_cast<std::ptrdiff_t>(pos_ + 4),
                             [](char h) { return std::isxdigit(static_cast<unsigned char>(h)) != 0; })) {
              fail("bad \\u escape");
            }
            const auto code = static_cast<char32_t>(std::stoul(text_.substr(pos_, 4), nullptr, 16));
            pos_ += 4;
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
