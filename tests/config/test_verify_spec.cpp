// Tests for verify_spec.cpp and the [rules.verify] table: parsing, every check with its place, the
// embedded (binary) copy, template expansion.
#include <catch2/catch.hpp>

#include "config/config.hpp"
#include "core/error.hpp"

using namespace keygate;

namespace {

std::string error_of(const std::string& toml) {
  try {
    parse_config(toml, "k.toml");
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

const char* const kRule = R"([[rules]]
id = "acme-token"
regex = '''acme_[a-z]{8}'''
)";

}  // namespace

TEST_CASE("[rules.verify] is read with every field; the provider defaults to the rule id") {
  const Config c = parse_config(std::string(kRule) + R"(
[rules.verify]
method = "HEAD"
base = "https://api.acme.invalid"
url = "{base}/v2/whoami"
headers = { X-Api-Key = "{secret}", Accept = "application/json" }
live = [200, 204]
dead = [401]
)",
                                "k.toml");
  REQUIRE(c.rules.size() == 1);
  REQUIRE(c.rules[0].verify);
  const VerifySpec& v = *c.rules[0].verify;
  CHECK(v.provider == "acme-token");
  CHECK(v.method == "HEAD");
  CHECK(v.base == "https://api.acme.invalid");
  CHECK(v.url == "{base}/v2/whoami");
  CHECK(v.headers == std::vector<std::pair<std::string, std::string>>{{"Accept", "application/json"},
                                                                      {"X-Api-Key", "{secret}"}});
  CHECK(v.live == std::vector<int>{200, 204});
  CHECK(v.dead == std::vector<int>{401});
  CHECK(v.line == 5);
  CHECK(verify_url_variable(v.provider) == "KEYGATE_VERIFY_ACME_TOKEN_URL");
}

TEST_CASE("a bad [rules.verify] is reported with its place") {
  CHECK(
      error_of(std::string(kRule) +
               "[rules.verify]\nurl = \"https://x.invalid\"\nlive = [200]\nmethod = \"PUT\"\n") ==
      "k.toml:4: rule \"acme-token\": verify: \"method\" must be \"GET\", \"HEAD\" or \"POST\", not \"PUT\"");
  CHECK(error_of(std::string(kRule) + "[rules.verify]\nurl = \"{base}/v1\"\nlive = [200]\n") ==
        "k.toml:4: rule \"acme-token\": verify: \"url\" uses {base}, so \"base\" is needed");
  CHECK(error_of(std::string(kRule) + "[rules.verify]\nurl = \"ftp://x.invalid\"\nlive = [200]\n")
            .find("https://") != std::string::npos);
  CHECK_THAT(
      error_of(std::string(kRule) + "[rules.verify]\nurl = \"https://x.invalid\"\nlive = [\"200\"]\n"),
      Catch::Contains("k.toml:6: rule \"acme-token\": verify: \"live\" must be an array of HTTP statuses"));
  CHECK(error_of(std::string(kRule) +
                 "[rules.verify]\nurl = \"https://x.invalid\"\nlive = [200]\ndead = [42]\n") ==
        "k.toml:4: rule \"acme-token\": verify: status 42 is not an HTTP status");
  CHECK(error_of(std::string(kRule) +
                 "[rules.verify]\nurl = \"https://x.invalid\"\nlive = [200]\ntimeout = 3\n") ==
        "k.toml:7: rule \"acme-token\": verify: unknown field \"timeout\"");
  CHECK(error_of(std::string(kRule) + "[rules.verify]\nurl = \"https://x.invalid/{user}\"\nlive = [200]\n") ==
        "k.toml:4: rule \"acme-token\": verify: \"url\": unknown placeholder {user}");
}

