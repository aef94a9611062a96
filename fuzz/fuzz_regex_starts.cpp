// Fuzz target: literal_starts (regex_starts.cpp), the reader of pattern text, on arbitrary patterns. The
// input is a pattern, a NUL, and a text: wherever RE2 finds a match of the pattern in the text, the match
// must begin with one of the strings literal_starts gives (at a word boundary if the string says so), and
// RegexSearch (which searches anchored at them) must find exactly RE2's matches and groups. The hit gate
// (hit_gate.cpp) of the pattern keyed on the first two bytes of each string must keep the keyword
// occurrence at the start of every match's core. capture_group_text must find each group RE2 counts.
#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "rules/hit_gate.hpp"
#include "rules/provider_prefixes.hpp"
#include "rules/regex_search.hpp"
#include "rules/rules.hpp"

namespace {

// True iff text[at...] begins with one of `starts`, with its word boundary.
bool begins_with_one(const std::vector<keygate::LiteralStart>& starts, std::string_view text,
                     std::size_t at) {
  return std::any_of(starts.begin(), starts.end(), [&](const keygate::LiteralStart& s) {
    if (s.bytes.size() > text.size() - at) return false;
    for (std::size_t k = 0; k < s.bytes.size(); ++k) {
      const auto c = static_cast<unsigned char>(text[at + k]);
      if ((s.fold[k] ? (c | 0x20) : c) != static_cast<unsigned char>(s.bytes[k])) return false;
    }
    return !s.word_boundary || keygate::word_boundary_at(text, at);
  });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t cut = input.find('\0');
  const std::string pattern(input.substr(0, std::min(cut, input.size())));
  std::string error;
  // capture_group_text (provider_prefixes.cpp), the other reader of pattern text: in a pattern RE2 takes,
  // each capturing group's text is itself a pattern RE2 takes, and there is no group past the last.
  if (const auto whole = keygate::compile_regex(pattern, &error)) {
    const int groups = whole->NumberOfCapturingGroups();
    for (int g = 1; g <= std::min(groups, 4); ++g) {
      const std::string_view inside = keygate::capture_group_text(pattern, g);
      if (!inside.empty() && !keygate::compile_regex(std::string(inside), &error)) __builtin_trap();
    }
    if (!keygate::capture_group_text(pattern, groups + 1).empty()) __builtin_trap();
  }
  const auto starts = keygate::literal_starts(pattern);
  if (cut == std::string_view::npos || !starts) return 0;
  const auto re = keygate::compile_regex(pattern, &error);
  const auto search = keygate::RegexSearch::compile(pattern, &error);
  if (!re || !search) return 0;
  const std::string_view text = input.substr(cut + 1);
  std::vector<std::string> keywords;
  const auto cores = keygate::core_starts(pattern);
  for (const keygate::LiteralStart& s : cores ? *cores : *starts) {
    std::string k = s.bytes.substr(0, 2);
    for (char& c : k) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    keywords.push_back(k);
  }
  const auto gate = keygate::HitGate::of(pattern, keywords);
  const re2::StringPiece t(text.data(), text.size());
  const int n = std::min(re->NumberOfCapturingGroups() + 1, 4);
  re2::StringPiece a[4], b[4];
  keygate::RegexMatch m;
  for (std::size_t pos = 0; pos <= text.size();) {
    const bool found = re->Match(t, pos, text.size(), RE2::UNANCHORED, a, n);
    if (found != search->find(t, pos, text.size(), &m)) __builtin_trap();
    if (!found) break;
    const auto begin = static_cast<std::size_t>(a[0].data() - text.data());
    if (!begins_with_one(*starts, text, begin)) __builtin_trap();
    if (gate && !gate->admits(text, m.core + 2)) __builtin_trap();
    if (!search->submatches(t, m, b, n)) __builtin_trap();
    for (int g = 0; g < n; ++g) {
      if (a[g].data() != b[g].data() || a[g].size() != b[g].size()) __builtin_trap();
    }
    pos = std::max(begin + a[0].size(), begin + 1);
  }
  return 0;
}
