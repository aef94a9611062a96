// Fuzz target: arbitrary bytes through the detector with the default rules, as a whole file, as added
// lines of a staged file, and as a chunk of a larger one; and the lazy-run split search (regex_search.hpp)
// against RE2's search of the whole pattern, which must find the same matches and groups.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "config/config.hpp"
#include "detect/matcher.hpp"
#include "rules/regex_search.hpp"
#include "rules/rules.hpp"

namespace {

// gitleaks' semi-generic shape, with a run and counters short enough for the fuzzer to reach matches.
const std::string kSplitPattern =
    R"((?i)[\w.-]{0,8}?(?:key|tok(?:en)?|(?-i:Api))(?:[ \t\w.-]{0,4})[\s'"]{0,2}(?:=|:{1,2}=|:)[\x60'"\s=]{0,3}([\w.=-]{4,12}|[a-z0-9][a-z0-9+/]{3,}={0,2})(?:[\x60'"\s;]|\\[nr]|$))";

void compare_split(std::string_view bytes) {
  std::string error;
  static const auto split = keygate::RegexSearch::compile(kSplitPattern, &error);
  static const auto whole = keygate::compile_regex(kSplitPattern, &error);  // RE2 alone
  if (!split || split->whole() != nullptr || !whole) __builtin_trap();
  const re2::StringPiece text(bytes.data(), bytes.size());
  const std::size_t from = bytes.size() / 7, to = bytes.size() - bytes.size() / 9;
  re2::StringPiece a[3], b[2];
  keygate::RegexMatch ma;
  for (std::size_t pos = from; pos <= to;) {
    const bool found_a = split->find(text, pos, to, &ma);
    const bool found_b = whole->Match(text, pos, to, RE2::UNANCHORED, b, 2);
    if (found_a != found_b) __builtin_trap();
    if (!found_a) break;
    if (!split->submatches(text, ma, a, 2)) __builtin_trap();
    if (a[0].data() != b[0].data() || a[0].size() != b[0].size() || a[1] != b[1] ||
        a[1].data() != b[1].data())
      __builtin_trap();
    pos = std::max(ma.end, ma.begin + 1);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const keygate::RuleSet rules(keygate::default_config());
  keygate::Fragment f;
  f.text = std::string_view(reinterpret_cast<const char*>(data), size);
  f.origin.path = "fuzz.env";
  for (const keygate::Finding& finding : keygate::detect(rules, f)) {
    if (finding.line < 1 || finding.column < 1 || finding.secret.empty()) __builtin_trap();
  }
  const std::vector<keygate::LineRange> added = {{1, 1}, {3, 5}};
  f.added_lines = &added;
  f.report_from = size / 3;
  f.report_to = size - size / 3;
  (void)keygate::detect(rules, f);
  compare_split(f.text);
  return 0;
}
