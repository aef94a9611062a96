// This file declares purge's plan: the secrets a history scan found (or a keygate JSON report lists), each
// with every form keygate saw it in (as written, and the encodings it was decoded from), turned into the
// inputs of the history rewriters (a `git filter-repo --replace-text` expressions file and BFG's
// replacement file) and read back by `purge --check`, which looks for the same forms.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace keygate::purge {

// What every form of every secret is replaced by. It matches no rule (the e2e test scans the rewritten
// history), so the rewrite leaves no new findings behind and the fingerprints of other findings unchanged.
inline constexpr std::string_view kReplacement = "REDACTED-BY-KEYGATE";

struct PurgeSecret {
  std::string secret;
  std::string rule;                // the rule that found it (the first, when several did)
  std::vector<std::string> forms;  // the secret itself first, then its encoded forms; no duplicates
};

struct Plan {
  std::vector<PurgeSecret> secrets;
  // Forms that no expressions file can hold (a line break inside), one message each.
  std::vector<std::string> warnings;

  // Adds `secret` found by `rule`, encoded as `chain` ("base64>percent", outermost first; empty: as
  // written): the secret and every encoding of it along the chain (encoded_forms). A secret already in the
  // plan gets the new forms only.
  void add(std::string_view secret, std::string_view rule, std::string_view chain);
  // Adds `span`, the exact encoded text `secret` was decoded from, as forms of it: whole, or line by line
  // when it is wrapped (each line of 16 bytes or more; the lines of a wrapped base64 block are replaced one
  // by one). REQUIRES: `secret` was added.
  void add_encoded_span(std::string_view secret, std::string_view span);
  // Every form of every secret, longest first (a rewriter that replaces in order must replace a longer form
  // before a shorter one that it contains), without duplicates.
  std::vector<std::string> literals() const;
};

// The forms `secret` takes when encoded along `chain` (outermost step first, as Finding::decoded names
// it): each step applied inside out to every form of the step before, in the variants an encoder writes
// (base64 standard and URL-safe, at each of the three byte alignments inside a longer text: the characters
// that depend on the secret's bytes alone; hex in both cases; percent-encoding of the reserved bytes;
// \u, \x and HTML character escapes; JSON string escapes). Forms shorter than 8 bytes are left out (they
// would replace unrelated text). The secret itself is not among them.
std::vector<std::string> encoded_forms(std::string_view secret, std::string_view chain);

// The `git filter-repo --replace-text` (and --replace-message) expressions: "literal:FORM==>REDACTED-BY-
// KEYGATE", one line per form, longest first.
std::string filter_repo_expressions(const Plan& plan);
// BFG's --replace-text file: "FORM==>REDACTED-BY-KEYGATE" (BFG takes a line as a literal unless it starts
// with "regex:" or "glob:"; such a form is written as a regex of its escaped bytes).
std::string bfg_replacements(const Plan& plan);

// The literals of an expressions file as filter_repo_expressions writes it (also plain "FORM" lines and
// "FORM==>ANY"). Throws Error("<place>:<line>: ...") for a regex: or glob: line, which `purge --check` cannot
// look for, and when the file holds no literal.
std::vector<std::string> read_expressions(std::string_view text, const std::string& place);

// The secrets of a keygate JSON report (`keygate history --format json --show-secrets`), each with its
// rule and `decoded` chain, added to `plan`. Throws Error naming `place` when the text is not a keygate
// JSON report, or when its secrets are redacted (a report made without --show-secrets).
void add_report(Plan& plan, std::string_view text, const std::string& place);

// The steps after a rewrite, as printed by `keygate purge`: `expressions` and `bfg` are the files written.
std::string after_rewrite_checklist(const std::string& expressions, const std::string& bfg);

// Writes `content` to `path` atomically (FileReplacement) with mode 0600, whatever the umask: the files
// purge writes hold the secrets whole. Throws Error naming the path.
void write_private_file(const std::string& path, std::string_view content);

}  // namespace keygate::purge
