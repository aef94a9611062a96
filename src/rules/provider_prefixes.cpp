// This file implements the provider prefixes (see provider_prefixes.hpp): a rule's secret group found in
// its pattern's text, and that group's literal starts.
#include "rules/provider_prefixes.hpp"

#include <algorithm>

#include "rules/regex_search.hpp"
#include "rules/rules.hpp"
#include "util/ascii.hpp"

namespace keygate {

std::string_view capture_group_text(std::string_view pattern, int group) {
  int seen = 0;
  std::size_t begin = std::string_view::npos;  // just after the wanted group's opening parenthesis
  int depth = 0;                               // parentheses open inside the wanted group
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\') {
      if (i + 1 < pattern.size() && pattern[i + 1] == 'Q') {  // \Q...\E: quoted text, up to \E or the end
        const std::size_t end = pattern.find("\\E", i + 2);
        if (end == std::string_view::npos) break;
        i = end + 1;
        continue;
      }
      ++i;  // an escaped character, whatever it is
      continue;
    }
    if (c == '[') {
      // A class: a ']' first (or after '^') is a member; a member may be escaped; [:alpha:] nests.
      std::size_t j = i + 1;
      if (j < pattern.size() && pattern[j] == '^') ++j;
      if (j < pattern.size() && pattern[j] == ']') ++j;
      for (; j < pattern.size() && pattern[j] != ']'; ++j) {
        if (pattern[j] == '\\') {
          ++j;
        } else if (pattern[j] == '[' && j + 1 < pattern.size() && pattern[j + 1] == ':') {
          const std::size_t end = pattern.find(":]", j + 2);
          if (end == std::string_view::npos) return {};
          j = end + 1;
        }
      }
      if (j >= pattern.size()) return {};
      i = j;
      continue;
    }
    if (c == '(') {
      const std::string_view rest = pattern.substr(i + 1);
      const bool capturing = !rest.starts_with("?") || rest.starts_with("?P<") || rest.starts_with("?<");
      if (begin != std::string_view::npos) {
        ++depth;
      } else if (capturing && ++seen == group) {
        begin = i + 1;
        if (rest.starts_with("?")) begin = pattern.find('>', i) + 1;  // past the group's name
      }
      continue;
    }
    if (c == ')' && begin != std::string_view::npos) {
      if (depth == 0) return pattern.substr(begin, i - begin);
      --depth;
    }
  }
  return {};
}

std::vector<std::string> provider_prefixes(const std::vector<std::unique_ptr<Rule>>& rules) {
  std::vector<std::string> out;
  for (const auto& rule : rules) {
    const RuleSpec& spec = rule->spec();
    if (rule->generic() || spec.regex.empty()) continue;
    const std::string_view group = capture_group_text(spec.regex, std::max(1, spec.secret_group));
    if (group.empty()) continue;
    const std::optional<std::vector<LiteralStart>> starts = literal_starts(group);
    if (!starts) continue;
    for (const LiteralStart& start : *starts) {
      const std::string& b = start.bytes;
      if (b.size() >= 4 && b.find_first_of("_-") != std::string::npos) out.push_back(lowered(b));
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

bool has_provider_prefix(std::string_view value, const std::vector<std::string>& prefixes) {
  return std::any_of(prefixes.begin(), prefixes.end(),
                     [&](const std::string& p) { return starts_with_lowered(value, p); });
}

}  // namespace keygate
