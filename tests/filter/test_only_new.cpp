// Tests for filter/only_new.cpp: the "only new findings" stage (large staged files, history attribution).
#include <catch2/catch.hpp>

#include "config/config.hpp"
#include "detect/matcher.hpp"
#include "filter/only_new.hpp"
#include "support/repo.hpp"

using namespace keygate;
using keygate::test::fake_together_key;

namespace {

std::vector<Finding> find(const std::string& text) {
  static const RuleSet rules(default_config());
  Fragment f;
  f.text = text;
  f.origin.path = "f.txt";
  return detect(rules, f);
}

}  // namespace

TEST_CASE("new_findings keeps what the old version did not have, counting repeats") {
  const std::string a = fake_together_key(210), b = fake_together_key(211);
  const auto old_found = find(a + "\n");
  const auto now = find(a + "\n" + b + "\n" + a + "\n");
  const auto fresh = new_findings(old_found, now);
  REQUIRE(fresh.size() == 2);
  CHECK((fresh[0].secret == b));
  CHECK((fresh[1].secret == a));
  CHECK(fresh[1].line == 3);
}
