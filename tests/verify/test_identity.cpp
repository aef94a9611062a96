// Tests for identity.cpp: JSON pointers over a provider's answer, live_if, the identity sources (pointer,
// header, the key's prefix), cleaning of untrusted values, and base64 for basic authentication.
#include <catch2/catch.hpp>

#include "core/finding.hpp"
#include "verify/identity.hpp"

using namespace keygate;

namespace {

VerifySpec with_identity(std::vector<std::pair<std::string, std::string>> identity) {
  VerifySpec spec;
  spec.identity = std::move(identity);
  return spec;
}

http::Response answer(std::string body, std::vector<std::pair<std::string, std::string>> headers = {}) {
  http::Response r;
  r.status = 200;
  r.body = std::move(body);
  r.headers = std::move(headers);
  return r;
}

}  // namespace

TEST_CASE("issue 26: a JSON pointer reads strings, numbers, booleans and arrays of scalars") {
  const std::string json =
      R"({"login": "octo\"cat", "id": 42, "ok": true, "scopes": ["api", "read_user"], "a/b": {"c": null},)"
      R"( "orgs": {"data": [{"title": "Org 1"}, {"title": "Org 2"}]}, "obj": {"x": 1}})";
  CHECK(json_text_at(json, "/login") == "octo\"cat");
  CHECK(json_text_at(json, "/id") == "42");
  CHECK(json_text_at(json, "/ok") == "true");
  CHECK(json_text_at(json, "/scopes") == "api, read_user");
  CHECK(json_text_at(json, "/a~1b/c") == "null");
  CHECK(json_text_at(json, "/orgs/data/1/title") == "Org 2");
  CHECK(json_text_at(json, "/obj") == std::nullopt);
  CHECK(json_text_at(json, "/missing") == std::nullopt);
  CHECK(json_text_at("<html>", "/login") == std::nullopt);
}

TEST_CASE(
    "issue 26: live_if: a 200 whose body says otherwise is dead; a body that is not JSON is malformed") {
  VerifySpec slack;
  slack.live_if = {{"/ok", "true"}};
  CHECK(live_if_holds(slack, R"({"ok": true, "team": "T"})") == true);
  CHECK(live_if_holds(slack, R"({"ok": false, "error": "invalid_auth"})") == false);
  CHECK(live_if_holds(slack, R"({"error": "x"})") == false);
  CHECK(live_if_holds(slack, "<html>busy</html>") == std::nullopt);
  CHECK(live_if_holds(VerifySpec{}, "anything") == true);
}

TEST_CASE("issue 26: dead_if: a dead status means dead only with the provider's dead-key answer") {
  VerifySpec figma;
  figma.dead_if = {{"/err", "Invalid token"}};
  CHECK(dead_if_holds(figma, R"({"status": 403, "err": "Invalid token"})"));
  CHECK_FALSE(dead_if_holds(figma, R"({"status": 403, "err": "Invalid scope(s): current_user:read"})"));
  CHECK_FALSE(dead_if_holds(figma, "<html>Forbidden</html>"));
  CHECK(dead_if_holds(VerifySpec{}, "anything"));
}

TEST_CASE("issue 26: identity from the body, a header and the key's prefix, in the verifier's order") {
  const VerifySpec github = with_identity({{"login", "/login"},
                                           {"mode", "prefix:sk_live_=live,sk_test_=test"},
                                           {"scopes", "header:X-OAuth-Scopes"}});
  const http::Response r = answer(R"({"login": "octocat"})", {{"x-oauth-scopes", "repo, gist"}});
  CHECK(read_identity(github, &r, "sk_test_abc") ==
        Identity{{"login", "octocat"}, {"mode", "test"}, {"scopes", "repo, gist"}});
  // Without an answer (the identity request failed) only what the key itself says is left.
  CHECK(read_identity(github, nullptr, "sk_live_abc") == Identity{{"mode", "live"}});
  // Missing and null values are left out.
  const http::Response empty = answer(R"({"login": null})");
  CHECK(read_identity(github, &empty, "other").empty());
}

TEST_CASE(
    "issue 26: identity values are untrusted: control characters go, long values are cut, the key never "
    "shows") {
  // Built at run time: the repository must hold no key-shaped string.
  const std::string secret = std::string("tgp_v1_") + std::string(43, 'k');
  const VerifySpec spec = with_identity({{"echo", "/echo"}, {"long", "/long"}, {"name", "/name"}});
  const http::Response r = answer(R"({"name": "evil\u001b[31m\nname", "echo": ")" + secret +
                                  R"(", "long": ")" + std::string(500, 'x') + "\"}");
  const Identity got = read_identity(spec, &r, secret);
  REQUIRE(got.size() == 3);
  CHECK(got[0].second == redacted(secret));
  CHECK(got[1].second == std::string(200, 'x') + "…");
  CHECK(got[2].second == "evil [31m name");
}

TEST_CASE("base64 for HTTP basic authentication (RFC 4648 test vectors)") {
  CHECK(base64("") == "");
  CHECK(base64("f") == "Zg==");
  CHECK(base64("fo") == "Zm8=");
  CHECK(base64("foo") == "Zm9v");
  CHECK(base64("foobar") == "Zm9vYmFy");
  CHECK(base64("api:key-1") == "YXBpOmtleS0x");
}
