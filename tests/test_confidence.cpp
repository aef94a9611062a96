// Tests for confidence.cpp: level names, the demotion paths.
#include <catch2/catch.hpp>

#include "confidence.hpp"

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
                        "examples/app/.env"}) {
    INFO(p);
    CHECK(path_matches_demote(p, d));
  }
  for (const char* p : {"src/app.py", "tests.py", "contest/a.py", ".env", "src/latest/x.c"}) {
    INFO(p);
    CHECK_FALSE(path_matches_demote(p, d));
  }
  CHECK(path_matches_demote("a/b/secrets.cfg", {"secrets.cfg"}));
}
