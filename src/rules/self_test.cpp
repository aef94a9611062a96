// This file implements the rule self-test (see rules/self_test.hpp).
#include "rules/self_test.hpp"

#include <fmt/core.h>

#include <algorithm>

#include "detect/matcher.hpp"
#include "report/redact_text.hpp"
#include "report/report.hpp"

namespace keygate {

namespace {

// The embedded defaults leave out their rules' examples and lookalikes (every run would load them; only
// this self-test reads them): a built-in rule's come from the embedded patterns.toml text, parsed here.
const RuleSpec& with_examples(const Rule& rule) {
  if (!rule.builtin() || !rule.spec().examples.empty()) return rule.spec();
  static const Config& full = *new Config(parse_config(default_config_text(), kBuiltInConfigName));
  for (const RuleSpec& r : full.rules) {
    if (r.id == rule.spec().id) return r;
  }
  return rule.spec();
}

}  // namespace

bool test_rules(const RuleSet& rules, std::FILE* out) {
  int checked = 0, failed = 0, without_examples = 0;
  for (const auto& rule : rules.rules()) {
    const RuleSpec& spec = with_examples(*rule);
    if (spec.examples.empty()) ++without_examples;
    std::vector<std::string> secrets;  // of the last text checked: a firing lookalike is shown redacted (E14)
    auto fires = [&](const std::string& text) {
      Fragment f;
      f.text = text;
      f.origin.path = spec.path.empty() ? "example.txt" : "example";
      const std::vector<Finding> found = detect(rules, f);
      secrets.clear();
      for (const Finding& x : found) secrets.push_back(x.secret);
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
        const std::string shown = redact_each(e, secrets);
        fmt::print(out, "{}:{}: rule \"{}\": lookalike reported: {}\n", spec.file, spec.line, spec.id,
                   json_string(shown.size() > 80 ? shown.substr(0, 80) + "..." : shown));
      }
    }
  }
  fmt::print(out, "{} rules, {} examples checked, {} failed, {} rules without examples\n",
             rules.rules().size(), checked, failed, without_examples);
  return failed == 0;
}

}  // namespace keygate
