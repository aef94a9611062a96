// Tests for verify.cpp's parts that need no server (the servers are in tests/e2e/verify_*.sh): the server's
// retry hints, the backoff bounds, redaction in messages, the options, and the stage's no-op default.
#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "rules/rules.hpp"
#include "verify/verify.hpp"

using namespace keygate;

namespace {

http::Response answer(std::vector<std::pair<std::string, std::string>> headers) {
  http::Response r;
  r.status = 429;
  r.headers = std::move(headers);
  return r;
}

const auto kNow = std::chrono::system_clock::from_time_t(1700000000);  // Tue, 14 Nov 2023 22:13:20 GMT

}  // namespace

TEST_CASE(
    "Retry-After is read as seconds or as an HTTP date; x-ratelimit-reset as seconds, a duration or a time") {
  CHECK(server_retry_delay(answer({{"retry-after", "7"}}), kNow) == 7.0);
  CHECK(server_retry_delay(answer({{"retry-after", "Tue, 14 Nov 2023 22:13:23 GMT"}}), kNow) == 3.0);
  CHECK(server_retry_delay(answer({{"retry-after", "Tue, 14 Nov 2023 22:13:00 GMT"}}), kNow) == 0.0);
  CHECK(server_retry_delay(answer({{"x-ratelimit-reset", "2"}}), kNow) == 2.0);
  CHECK(server_retry_delay(answer({{"x-ratelimit-reset", "1m30s"}}), kNow) == 90.0);
  CHECK(server_retry_delay(answer({{"x-ratelimit-reset", "250ms"}}), kNow) == Approx(0.25));
  CHECK(server_retry_delay(answer({{"x-ratelimit-reset", "1700000005"}}), kNow) == 5.0);
  CHECK_FALSE(server_retry_delay(answer({{"retry-after", "soon"}}), kNow));
  CHECK_FALSE(server_retry_delay(answer({{"x-ratelimit-reset", "-1"}}), kNow));
  CHECK_FALSE(server_retry_delay(answer({}), kNow));
  CHECK(*server_retry_delay(answer({{"retry-after", std::string(400, '9')}}), kNow) > 1e300);
}

TEST_CASE("backoff is full jitter: the n-th retry waits in [0, 0.5 * 2^(n-1)] seconds") {
  std::mt19937_64 random(14);
  const RetryPolicy policy;
  for (int retry = 1; retry <= 4; ++retry) {
    double most = 0;
    for (int i = 0; i < 1000; ++i) {
      const double wait = backoff_delay(retry, policy, random);
      REQUIRE(wait >= 0);
      REQUIRE(wait <= 0.5 * (1 << (retry - 1)));
      most = std::max(most, wait);
    }
    CHECK(most > 0.4 * (1 << (retry - 1)));  // the whole range is used
  }
}

TEST_CASE("a secret inside a message is redacted") {
  const std::string secret = "tgp_v1_" + std::string(43, 'q') + "Zz";
  const std::string line =
      redact_in("Could not resolve host: " + secret + ".example (" + secret + ")", secret);
  CHECK(line.find(secret) == std::string::npos);
  CHECK(line.find(redacted(secret)) != std::string::npos);
  CHECK(to_string(Verdict{Liveness::Unknown, "HTTP 403", 1, {}}) == "unknown: HTTP 403");
  CHECK(to_string(Verdict{Liveness::Live, "", 1, {}}) == "live");
}

TEST_CASE("verification options: values are checked, --only-verified needs --verify, scans only") {
  VerifySettings s;
  auto value_of = [](std::string v) { return [v](const std::string&) { return v; }; };
  CHECK(parse_verify_option("--verify", value_of(""), s));
  CHECK(s.enabled);
  CHECK(parse_verify_option("--verify-concurrency", value_of("8"), s));
  CHECK(s.concurrency == 8);
  CHECK_THROWS_AS(parse_verify_option("--verify-concurrency", value_of("0"), s), Error);
  CHECK_THROWS_AS(parse_verify_option("--verify-timeout", value_of("-1"), s), Error);
  CHECK_FALSE(parse_verify_option("--verbose", value_of(""), s));
  VerifySettings only;
  only.only_verified = true;
  CHECK_THROWS_WITH(check_verify_settings(only, true), Catch::Contains("needs --verify"));
  CHECK_THROWS_AS(check_verify_settings(s, false), Error);
  CHECK_NOTHROW(check_verify_settings(s, true));
}

TEST_CASE("without --verify the stage changes nothing and sends nothing") {
  const RuleSet rules(default_config());
  std::vector<Finding> findings(1);
  findings[0].rule_id = "together-api-key";
  findings[0].secret = "tgp_v1_" + std::string(43, 'a');
  verify_findings(findings, rules, VerifySettings{});
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].verification.empty());
}

TEST_CASE("a refused connection is an unknown verdict naming the cause, not an exception") {
  VerifySpec spec;
  spec.url = "http://127.0.0.1:1/v1/models";  // port 1: nothing listens there
  spec.live = {200};
  VerifySettings settings;
  settings.timeout_seconds = 2;
  const std::vector<Verdict> v =
      verify_secrets({{"x", "tok", &spec, VerifierKind::Declared, "", ""}}, settings);
  REQUIRE(v.size() == 1);
  CHECK(v[0].liveness == Liveness::Unknown);
  CHECK(v[0].why.rfind("cannot connect", 0) == 0);
  CHECK(v[0].tries == 1);
}

TEST_CASE("issue 23 item 12: plain http only to this machine, by the URL's host, never a prefix") {
  for (const char* ok :
       {"https://api.example.com/v1/models", "HTTPS://api.example.com:8443/x?y=1", "http://localhost/v1",
        "http://localhost:8080/v1", "http://127.0.0.1:5000/", "http://127.1.2.3/x", "http://[::1]:9/x",
        "http://LOCALHOST/x", "http://127.0.0.1", "http://localhost?x=@y", "http://localhost/a@b"}) {
    INFO(ok);
    CHECK(url_may_carry_secret(ok));
  }
  for (const char* bad : {"http://localhost:80@attacker.example/",
                          "http://localhost@attacker.example",
                          "http://127.0.0.1.attacker.example/",
                          "http://localhost.attacker.example/",
                          "http://attacker.example/?localhost",
                          "http://user:pw@localhost/",
                          "https://user@api.example.com/",
                          "http://localhost\\@attacker.example/",
                          "http://127.0.0.01/",
                          "http://0177.0.0.1/",
                          "http://127.0.0/",
                          "http://128.0.0.1/",
                          "http://[::2]/",
                          "http://localhost:/",
                          "http://localhost:99999/",
                          "http://localhost:8o/",
                          "http://%6cocalhost/",
                          "http://local host/",
                          "ftp://localhost/",
                          "localhost:80",
                          "http:/localhost/",
                          "https:///path",
                          "http://[::1/"}) {
    INFO(bad);
    CHECK_FALSE(url_may_carry_secret(bad));
  }
}
