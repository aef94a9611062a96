// This file declares `keygate verify` and the input `keygate revoke` shares with it: keys read from
// standard input (never from argv, where other users and shell histories see them) or from a keygate JSON
// report, matched to their rules, and checked with the same verifiers as `scan --verify`.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "verify/verify.hpp"

namespace keygate {

class RuleSet;

// One key to act on: its rule and the key itself.
struct KeyInput {
  std::string rule_id;
  std::string secret;
  // An AWS key id (rule aws-access-key-id) with its secret access key, and for a temporary key its session
  // token: verified together (verify/aws.hpp). Empty for every other key.
  std::string partner;
  std::string session_token;
};

// The keys in `text`: with `rule_id` each non-blank line, whitespace around it dropped, is one key of that
// rule; without it every key the rules detect in the text. A key that appears twice is listed once. AWS
// credentials come in pairs (aws_credentials_in_text: "ID:SECRET" on a line, or the id and the secret on
// two lines; with --rule aws-access-key-id or aws-secret-access-key only these forms), and a key id and a
// secret the rules detect apart (an .env or credentials file) are paired as in a scan. Throws Error when
// `rule_id` names no rule, or the text holds no key.
std::vector<KeyInput> keys_in_text(const RuleSet& rules, const std::string& text, const std::string& rule_id,
                                   const std::string& where);

// The keys of a keygate JSON report (`scan --format json --show-secrets`), one per rule and secret. Throws
// Error naming `path` when it is not such a report or its secrets are redacted.
std::vector<KeyInput> keys_in_report(const std::string& path);

// All of `in` (at most 1 MiB; more is an Error naming `where`).
std::string read_key_input(std::FILE* in, const std::string& where);

enum class KeyFormat { Text, Json };

// `keygate verify`: checks each key with its rule's verifier and prints the verdicts (and identities) on
// `out`. Returns 1 when a key is live, 2 when none is but one could not be told (unknown, or its rule has
// no verifier), else 0 (every key dead).
int verify_keys(const RuleSet& rules, const std::vector<KeyInput>& keys, const VerifySettings& settings,
                KeyFormat format, std::FILE* out);

}  // namespace keygate
