// Tests for rules.cpp: flags computed once per rule (generic, built-in, path-only), the one compilation
// path with every error and its place, and the multi-line heuristic.
#include <catch2/catch.hpp>
#include <thread>

#include "config/config.hpp"
#include "core/error.hpp"
#include "rules/rules.hpp"

using namespace keygate;

namespace {

RuleSet rules_of(const std::string& toml) { return RuleSet(parse_config(toml, "rules.toml")); }

}  // namespace

TEST_CASE("rule flags: generic by id or tag, path-only, built-in") {
  const RuleSet rules = rules_of(
      "[[rules]]\nid = 'generic-thing'\nregex = 'a'\n"
      "[[rules]]\nid = 'catch-all'\nregex = 'b'\ntags = ['generic']\n"
      "[[rules]]\nid = 'specific'\nregex = 'c'\nkeywords = ['c']\n"
      "[[rules]]\nid = 'key-file'\npath = 'id_rsa$'\n");
  CHECK(rules.find("generic-thing")->generic());
  CHECK(rules.find("catch-all")->generic());
  CHECK_FALSE(rules.find("specific")->generic());
  CHECK(rules.find("key-file")->path_only());
  CHECK_FALSE(rules.find("specific")->path_only());
  CHECK(rules.path_only() == std::vector<std::size_t>{3});
  CHECK(rules.unconditional() == std::vector<std::size_t>{0, 1});  // no keywords, and a regex
  CHECK_FALSE(rules.find("specific")->builtin());
  const RuleSet defaults(default_config());
  CHECK(defaults.rules().front()->builtin());
}

TEST_CASE("one compilation path: compile() and validate_config() report every bad regex with its place") {
  const std::string toml =
      "[[rules]]\nid = 'a'\nregex = '(x'\n[[rules]]\nid = 'b'\nregex = 'ok'\npath = '[z'\n";
  std::string from_compile, from_validate;
  try {
    rules_of(toml).compile(Compile::UserRules);
  } catch (const Error& e) {
    from_compile = e.what();
  }
  try {
    validate_config(parse_config(toml, "rules.toml"));
  } catch (const Error& e) {
    from_validate = e.what();
  }
  CHECK_THAT(from_compile, Catch::Contains("rules.toml:3: rule \"a\": invalid regex"));
  CHECK_THAT(from_compile, Catch::Contains("rules.toml:4: rule \"b\": invalid path regex"));
  CHECK(from_compile == from_validate);
}

TEST_CASE("a rule's regex is usable from another thread (its own copy)") {
  const RuleSet rules = rules_of("[[rules]]\nid = 'a'\nregex = 'x[0-9]+'\n");
  const Rule& rule = rules.find("a")->compiled();
  const RE2* mine = rule.regex();
  bool other_copy = false, matches = false;
  std::thread([&] {
    const RE2* theirs = rule.regex();  // (the copy lives as long as this thread)
    other_copy = theirs != nullptr && theirs != mine;
    matches = theirs != nullptr && RE2::PartialMatch("x12", *theirs);
  }).join();
  CHECK(other_copy);
  CHECK(matches);
}

TEST_CASE("another thread shares a rule's search for its first searches, then uses its own") {
  const RuleSet rules = rules_of("[[rules]]\nid = 'a'\nregex = 'x[0-9]+'\n");
  const Rule& rule = rules.find("a")->compiled();
  const RegexSearch* mine = &rule.search();
  const RegexSearch *first = nullptr, *later = nullptr;
  std::thread([&] {
    first = &rule.search();
    for (int i = 0; i < 100; ++i) later = &rule.search();
  }).join();
  CHECK(first == mine);
  CHECK(later != mine);
  CHECK(&rule.search() == mine);
}

TEST_CASE("regex_may_span_lines: unbounded repeats of line-crossing atoms") {
  CHECK(regex_may_span_lines(R"(-----BEGIN[\s\S]*?-----END)"));
  CHECK(regex_may_span_lines(R"(a\s+b)"));
  CHECK_FALSE(regex_may_span_lines(R"(tgp_v1_[A-Za-z0-9_-]{43})"));
}

TEST_CASE("regex_may_span_lines: a negated class that excludes \\s or \\n stays on its line") {
  CHECK_FALSE(regex_may_span_lines(R"([a-z]+://[^\s:@/]*:([^\s@/]{3,})@)"));
  CHECK_FALSE(regex_may_span_lines(R"(host=[^;\n]+;[^\n]*?pwd=)"));
  CHECK(regex_may_span_lines(R"(key[^a-z]+)"));       // [^a-z] matches a line break
  CHECK(regex_may_span_lines(R"([^\s]+\s+x)"));       // \s outside the class still crosses
  CHECK(regex_may_span_lines(R"((?:\[^\s]|x)+)"));    // \[ is a bracket: the group repeats \s
  CHECK(regex_may_span_lines(R"([^[:alpha:]\s]+)"));  // not parsed here: errs towards true
}

TEST_CASE("check_regex: accepts what compile_regex accepts, refuses with the same message") {
  // A program past RE2's size limit, which only compiling shows: 3000 alternatives of 1000 classes.
  std::string too_large = "(?:";
  for (int i = 0; i < 3000; ++i)
    too_large += std::string(i ? "|" : "") + "[^" + char('a' + i % 26) + "]{1000}";
  too_large += ")";
  for (const std::string& pattern :
       {std::string("x("), std::string("[z-a]"), std::string("a{1001}"), std::string("(?:(?:a{100}){100})"),
        std::string("(?z)a"), std::string("\\8"), too_large, std::string("(?i)[\\w.-]{0,50}?key"),
        std::string("(?P<n>a)(?:b|c){2,30}"), std::string(R"(x\Q(\E{3})"), std::string("a{2,x}")}) {
    std::string from_check, from_compile;
    const bool checked = check_regex(pattern, &from_check);
    const bool compiled = compile_regex(pattern, &from_compile) != nullptr;
    INFO(pattern.substr(0, 60));
    CHECK(checked == compiled);
    CHECK(from_check == from_compile);
  }
  std::string error;
  CHECK_FALSE(check_regex(too_large, &error));
  CHECK_THAT(error, Catch::Contains("too large"));
}

TEST_CASE("user rules are checked when loaded and compiled when first needed") {
  const RuleSet rules =
      rules_of("[[rules]]\nid = 'a'\nregex = 'x[0-9]+'\n[[rules]]\nid = 'b'\nregex = 'y('\n");
  std::string message;
  try {
    rules.compile(Compile::UserRules);
  } catch (const Error& e) {
    message = e.what();
  }
  CHECK_THAT(message, Catch::Contains("rules.toml:6: rule \"b\": invalid regex: missing ): y("));
  CHECK(rules.find("a")->compiled().search().groups() == 0);  // compiles on first use
}
