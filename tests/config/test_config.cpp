// Tests for config.cpp: the schema, every kind of bad input with its place, merging, the embedded copy.
#include <catch2/catch.hpp>
#include <sstream>

#include "config/config.hpp"
#include "config/toml_line.hpp"
#include "core/error.hpp"
#include "rules/rules.hpp"

using namespace keygate;

namespace {

std::string error_of(const std::string& toml) {
  try {
    Config c = parse_config(toml, "patterns.toml");
    validate_config(c);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("a gitleaks-style rule is read with every field") {
  const Config c = parse_config(R"([[rules]]
id = "x"
description = "X key"
regex = '''x_([a-z]{8})'''
secretGroup = 1
entropy = 2.5
keywords = ["X_"]
path = '''\.env$'''
tags = ["t"]
[[rules.allowlists]]
condition = "AND"
regexTarget = "line"
regexes = ['''test''']
stopwords = ["Example"]
[[allowlists]]
paths = ['''^vendor/''']
targetRules = ["x"]
)",
                                "p.toml");
  REQUIRE(c.rules.size() == 1);
  const RuleSpec& r = c.rules[0];
  CHECK(r.id == "x");
  CHECK((r.secret_group == 1));
  CHECK(r.entropy == 2.5);
  CHECK(r.keywords == std::vector<std::string>{"x_"});  // lower-cased
  CHECK(r.line == 1);
  REQUIRE(r.allowlists.size() == 1);
  CHECK(r.allowlists[0].condition == Condition::And);
  CHECK(r.allowlists[0].regex_target == RegexTarget::Line);
  CHECK(r.allowlists[0].stopwords == std::vector<std::string>{"example"});
  REQUIRE(c.allowlists.size() == 1);
  CHECK(c.allowlists[0].target_rules == std::vector<std::string>{"x"});
}

TEST_CASE("invalid TOML names the file and line") {
  const std::string e = error_of("[[rules]]\nid = \"x\"\nregex = \n");
  CHECK(e.rfind("patterns.toml:3: invalid TOML", 0) == 0);
  CHECK(e.find('\n') == std::string::npos);
}

TEST_CASE("an unknown field is an error with its line and rule") {
  CHECK(error_of("[[rules]]\nid = \"x\"\nregex = 'a'\nregx = 'b'\n") ==
        "patterns.toml:4: rule \"x\": unknown field \"regx\"");
}

TEST_CASE("a wrong type is an error") {
  CHECK(error_of("[[rules]]\nid = \"x\"\nregex = 'a'\nkeywords = \"a\"\n") ==
        "patterns.toml:4: rule \"x\": \"keywords\" must be an array of strings, not string");
}

TEST_CASE("a regex RE2 rejects is reported with the rule id and place") {
  const std::string e = error_of("[[rules]]\nid = \"x\"\nregex = '(a'\n");
  CHECK(e.rfind("patterns.toml:3: rule \"x\": invalid regex: missing )", 0) == 0);
}

TEST_CASE("a secretGroup the regex lacks is an error") {
  CHECK(error_of("[[rules]]\nid = \"x\"\nregex = '(a)'\nsecretGroup = 2\n") ==
        "patterns.toml:1: rule \"x\": secretGroup 2 but the regex has 1 capture group(s)");
}

TEST_CASE("every problem in a file is reported at once, in line order") {
  const std::string e = error_of(
      "[[rules]]\nid = \"a\"\nregex = '(x'\n[[rules]]\nid = \"b\"\nbogus = 1\nregex = 'y'\n[[rules]]\nid = "
      "\"a\"\n"
      "regex = 'z'\n");
  const std::size_t bogus = e.find("patterns.toml:6: rule \"b\": unknown field \"bogus\"");
  const std::size_t duplicate = e.find("patterns.toml:8: rule \"a\": duplicate rule id");
  INFO(e);
  REQUIRE(bogus != std::string::npos);
  REQUIRE(duplicate != std::string::npos);
  CHECK(bogus < duplicate);  // line 6 before line 8, though the duplicate is found last
  CHECK(std::count(e.begin(), e.end(), '\n') == 1);
}

TEST_CASE("a rule needs an id and a regex or path") {
  CHECK(error_of("[[rules]]\ndescription = 'x'\n").find("rule without an \"id\"") != std::string::npos);
  CHECK(error_of("[[rules]]\nid = 'x'\n").find("needs a \"regex\" or a \"path\"") != std::string::npos);
}

TEST_CASE("an empty rule set cannot build a RuleSet") {
  const Config c = parse_config("title = 'nothing'\n", "empty.toml");
  CHECK_THROWS_WITH(RuleSet(c), "empty.toml: no rules: keygate would find nothing");
}

TEST_CASE("unsupported gitleaks fields are warnings, not silence") {
  const Config c = parse_config("[[rules]]\nid = 'x'\nregex = 'a'\nskipReport = true\n", "g.toml");
  REQUIRE(c.warnings.size() == 1);
  CHECK(c.warnings[0] == "g.toml:4: \"skipReport\" is not supported: the rule is reported like any other");
}

TEST_CASE("merging replaces rules by id, appends new ones and drops disabled ones") {
  Config base = parse_config("[[rules]]\nid = 'a'\nregex = 'a'\n[[rules]]\nid = 'b'\nregex = 'b'\n", "base");
  const Config overlay = parse_config(
      "[extend]\nuseDefault = true\ndisabledRules = ['b']\n[[rules]]\nid = 'a'\nregex = 'A'\n[[rules]]\nid = "
      "'c'\n"
      "regex = 'c'\n",
      "overlay");
  CHECK(overlay.use_default == true);
  const Config merged = merge_configs(base, overlay);
  REQUIRE(merged.rules.size() == 2);
  CHECK(merged.rules[0].id == "a");
  CHECK(merged.rules[0].regex == "A");
  CHECK(merged.rules[1].id == "c");
}

TEST_CASE("the embedded defaults equal patterns.toml parsed at run time, less examples and lookalikes") {
  Config parsed = parse_config(default_config_text(), kBuiltInConfigName);
  const Config& embedded = default_config();
  REQUIRE(parsed.rules.size() == embedded.rules.size());
  for (RuleSpec& rule : parsed.rules) {
    rule.examples.clear();
    rule.lookalikes.clear();
  }
  CHECK((serialize_config(parsed) == serialize_config(embedded)));  // (no expansion: it is large)
  CHECK(embedded.rules.size() >= 2);
  CHECK_NOTHROW(validate_config(embedded));
}

TEST_CASE("truncated embedded bytes are an error, not a crash") {
  const std::string bytes = serialize_config(default_config());
  for (std::size_t n : {std::size_t{0}, std::size_t{3}, bytes.size() / 2, bytes.size() - 1}) {
    CHECK_THROWS_AS(deserialize_config(bytes.substr(0, n)), Error);
  }
}

TEST_CASE("betterleaks: an entropy filter becomes entropy, other expressions are warned about") {
  const Config c = parse_config(R"(betterleaksMinVersion = "v1.6.0"
[[rules]]
id = "a"
regex = 'a(\w+)'
filter = '''filter.entropy(finding["secret"]) <= 3.5
'''
validate = "cel"
[[rules]]
id = "b"
regex = 'b(\w+)'
filter = 'secret.startsWith("x")'
validate = "cel"
)",
                                "b.toml");
  CHECK(c.rules[0].entropy == 3.5);
  CHECK(c.rules[1].entropy == 0);
  REQUIRE(c.warnings.size() == 2);
  CHECK(c.warnings[0].find("\"filter\" is not supported") != std::string::npos);
  CHECK((c.warnings[1] == "b.toml:7: \"validate\" is not supported (2 places): betterleaks expressions are "
                          "not evaluated; declare a [rules.verify] table instead"));
}

TEST_CASE("text that is not UTF-8 is refused with its line (toml11 would read out of bounds)") {
  CHECK_THROWS_WITH(parse_config("a = 1\nb = \'\'\'x\xff\'\'\'\n", "u.toml"),
                    "u.toml:2: invalid TOML: not UTF-8");
}

TEST_CASE("D9: deeply nested TOML is refused with its place before toml11 sees it") {
  const std::string deep = "x = " + std::string(10000, '[') + "\n";
  const std::string e = error_of("# deep\n" + deep);
  CHECK_THAT(e, Catch::Contains("patterns.toml:2: invalid TOML: nested deeper than"));
  const std::string tables = "x = " + std::string(5000, '{') + "\n";
  CHECK_THAT(error_of(tables), Catch::Contains("patterns.toml:1: invalid TOML: nested deeper than"));
}

TEST_CASE("D9: a dotted key of 100,000 parts is refused at once with its place") {
  std::string key = "[a";
  for (int i = 0; i < 100000; ++i) key += ".b";
  CHECK_THAT(error_of("\n\n" + key + "]\n"),
             Catch::Contains("patterns.toml:3: invalid TOML: a key of more than"));
}

TEST_CASE("D9: a TOML text over the size limit is refused") {
  CHECK_THAT(error_of(std::string(17u << 20, '#')), Catch::Contains("invalid TOML: larger than"));
}

TEST_CASE("D9: brackets, braces and dots inside strings and comments do not count") {
  const std::string brackets(100, '[');
  const std::string dots(100, '.');
  CHECK(error_of("# " + brackets + dots + "\n[[rules]]\nid = \"r\"\nregex = '" + dots +
                 "'\ndescription = \"" + brackets + "\\\"" + dots + "\"\nkeywords = [\"" + brackets + "\"]\n")
            .empty());
}

TEST_CASE("[decode] max_depth: read, merged, bounded, and the RuleSet's depth (issue #11)") {
  const std::string rule = "[[rules]]\nid = \"x\"\nregex = 'a'\n";
  const Config c = parse_config(rule + "[decode]\nmax_depth = 0\n", "a.toml");
  CHECK(c.decode_max_depth == 0);
  CHECK(RuleSet(c).max_decode_depth() == 0);
  CHECK(RuleSet(parse_config(rule, "b.toml")).max_decode_depth() == 3);
  CHECK(merge_configs(default_config(), c).decode_max_depth == 0);
  CHECK(error_of(rule + "[decode]\nmax_depth = 9\n") ==
        "patterns.toml:4: [decode]: \"max_depth\" must be between 0 and 8");
  CHECK(error_of(rule + "[decode]\ndepth = 1\n").find("unknown field \"depth\"") != std::string::npos);
}

TEST_CASE("toml_line: the line toml11 itself gives, for every value of a file, read twice") {
  const std::string text =
      "# comment\n[[rules]]\nid = 'a'\nregex = '''x\ny'''\nkeywords = [\n  'k',\n  \"\"\"m\nn\"\"\",\n]\n"
      "\n[[rules]]\nid = 'b'\n[rules.allowlist]\nregexes = ['z']\n[extend]\npath = 'p'\n";
  for (int round = 0; round < 2; ++round) {  // a new parse of the same text must not use the old list
    std::istringstream in(text);
    const toml::value root = toml::parse(in, "t.toml");
    std::vector<const toml::value*> todo{&root};
    int values = 0;
    while (!todo.empty()) {
      const toml::value& v = *todo.back();
      todo.pop_back();
      ++values;
      CHECK(toml_line(v) == static_cast<int>(v.location().line()));
      if (v.is_table()) {
        for (const auto& [key, inner] : v.as_table()) todo.push_back(&inner);
      }
      if (v.is_array()) {
        for (const auto& inner : v.as_array()) todo.push_back(&inner);
      }
    }
    CHECK(values > 12);
  }
}

TEST_CASE("config: [archive] limits are read, bounded, and merged field by field") {
  const Config c = parse_config(
      "[archive]\nmax_depth = 6\nmax_expanded_bytes = 1000000\nmax_ratio = 20\nmax_entries = 7\n"
      "max_path_length = 300\nunreadable = \"pass\"\n",
      "k.toml");
  CHECK(c.archive.max_depth == 6);
  CHECK(c.archive.max_expanded_bytes == 1000000u);
  CHECK(c.archive.max_ratio == 20u);
  CHECK(c.archive.max_entries == 7u);
  CHECK(c.archive.max_path_length == 300u);
  CHECK(c.archive.unreadable == UnreadableArchive::Pass);
  CHECK(error_of("[archive]\nmax_depth = 17\n") ==
        "patterns.toml:2: [archive]: \"max_depth\" must be an integer from 0 to 16");
  CHECK(error_of("[archive]\nmax_entries = 0\n") ==
        "patterns.toml:2: [archive]: \"max_entries\" must be an integer from 1 to 4294967296");
  CHECK(error_of("[archive]\nunreadable = true\n") ==
        "patterns.toml:2: [archive]: \"unreadable\" must be \"fail\" or \"pass\"");
  CHECK(error_of("[archive]\nmax_size = 3\n") == "patterns.toml:2: [archive]: unknown field \"max_size\"");
  const Config merged = merge_configs(c, parse_config("[archive]\nmax_depth = 2\n", "o.toml"));
  CHECK(merged.archive.max_depth == 2);
  CHECK(merged.archive.max_entries == 7u);
}