TEST_CASE("the embedded default rules carry their verifiers (binary round trip)") {
  const Config& defaults = default_config();
  const auto together = std::find_if(defaults.rules.begin(), defaults.rules.end(),
                                     [](const RuleSpec& r) { return r.id == "together-api-key"; });
  REQUIRE(together != defaults.rules.end());
  REQUIRE(together->verify);
  CHECK(together->verify->provider == "together");
  CHECK(together->verify->base == "https://api.together.ai");
  CHECK(together->verify->url == "{base}/v1/models");
  CHECK(together->verify->live == std::vector<int>{200, 402});
  CHECK(together->verify->dead == std::vector<int>{401});
  const Config parsed = parse_config(default_config_text(), "p.toml");
  const Config copy = deserialize_config(serialize_config(parsed));
  REQUIRE(copy.rules.size() == parsed.rules.size());
  int with_verifier = 0;
  for (std::size_t i = 0; i < copy.rules.size(); ++i) {
    REQUIRE(copy.rules[i].verify.has_value() == parsed.rules[i].verify.has_value());
    if (!parsed.rules[i].verify) continue;
    ++with_verifier;
    CHECK(copy.rules[i].verify->headers == parsed.rules[i].verify->headers);
    CHECK(copy.rules[i].verify->live == parsed.rules[i].verify->live);
    CHECK(copy.rules[i].verify->line == parsed.rules[i].verify->line);
    CHECK(*copy.rules[i].verify == *parsed.rules[i].verify);
  }
  CHECK(with_verifier >= 100);
}

TEST_CASE("templates expand {base} and {secret} and nothing else") {
  CHECK(expand_verify_template("{base}/v1/models?k={secret}&x={y}", "https://h", "S") ==
        "https://h/v1/models?k=S&x={y}");
  CHECK(expand_verify_template("Bearer {secret}", "", "tok") == "Bearer tok");
  CHECK(verify_url_variable("together") == "KEYGATE_VERIFY_TOGETHER_URL");
}

TEST_CASE("issue 26: [rules.verify] reads identity, identity_url, live_if, dead_if, basic and body") {
  const Config c = parse_config(std::string(kRule) + R"(
[rules.verify]
method = "POST"
base = "https://api.acme.invalid"
url = "{base}/graphql"
body = '{"query": "{ viewer { id } }", "k": "{secret}"}'
basic = "api:{secret}"
live = [200]
live_if = { "/ok" = "true" }
dead = [403]
dead_if = { "/err" = "Invalid token" }
identity_url = "{base}/whoami"
identity = { scopes = "header:x-scopes", login = "/user/login", mode = "prefix:acme_l=live,acme_t=test" }
)",
                                "k.toml");
  const VerifySpec& v = *c.rules[0].verify;
  CHECK(v.body == R"({"query": "{ viewer { id } }", "k": "{secret}"})");
  CHECK(v.basic == "api:{secret}");
  CHECK(v.identity_url == "{base}/whoami");
  CHECK(v.live_if == std::vector<std::pair<std::string, std::string>>{{"/ok", "true"}});
  CHECK(v.dead_if == std::vector<std::pair<std::string, std::string>>{{"/err", "Invalid token"}});
  CHECK(v.identity ==
        std::vector<std::pair<std::string, std::string>>{{"login", "/user/login"},
                                                         {"mode", "prefix:acme_l=live,acme_t=test"},
                                                         {"scopes", "header:x-scopes"}});
}

TEST_CASE("issue 26: a bad identity source, live_if pointer or identity_url is reported with its place") {
  const std::string head = std::string(kRule) + "[rules.verify]\nurl = \"https://x.invalid\"\nlive = [200]\n";
  CHECK(error_of(head + "identity = { who = \"login\" }\n") ==
        "k.toml:4: rule \"acme-token\": verify: identity \"who\": the source must be a JSON pointer (/...), "
        "\"header:NAME\" or \"prefix:P=V,...\"");
  CHECK(error_of(head + "live_if = { ok = \"true\" }\n") ==
        "k.toml:4: rule \"acme-token\": verify: live_if \"ok\": not a JSON pointer");
  CHECK(error_of(head + "identity_url = \"http://x.invalid/me\"\nidentity = { a = \"/a\" }\n") ==
        "k.toml:4: rule \"acme-token\": verify: \"identity_url\" must start with {base} or https://");
  CHECK(error_of(head + "dead = [403]\ndead_if = { err = \"Invalid token\" }\n") ==
        "k.toml:4: rule \"acme-token\": verify: dead_if \"err\": not a JSON pointer");
  CHECK(error_of(head + "dead_if = { \"/err\" = \"Invalid token\" }\n") ==
        "k.toml:4: rule \"acme-token\": verify: \"dead_if\" without \"dead\" statuses asks nothing");
  CHECK(error_of(head + "body = \"x\"\n") ==
        "k.toml:4: rule \"acme-token\": verify: \"body\" needs method \"POST\"");
}
