// This file declares the redaction of free text that may hold a secret (commit messages, author names and
// e-mails, rule self-test output, config errors): every report goes through it, so that no text field shows
// a whole secret unless --show-secrets. Findings' own secrets are redacted by redacted() (finding.hpp).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/finding.hpp"

namespace keygate {

class RuleSet;

// `text` with every occurrence of each of `secrets` (non-empty; longest first) replaced by redacted(secret).
std::string redact_each(std::string_view text, std::vector<std::string> secrets);

// `text` with every secret that `rules` detect in it, and every occurrence of `known` secrets (found
// elsewhere, e.g. in the commit's files), redacted. Text without secrets comes back unchanged, so ordinary
// names and messages stay readable.
std::string redact_secrets_in(std::string_view text, const RuleSet& rules,
                              const std::vector<std::string>& known = {});

// Gives each finding's commit a copy whose message, author and e-mail have been through redact_secrets_in
// (with all the findings' secrets as `known`). Commits shared by several findings stay shared.
void redact_commit_texts(std::vector<Finding>& findings, const RuleSet& rules);

// For texts checked without a rule set (an error echoing a user's regex): runs of 20 or more characters
// from a key's alphabet (letters, digits, _ - + / =) that mix letters and digits, redacted.
std::string redact_key_shaped(std::string_view text);

// A rule compilation error ("FILE:LINE: rule "x": invalid regex: ... PATTERN"): on each line, what follows
// "regex: " (RE2's message echoing part of the pattern) goes through redact_key_shaped; the place does not.
std::string redact_regex_errors(std::string_view message);

}  // namespace keygate
