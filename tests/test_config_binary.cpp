// Tests for config_binary.cpp: the embedded form of Config round-trips every field of RuleSpec and
// AllowlistSpec, and the field list it is written from (visit_rule_fields) names every field.
#include <catch2/catch.hpp>

#include "config.hpp"
#include "error.hpp"

using namespace keygate;

namespace {

// Converts to anything: brace-initializing an aggregate with N of these compiles iff it has >= N fields.
struct AnyField {
  template <typename T>
  operator T() const;
};

template <typename T, typename... Fields>
constexpr int count_fields() {
  if constexpr (requires { T{Fields{}..., AnyField{}}; }) {
    return count_fields<T, Fields..., AnyField>();
  } else {
    return static_cast<int>(sizeof...(Fields));
  }
}

template <typename Spec, typename Visitor>
int visited(Visitor visitor) {
  Spec spec;
  int n = 0;
  visitor(spec, [&](auto&) { ++n; });
  return n;
}

}  // namespace

TEST_CASE("the field lists name every field of RuleSpec and AllowlistSpec") {
  // (operator== is not a field; the count is of data members.)
  CHECK(count_fields<RuleSpec>() == kRuleSpecFields);
  CHECK(count_fields<AllowlistSpec>() == kAllowlistSpecFields);
  CHECK(visited<RuleSpec>([](auto& s, auto v) { visit_rule_fields(s, v); }) == kRuleSpecFields);
  CHECK(visited<AllowlistSpec>([](auto& s, auto v) { visit_allowlist_fields(s, v); }) ==
        kAllowlistSpecFields);
}

TEST_CASE("every field of a rule survives serialize and deserialize") {
  AllowlistSpec a;
  a.description = "allowlist";
  a.condition = Condition::And;
  a.regex_target = RegexTarget::Line;
  a.regexes = {"r1", "r2"};
  a.paths = {"p"};
  a.stopwords = {"stop"};
  a.commits = {"abc123"};
  a.target_rules = {"t"};
  a.line = 7;
  RuleSpec r;
  r.id = "id";
  r.description = "description";
  r.regex = "x[0-9]+";
  r.path = "\\.env$";
  r.secret_group = 2;
  r.entropy = 3.25;
  r.keywords = {"k1", "k2"};
  r.tags = {"tag"};
  r.allowlists = {a, a};
  r.examples = {"example"};
  r.lookalikes = {"lookalike"};
  r.file = "rules.toml";
  r.line = 11;
  r.regex_line = 13;
  // Every field above is set to a value other than its default, so one the list leaves out comes back
  // different below (operator== compares every field).
  CHECK_FALSE(r == RuleSpec{});

  Config config;
  config.file = "rules.toml";
  config.rules = {r};
  config.allowlists = {a};
  const Config back = deserialize_config(serialize_config(config));
  CHECK(back.file == config.file);
  REQUIRE(back.rules.size() == 1);
  CHECK(back.rules[0] == r);
  CHECK(back.allowlists == config.allowlists);
}

TEST_CASE("a corrupt count in the embedded bytes is an error, not an allocation") {
  std::string bytes = serialize_config(Config{});
  bytes.replace(bytes.size() - 4, 4, std::string("\xff\xff\xff\x7f", 4));
  CHECK_THROWS_AS(deserialize_config(bytes), Error);
}
