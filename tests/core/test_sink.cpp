// Tests for sink.cpp, filter/fingerprint.cpp and filter/suppress.cpp: the way from the detector to the
// report (fingerprint, then suppression, then the collector).
#include <catch2/catch.hpp>

#include "core/sink.hpp"
#include "filter/fingerprint.hpp"
#include "filter/suppress.hpp"

using namespace keygate;

namespace {

Finding finding(const std::string& rule, const std::string& file, const std::string& secret, int line = 1) {
  Finding f;
  f.rule_id = rule;
  f.file = file;
  f.secret = secret;
  f.line = line;
  return f;
}

}  // namespace

TEST_CASE("the fingerprint filter sets each finding's fingerprint; a path-only finding's has no secret") {
  FindingCollector collector;
  FingerprintFilter filter(collector);
  filter.add(finding("r", "a.txt", "s3cr3t-value"));
  filter.add(finding("p", "id_rsa", "id_rsa", 0));
  filter.finish();
  const std::vector<Finding> out = collector.take();
  REQUIRE(out.size() == 2);
  CHECK(out[0].fingerprint == fingerprint("r", "a.txt", "s3cr3t-value"));
  CHECK(out[1].fingerprint == fingerprint("p", "id_rsa", ""));
  CHECK(collector.take().empty());
}

TEST_CASE("the suppression filter drops listed fingerprints and passes the others") {
  FindingCollector collector;
  const std::string listed = fingerprint("r", "a.txt", "one");
  SuppressionFilter suppress(collector, {listed});
  FingerprintFilter filter(suppress);
  filter.add(finding("r", "a.txt", "one"));
  filter.add(finding("r", "a.txt", "two"));
  const std::vector<Finding> out = collector.take();
  REQUIRE(out.size() == 1);
  CHECK(out[0].secret == "two");
}

TEST_CASE("parse_ignore_file: comments, blank lines, CR and trailing blanks") {
  const std::set<std::string> got = parse_ignore_file("# a comment\r\nr:a.txt:0123 \t\r\n\n  \nr:b.txt:4567");
  CHECK(got.count("r:a.txt:0123") == 1);
  CHECK(got.count("r:b.txt:4567") == 1);
  CHECK(got.count("# a comment") == 0);
}
