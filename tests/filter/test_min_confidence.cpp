// Tests for filter/min_confidence.cpp: the run's minimum confidence (option, then config, then medium) and
// the filter that drops findings below it.
#include <catch2/catch.hpp>

#include "filter/min_confidence.hpp"

using namespace keygate;

namespace {

Finding finding(const std::string& rule, Confidence confidence) {
  Finding f;
  f.rule_id = rule;
  f.confidence = confidence;
  return f;
}

}  // namespace

TEST_CASE("the minimum is --min-confidence, else the config's [confidence] minimum, else medium") {
  Config config;
  CHECK(minimum_confidence(std::nullopt, config) == Confidence::Medium);
  config.min_confidence = Confidence::High;
  CHECK(minimum_confidence(std::nullopt, config) == Confidence::High);
  CHECK(minimum_confidence(Confidence::Low, config) == Confidence::Low);
}

TEST_CASE("the confidence filter passes findings at or above the minimum, drops the others") {
  FindingCollector collector;
  ConfidenceFilter filter(collector, Confidence::Medium);
  filter.add(finding("low", Confidence::Low));
  filter.add(finding("medium", Confidence::Medium));
  filter.add(finding("high", Confidence::High));
  filter.finish();
  const std::vector<Finding> out = collector.take();
  REQUIRE(out.size() == 2);
  CHECK(out[0].rule_id == "medium");
  CHECK(out[1].rule_id == "high");
}
