// Tests for config/binary.cpp: the embedded form of Config round-trips every field of RuleSpec and
// AllowlistSpec, and the field list it is written from (visit_rule_fields) names every field.
#include <catch2/catch.hpp>

#include "config/config.hpp"
#include "core/error.hpp"

using namespace keygate;

namespace binary_test {
// Converts to anything: brace-initializing an aggregate with N of these compiles iff it has >= N fields.
// (Declared, never defined: it is used in unevaluated requires-expressions only. Outside the anonymous
// namespace, so that clang does not ask for a definition of an internal function.)
struct AnyField {
  template <typename T>
  operator T() const;
};
}  // namespace binary_test

namespace {

using binary_test::AnyField;

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

TEST_CASE("the field lists name every field of RuleSpec, AllowlistSpec and VerifySpec") {
  // (operator== is not a field; the count is of data members.)
  CHECK(count_fields<RuleSpec>() == kRuleSpecFields);
  CHECK(count_fields<AllowlistSpec>() == kAllowlistSpecFields);
  CHECK(count_fields<VerifySpec>() == kVerifySpecFields);
  CHECK(visited<RuleSpec>([](auto& s, auto v) { visit_rule_fields(s, v); }) == kRuleSpecFields);
  CHECK(visited<AllowlistSpec>([](auto& s, auto v) { visit_allowlist_fields(s, v); }) ==
        kAllowlistSpecFields);
  CHECK(visited<VerifySpec>([](auto& s, auto v) { visit_verify_fields(s, v); }) == kVerifySpecFields);
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
  VerifySpec v;
  v.provider = "provider";
  v.method = "POST";
  v.base = "https://example.invalid";
  v.url = "{base}/check";
  v.headers = {{"Authorization", "Bearer {secret}"}, {"X-Other", "x"}};
  v.live = {200, 204};
  v.dead = {401};
  v.line = 17;
  CHECK_FALSE(v == VerifySpec{});
  r.verify = v;
  r.file = "rules.toml";
  r.line = 11;
  r.regex_line = 13;
  r.detector = "password";
  r.confidence = Confidence::Low;
  r.from_repository = true;
  // Every field above is set to a value other than its default, so one the list leaves out comes back
  // different below (operator== compares every field).
  CHECK_FALSE(r == RuleSpec{});

  Config config;
  config.file = "rules.toml";
  config.rules = {r};
  config.allowlists = {a};
  config.demote_paths = std::vector<std::string>{"fixtures/", "*.rst"};
  config.min_confidence = Confidence::High;
  const Config back = deserialize_config(serialize_config(config));
  CHECK(back.file == config.file);
  REQUIRE(back.rules.size() == 1);
  CHECK(back.rules[0] == r);
  CHECK(back.allowlists == config.allowlists);
  CHECK(back.demote_paths == config.demote_paths);
  CHECK(back.min_confidence == config.min_confidence);

  // A rule without a verifier comes back without one.
  config.rules[0].verify.reset();
  CHECK_FALSE(deserialize_config(serialize_config(config)).rules[0].verify.has_value());
}

TEST_CASE("unset [confidence] fields stay unset in the embedded form") {
  const Config back = deserialize_config(serialize_config(Config{}));
  CHECK_FALSE(back.demote_paths.has_value());
  CHECK_FALSE(back.min_confidence.has_value());
}

TEST_CASE("a corrupt count in the embedded bytes is an error, not an allocation") {
  std::string bytes = serialize_config(Config{});
  // The allowlists' count: followed by the two [confidence] presence flags, 4 bytes each.
  bytes.replace(bytes.size() - 12, 4, std::string("\xff\xff\xff\x7f", 4));
  CHECK_THROWS_AS(deserialize_config(bytes), Error);
}
