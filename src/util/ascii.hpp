// This file implements keygate's ASCII character helpers, used wherever a stage classifies or case-folds
// bytes (config keys, rule keywords, the generic detector, validators). They never consult the C locale:
// std::isalpha and std::tolower do, and keygate's inputs are bytes in any encoding, not text in the user's
// locale. Bytes outside ASCII are never letters or digits and are left as they are by lower() and upper().
#pragma once

#include <string>
#include <string_view>

namespace keygate {

constexpr bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
constexpr bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
constexpr bool is_alpha(char c) { return is_lower(c) || is_upper(c); }
constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }
constexpr bool is_alnum(char c) { return is_alpha(c) || is_digit(c); }
constexpr bool is_hex_digit(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// `c` in lower (upper) case when it is an ASCII letter; any other byte unchanged.
constexpr char lower(char c) { return is_upper(c) ? static_cast<char>(c - 'A' + 'a') : c; }
constexpr char upper(char c) { return is_lower(c) ? static_cast<char>(c - 'a' + 'A') : c; }

// `s` with its ASCII letters in lower case.
inline std::string lowered(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = lower(c);
  return out;
}

// True iff `s` begins with `lower_prefix` when its ASCII letters are read in lower case. REQUIRES:
// `lower_prefix` has no upper-case letter.
constexpr bool starts_with_lowered(std::string_view s, std::string_view lower_prefix) {
  if (s.size() < lower_prefix.size()) return false;
  for (std::size_t i = 0; i < lower_prefix.size(); ++i) {
    if (lower(s[i]) != lower_prefix[i]) return false;
  }
  return true;
}

// True iff `s` ends with `lower_suffix` when its ASCII letters are read in lower case. REQUIRES:
// `lower_suffix` has no upper-case letter.
constexpr bool ends_with_lowered(std::string_view s, std::string_view lower_suffix) {
  if (s.size() < lower_suffix.size()) return false;
  const std::size_t from = s.size() - lower_suffix.size();
  for (std::size_t i = 0; i < lower_suffix.size(); ++i) {
    if (lower(s[from + i]) != lower_suffix[i]) return false;
  }
  return true;
}

}  // namespace keygate
