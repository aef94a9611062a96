// Tests for provider_prefixes.cpp: a pattern's capturing group found by its text, the provider prefixes
// of a rule set, and what the detector does with them: a generic value that begins with a provider's
// prefix but is not that provider's key is a look-alike, reported at `low` only.
#include <catch2/catch.hpp>

#include "config/config.hpp"
#include "detect/matcher.hpp"
#include "rules/provider_prefixes.hpp"
#include "rules/rules.hpp"
#include "support/repo.hpp"

using namespace keygate;

TEST_CASE("capture_group_text finds a group by its number, past escapes, classes and other groups") {
  CHECK(capture_group_text("(?:^|[^0-9A-Za-z_-]|\\\\[nrt])(tgp_v1_[0-9A-Za-z_-]{43})(?:[^0-9A-Za-z_-]|$)",
                           1) == "tgp_v1_[0-9A-Za-z_-]{43}");
  CHECK(capture_group_text("a\\(b(c)(d(e))", 2) == "d(e)");
  CHECK(capture_group_text("a\\(b(c)(d(e))", 3) == "e");
  CHECK(capture_group_text("[(](x)", 1) == "x");
  CHECK(capture_group_text("[]()](x)", 1) == "x");
  CHECK(capture_group_text("[[:alpha:](](x)", 1) == "x");
  CHECK(capture_group_text("(?P<key>sk_[a-z]+)", 1) == "sk_[a-z]+");
  CHECK(capture_group_text("\\Q(\\E(y)", 1) == "y");
  CHECK(capture_group_text("(?i)(?:a|b)", 1).empty());
  CHECK(capture_group_text("(unclosed", 1).empty());
  CHECK(capture_group_text("(x)", 2).empty());
}

TEST_CASE("provider prefixes: each provider rule's literal key starts with a _ or -, not generic rules'") {
  const RuleSet rules(parse_config(R"([[rules]]
id = 'together'
regex = '''(?:^|\W)(tgp_v1_[0-9A-Za-z_-]{43})'''
keywords = ['tgp_v1_']

[[rules]]
id = 'slack'
regex = '''(xox[bp]-[0-9A-Za-z-]{20,})'''
keywords = ['xox']

[[rules]]
id = 'aws'
regex = '''((?:AKIA|ASIA)[A-Z2-7]{16})'''
keywords = ['akia', 'asia']

[[rules]]
id = 'generic-token'
regex = '''token = (gen_[a-z]{20})'''
keywords = ['token']
)",
                                   "t.toml"));
  CHECK(rules.provider_prefixes() == std::vector<std::string>{"tgp_v1_", "xoxb-", "xoxp-"});
  CHECK(has_provider_prefix("TGP_V1_abc", rules.provider_prefixes()));
  CHECK_FALSE(has_provider_prefix("tgp_v2_abc", rules.provider_prefixes()));
  CHECK_FALSE(has_provider_prefix("tgp", rules.provider_prefixes()));
}

TEST_CASE("a generic value with a provider's prefix that is not its key is a look-alike, at low") {
  static const RuleSet rules(default_config());  // the embedded defaults
  const std::string key = test::fake_together_key(41);
  auto level_of = [&](const std::string& value) {
    const std::string text = "TOGETHER_API_KEY = \"" + value + "\"\n";
    Fragment f;
    f.text = text;
    f.origin.path = "settings.py";
    std::vector<std::pair<std::string, Confidence>> out;
    for (const Finding& found : detect(rules, f)) out.emplace_back(found.rule_id, found.confidence);
    return out;
  };
  using Found = std::vector<std::pair<std::string, Confidence>>;
  CHECK(level_of(key) == Found{{"together-api-key", Confidence::High}});
  // One character more or fewer, or the prefix upper-cased: not a Together key, and no other report.
  CHECK(level_of(key + "X") == Found{{"generic-secret", Confidence::Low}});
  CHECK(level_of(key.substr(0, key.size() - 1)) == Found{{"generic-secret", Confidence::Low}});
  std::string upper = key;
  for (std::size_t i = 0; i < 7; ++i) upper[i] = static_cast<char>(std::toupper(upper[i]));
  CHECK(level_of(upper) == Found{{"generic-secret", Confidence::Low}});
  // An unknown prefix (a version Together has not published) is any random value: as sure as before.
  std::string other = key;
  other[5] = '9';
  CHECK(level_of(other).at(0).second != Confidence::Low);
}
