// Tests for confidence.cpp: level names, the demotion paths.
#include <catch2/catch.hpp>

#include "config/config.hpp"
#include "core/confidence.hpp"

using namespace keygate;

TEST_CASE("confidence levels parse and print") {
  for (Confidence c : {Confidence::Low, Confidence::Medium, Confidence::High}) {
    Confidence parsed;
    REQUIRE(parse_confidence(confidence_name(c), &parsed));
    CHECK(parsed == c);
  }
  Confidence parsed;
  CHECK_FALSE(parse_confidence("Medium", &parsed));
  CHECK(Confidence::Low < Confidence::Medium);
  CHECK(demoted(Confidence::High) == Confidence::Medium);
  CHECK(demoted(Confidence::Low) == Confidence::Low);
}

TEST_CASE("demotion paths match directories at any depth and file suffixes") {
  const auto& d = default_demote_paths();
  for (const char* p : {"tests/a.py", "src/test/x.go", "pkg/testdata/k.json", "README.md", "docs/setup.txt",
                        "examples/app/.env", "contrib/credential/netrc/test.netrc", "pkg/auth_test.go",
                        "src/test_login.py", "web/login.test.ts"}) {
    INFO(p);
    CHECK(path_matches_demote(p, d));
  }
  for (const char* p : {"src/app.py", "tests.py", "contest/a.py", ".env", "src/latest/x.c", "src/attest.py",
                        "src/testing.cfg"}) {
    INFO(p);
    CHECK_FALSE(path_matches_demote(p, d));
  }
  CHECK(path_matches_demote("a/b/secrets.cfg", {"secrets.cfg"}));
}

TEST_CASE(
    "the config sets demotion paths, the minimum, and a rule's confidence and detector are read from the "
    "config") {
  const Config c = parse_config(
      "[confidence]\ndemote_paths = ['qa/']\nminimum = 'low'\n"
      "[[rules]]\nid = 'x'\ndetector = 'password'\nconfidence = 'high'\n",
      "c.toml");
  REQUIRE(c.demote_paths);
  CHECK(*c.demote_paths == std::vector<std::string>{"qa/"});
  CHECK(c.min_confidence == Confidence::Low);
  REQUIRE(c.rules.size() == 1);
  CHECK(c.rules[0].detector == "password");
  CHECK(c.rules[0].confidence == Confidence::High);
  const Config round = deserialize_config(serialize_config(c));
  CHECK(round.rules[0].detector == "password");
  CHECK(round.rules[0].confidence == Confidence::High);
  CHECK_THROWS_WITH(parse_config("[[rules]]\nid = 'x'\ndetector = 'nope'\n", "c.toml"),
                    Catch::Contains("c.toml:1: rule \"x\": unknown detector \"nope\""));
  CHECK_THROWS_WITH(parse_config("[[rules]]\nid = 'x'\nregex = 'a'\nconfidence = 'sure'\n", "c.toml"),
                    Catch::Contains("\"confidence\" must be"));
}
