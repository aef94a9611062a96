// This file declares the provider prefixes of a rule set: the literal strings a provider's key begins with
// (`tgp_v1_`, `ghp_`, `glpat-`, `xoxb-`), read from its rule's secret group. The detector (matcher.cpp)
// uses them on generic findings: a value that begins with a provider's prefix and yet is not that
// provider's key (its rule did not match it: the wrong length, a character outside its alphabet) is a
// look-alike of that key, a test value or a truncated one, and is reported at `low` only.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace keygate {

class Rule;

// The text inside the `group`-th capturing group of `pattern` (RE2 syntax; 1-based, counted by opening
// parenthesis as RE2 counts them: `(`, `(?P<name>` and `(?<name>` capture, `(?:` and `(?i)` do not);
// empty when there is no such group or the pattern is not balanced. Escapes and character classes are
// skipped, so a `(` inside them opens nothing.
std::string_view capture_group_text(std::string_view pattern, int group);

// The provider prefixes of `rules` (each rule with a regex that is not generic, Rule::generic), lower case,
// sorted, unique: every literal start of a rule's secret group (regex_search.hpp's literal_starts)
// that is at least 4 bytes long and holds a `_` or `-`, as vendors' prefixes do; a start without one
// (`AKIA`, `eyJ`) could be the beginning of any random value.
std::vector<std::string> provider_prefixes(const std::vector<std::unique_ptr<Rule>>& rules);

// True iff `value` begins with one of `prefixes` (provider_prefixes), ignoring ASCII case.
bool has_provider_prefix(std::string_view value, const std::vector<std::string>& prefixes);

}  // namespace keygate
