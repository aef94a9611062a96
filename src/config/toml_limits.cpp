// This file implements the checks a config text passes before toml11 sees it (see toml_limits.hpp).
#include "config/toml_limits.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "util/utf8.hpp"

namespace keygate {
namespace {

// Offset of the first byte that is not valid UTF-8, or npos. TOML files must be UTF-8; checking here
// also keeps toml11 3.7 away from its error path for invalid UTF-8 in a multi-line literal string, which
// reads out of bounds (found by fuzz/fuzz_config.cpp).
std::size_t first_invalid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = utf8_sequence_length(s, i);
    if (n == 0) return i;
    i += n;
  }
  return std::string_view::npos;
}

// toml11 parses recursively and splits dotted keys without bounds: 10,000 nested `[` overflow the stack,
// a 100,000-part dotted key takes half a minute. No rules file comes near these limits.
constexpr std::size_t kMaxTomlBytes = 16u << 20;
constexpr int kMaxTomlNesting = 32;   // open arrays and inline tables
constexpr int kMaxTomlKeyParts = 32;  // parts of one dotted key

// Throws Error("name:line: ...") when `text` is larger or deeper than the limits above. A light scan that
// knows TOML's strings and comments, so that brackets and dots inside them do not count.
void check_toml_shape(std::string_view text, const std::string& name) {
  if (text.size() > kMaxTomlBytes) {
    throw Error(name + ": invalid TOML: larger than " + std::to_string(kMaxTomlBytes >> 20) + " MB");
  }
  int line = 1, depth = 0, dots = 0;
  auto fail = [&](const std::string& what) {
    throw Error(name + ":" + std::to_string(line) + ": invalid TOML: " + what);
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') {
      ++line;
      dots = 0;
    } else if (c == '#') {
      while (i + 1 < text.size() && text[i + 1] != '\n') ++i;
    } else if (c == '"' || c == '\'') {
      const bool multi = text.substr(i, 3) == std::string(3, c);
      const std::string_view close = multi ? text.substr(i, 3) : text.substr(i, 1);
      for (i += close.size(); i < text.size(); ++i) {
        if (text[i] == '\n') {
          if (!multi) break;  // an unterminated string: toml11 reports it
          ++line;
        } else if (c == '"' && text[i] == '\\') {
          ++i;
          if (i < text.size() && text[i] == '\n') ++line;
        } else if (text.substr(i, close.size()) == close) {
          i += close.size() - 1;
          break;
        }
      }
    } else if (c == '[' || c == '{') {
      dots = 0;
      if (++depth > kMaxTomlNesting)
        fail("nested deeper than " + std::to_string(kMaxTomlNesting) + " levels");
    } else if (c == ']' || c == '}') {
      dots = 0;
      if (depth > 0) --depth;
    } else if (c == '=' || c == ',') {
      dots = 0;
    } else if (c == '.') {
      if (++dots >= kMaxTomlKeyParts)
        fail("a key of more than " + std::to_string(kMaxTomlKeyParts) + " parts");
    }
  }
}

}  // namespace

void check_toml_text(std::string_view text, const std::string& name) {
  if (const std::size_t bad = first_invalid_utf8(text); bad != std::string_view::npos) {
    const auto line = 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(bad), '\n');
    throw Error(name + ":" + std::to_string(line) + ": invalid TOML: not UTF-8");
  }
  check_toml_shape(text, name);
}

}  // namespace keygate
