// This file implements the rule self-test (see rules_test.hpp).
#include "rules_test.hpp"

#include <fmt/core.h>

#include <algorithm>

#include "matcher.hpp"
#include "report.hpp"

namespace keygate {

bool test_rules(const RuleSet& rules, std::FILE* out) {
  int checked = 0, failed = 0, without_examples = 0;
  for (const auto& rule : rules.rules()) {
    const RuleSpec& spec = rule->spec();
    if (spec.examples.empty()) ++without_examples;
    auto fires = [&](const std::string& text) {
      Fragment f;
      f.text = text;
      f.origin.path = spec.path.empty() ? "example.txt" : "example";
      const std::vector<Finding> found = scan(rules, f);
      return std::any_of(found.begin(), found.end(), [&](const Finding& x) { return x.rule_id == spec.id; });
    };
    for (const std::string& e : spec.examples) {
      ++checked;
      if (!fires(e)) {
        ++failed;
        fmt::print(out, "{}:{}: rule \"{}\": example not reported: {}\n", spec.file, spec.line, spec.id,
                   json_string(e.size() > 80 ? e.substr(0, 80) + "..." : e));
      }
    }
    for (const std::string& e : spec.lookalikes) {
      ++checked;
      if (fires(e)) {
        ++failed;
        fmt::print(out, "{}:{}: rule \"{}\": lookalike reported: {}\n", spec.file, spec.line, spec.id,
                   json_string(e.size() > 80 ? e.substr(0, 80) + "..." : e));
      }
    }
  }
  fmt::print(out, "{} rules, {} examples checked, {} failed, {} rules without examples\n",
             rules.rules().size(), checked, failed, without_examples);
  return failed == 0;
}

}  // namespace keygate
