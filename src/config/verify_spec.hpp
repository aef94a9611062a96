// This file declares VerifySpec, a rule's optional verifier as the config declares it ([rules.verify]):
// plain data. config.cpp parses it, config/binary.cpp embeds it, verify.cpp sends it (only with --verify).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace keygate {

// One HTTP request that tells whether a key works, and how to read the answer.
struct VerifySpec {
  std::string
      provider;  // names the base URL override: KEYGATE_VERIFY_<PROVIDER>_URL; defaults to the rule id
  std::string method = "GET";  // GET, HEAD or POST (with an empty body)
  std::string base;            // what {base} stands for, unless the environment overrides it
  std::string url;             // template: {base} and {secret} are replaced
  std::vector<std::pair<std::string, std::string>>
      headers;            // name, value template ({secret}), sorted by name
  std::vector<int> live;  // statuses that mean the key works
  std::vector<int> dead;  // statuses that mean it does not; any other status means unknown
  int line = 0;           // of the [rules.verify] table
  std::string body;       // POST: the request body template ({base}, {secret}); empty: an empty body
  // Providers that answer 200 for a dead key too (Slack: {"ok": false}): JSON pointer, the text its value
  // must have (strings unquoted, true/false/numbers as written), sorted by pointer. With a live status, a
  // body where one differs means dead; a body that is not JSON means unknown.
  std::vector<std::pair<std::string, std::string>> live_if;
  // Who the key belongs to, asked only once it is live: a second request to this URL template ({base},
  // {secret}; the same method GET, headers and basic auth); empty: read from the first answer.
  std::string identity_url;
  // name, source, sorted by name; a source is a JSON pointer into the answer ("/login"), "header:NAME" (a
  // header of the answer, e.g. GitHub's x-oauth-scopes), or "prefix:P1=V1,P2=V2" (V of the first P the
  // secret starts with, e.g. Stripe's sk_live_=live), which needs no answer.
  std::vector<std::pair<std::string, std::string>> identity;
  // HTTP basic authentication: "user:password" template ({secret}) sent as Authorization: Basic base64.
  std::string basic;
  // Providers whose dead status also answers something else (Figma's 403 a token without the scope,
  // Linear's 400 a bad query): JSON pointer, the text its value must have, sorted by pointer. With a dead
  // status, a body where one differs (or that is not JSON) means unknown, not dead.
  std::vector<std::pair<std::string, std::string>> dead_if;
  bool operator==(const VerifySpec&) const = default;
};

// The fields of VerifySpec in their binary order (config/binary.cpp; counted by test_config_binary.cpp).
template <typename Spec, typename Visit>
void visit_verify_fields(Spec& v, Visit&& visit) {
  visit(v.provider), visit(v.method), visit(v.base), visit(v.url), visit(v.headers), visit(v.live);
  visit(v.dead), visit(v.line), visit(v.body), visit(v.live_if), visit(v.identity_url), visit(v.identity);
  visit(v.basic), visit(v.dead_if);
}
inline constexpr int kVerifySpecFields = 14;

// Every problem with `spec` (unknown placeholders, a bad method or status, no {base} to fill, a bad identity
// source or live_if/dead_if pointer), one message each without the place; empty when it is valid.
std::vector<std::string> verify_spec_problems(const VerifySpec& spec);

// `text` with {base} and {secret} replaced.
std::string expand_verify_template(std::string_view text, std::string_view base, std::string_view secret);

// "KEYGATE_VERIFY_" + the provider upper-cased, with '-' and '.' as '_', + "_URL".
std::string verify_url_variable(const std::string& provider);

}  // namespace keygate
