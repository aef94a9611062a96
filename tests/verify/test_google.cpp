// Tests for verify/google.cpp's parts that need no server or key pair (the token endpoint stand-in and a key
// made with openssl are in tests/e2e/verify_google.sh): reading a key file, base64url, reading the answer.
#include <catch2/catch.hpp>

#include "verify/google.hpp"

using namespace keygate;

namespace {

http::Response answer(long status, std::string body) {
  http::Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

const ServiceAccountKey kKey{"ci@acme.iam.gserviceaccount.com", "acme", "kid", "PEM"};

}  // namespace

TEST_CASE("a service-account key file is an object of type service_account with email, key id and key") {
  const std::optional<ServiceAccountKey> key = service_account_in_json(
      R"({"type": "service_account", "project_id": "acme", "private_key_id": "kid", "private_key": "PEM",)"
      R"( "client_email": "ci@acme.iam.gserviceaccount.com", "token_uri": "https://attacker.example/"})");
  REQUIRE(key);
  CHECK(key->client_email == "ci@acme.iam.gserviceaccount.com");
  CHECK(key->project_id == "acme");
  CHECK(key->private_key_id == "kid");
  CHECK_FALSE(
      service_account_in_json(R"({"type": "authorized_user", "client_email": "a", "private_key_id": "k",)"
                              R"( "private_key": "p"})"));
  CHECK_FALSE(service_account_in_json(R"({"type": "service_account", "client_email": "a"})"));
  CHECK_FALSE(service_account_in_json("[1]"));
  CHECK_FALSE(service_account_in_json("not json"));
}

TEST_CASE("base64url drops the padding and uses - and _") {
  CHECK(base64url("") == "");
  CHECK(base64url("f") == "Zg");
  CHECK(base64url(std::string("\xfb\xff", 2)) == "-_8");
}

TEST_CASE("the token endpoint's answers, as Google documents them") {
  const Verdict live = read_token_answer(
      answer(200, R"({"access_token": "t", "expires_in": 3599, "token_type": "Bearer"})"), kKey, 1);
  CHECK(live.liveness == Liveness::Live);
  CHECK(live.identity ==
        std::vector<std::pair<std::string, std::string>>{{"email", kKey.client_email}, {"project", "acme"}});
  CHECK(read_token_answer(
            answer(400, R"({"error": "invalid_grant", "error_description": "Invalid JWT Signature."})"), kKey,
            1)
            .liveness == Liveness::Dead);
  CHECK(
      to_string(
          read_token_answer(
              answer(
                  400,
                  R"({"error": "invalid_grant", "error_description": "Invalid JWT: Token must be a )"
                  R"(short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp"})"),
              kKey, 1))
          .starts_with("unknown: HTTP 400 (invalid_grant): Google says the token's time is wrong"));
  CHECK(to_string(read_token_answer(answer(200, "<html>"), kKey, 1)) ==
        "unknown: HTTP 200 with a malformed answer");
  CHECK(to_string(read_token_answer(answer(401, R"({"error": "unauthorized_client"})"), kKey, 1)) ==
        "unknown: HTTP 401 (unauthorized_client)");
}
