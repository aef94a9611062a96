// Tests for env_reuse.cpp: environments named by path words, and a key across environments reported once.
#include <catch2/catch.hpp>

#include "filter/env_reuse.hpp"

using namespace keygate;

namespace {

Finding at(std::string file, int line, std::string secret) {
  Finding f;
  f.rule_id = "together-api-key";
  f.file = std::move(file);
  f.line = line;
  f.secret = std::move(secret);
  return f;
}

}  // namespace

TEST_CASE("issue 26: the environment of a path is its last word that names one") {
  CHECK(environment_of(".env.dev") == "development");
  CHECK(environment_of(".env.production") == "production");
  CHECK(environment_of("config/staging.yml") == "staging");
  CHECK(environment_of("config/prod.yml") == "production");
  CHECK(environment_of("k8s/overlays/prod/secret.yaml") == "production");
  CHECK(environment_of("deploy/prod/values-dev.yaml") == "development");  // the closest word wins
  CHECK(environment_of("settings.QA.json") == "test");
  CHECK(environment_of("src/app.py") == "");
  CHECK(environment_of("products/devices.env") == "");  // words, not substrings
}

TEST_CASE("issue 26: a key in files of two environments is reported once, naming every place") {
  std::vector<Finding> findings = {
      at(".env.dev", 1, "K1"),        at(".env.production", 3, "K1"), at("config/prod.yml", 7, "K1"),
      at(".env.dev", 2, "K2"),        at(".env.local", 2, "K2"),    // both development: not reuse
      at("src/app.py", 5, "K3"),      at(".env.staging", 1, "K3"),  // one environment only
      at(".env.production", 9, "K1"),                               // the same file again: once
  };
  annotate_reuse(findings);
  CHECK(findings[0].reuse == std::vector<std::string>{"development: .env.dev:1",
                                                      "production: .env.production:3",
                                                      "production: config/prod.yml:7"});
  for (std::size_t i = 1; i < findings.size(); ++i) CHECK(findings[i].reuse.empty());
}
