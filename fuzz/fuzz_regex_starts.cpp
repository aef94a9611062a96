// Fuzz target: literal_starts (regex_starts.cpp), the reader of pattern text, on arbitrary patterns. The
// input is a pattern, a NUL, and a text: wherever RE2 finds a match of the pattern in the text, the match
// must begin with one of the strings literal_starts gives, and RegexSearch (which searches anchored at
// them) must find exactly RE2's matches and groups.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "regex_search.hpp"
#include "rules.hpp"

namespace {

bool begins_with_one(const std::vector<keygate::LiteralStart>& starts, std::string_view text) {
  return std::any_of(starts.begin(), starts.end(), [&](const keygate::LiteralStart& s) {
    if (s.bytes.size() > text.size()) return false;
    for (std::size_t k = 0; k < s.bytes.size(); ++k) {
      const auto c = static_cast<unsigned char>(text[k]);
      if ((s.fold[k] ? (c | 0x20) : c) != static_cast<unsigned char>(s.bytes[k])) return false;
    }
    return true;
  });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t cut = input.find('\0');
  const std::string pattern(input.substr(0, std::min(cut, input.size())));
  const auto starts = keygate::literal_starts(pattern);
  if (cut == std::string_view::npos || !starts) return 0;
  std::string error;
  const auto re = keygate::compile_regex(pattern, &error);
  const auto search = keygate::RegexSearch::compile(pattern, &error);
  if (!re || !search) return 0;
  const std::string_view text = input.substr(cut + 1);
  const re2::StringPiece t(text.data(), text.size());
  const int n = std::min(re->NumberOfCapturingGroups() + 1, 4);
  re2::StringPiece a[4], b[4];
  keygate::RegexMatch m;
  for (std::size_t pos = 0; pos <= text.size();) {
    const bool found = re->Match(t, pos, text.size(), RE2::UNANCHORED, a, n);
    if (found != search->find(t, pos, text.size(), &m)) __builtin_trap();
    if (!found) break;
    const auto begin = static_cast<std::size_t>(a[0].data() - text.data());
    if (!begins_with_one(*starts, text.substr(begin))) __builtin_trap();
    if (!search->submatches(t, m, b, n)) __builtin_trap();
    for (int g = 0; g < n; ++g) {
      if (a[g].data() != b[g].data() || a[g].size() != b[g].size()) __builtin_trap();
    }
    pos = std::max(begin + a[0].size(), begin + 1);
  }
  return 0;
}
