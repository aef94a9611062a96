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
  bool operator==(const VerifySpec&) const = default;
};

// The fields of VerifySpec in their binary order (config/binary.cpp; counted by test_config_binary.cpp).
template <typename Spec, typename Visit>
void visit_verify_fields(Spec& v, Visit&& visit) {
  visit(v.provider), visit(v.method), visit(v.base), visit(v.url), visit(v.headers), visit(v.live);
  visit(v.dead), visit(v.line);
}
inline constexpr int kVerifySpecFields = 8;

// Every problem with `spec` (unknown placeholders, a bad method or status, no {base} to fill), one message
// each without the place; empty when it is valid.
std::vector<std::string> verify_spec_problems(const VerifySpec& spec);

// `text` with {base} and {secret} replaced.
std::string expand_verify_template(std::string_view text, std::string_view base, std::string_view secret);

// "KEYGATE_VERIFY_" + the provider upper-cased, with '-' and '.' as '_', + "_URL".
std::string verify_url_variable(const std::string& provider);

}  // namespace keygate
