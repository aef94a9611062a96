// This file implements the generic credential detector: "name, operator, literal value" in any common
// language or format (assignments, JSON/YAML/XML/TOML/.ini keys, Dockerfile ENV, shell defaults, PHP
// define, command-line options). The matcher runs it, around keyword hits, for rules with a `detector`.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "core/confidence.hpp"

namespace keygate {

// What the name of an assignment says the value is.
enum class NameKind { Password, Secret };

// One named credential with a literal value. Offsets are into the text given to find_assignments.
struct Assignment {
  std::size_t name_begin = 0, name_end = 0;
  std::size_t value_begin = 0, value_end = 0;
  NameKind kind = NameKind::Password;
  Confidence confidence = Confidence::Medium;
  bool quoted = false;   // the value was a quoted literal
  bool widened = false;  // a shape the value checks drop (a UUID) kept for the scorer to judge
  // Why a value is widened: the value check that would have dropped it ("uuid", "number", "identifier",
  // "code"), "key-name" for a key-shaped value under a name that only says "key", or empty.
  std::string_view widened_by;
};

// The detectors a rule may name in `detector = "..."`: "password" reports password-like names (password,
// passwd, pwd, pass, passphrase, command-line passwords), "secret" the others (secret, token, credential,
// api key, auth key, private key, access key, salt). Returns true iff `name` is one of them.
inline bool known_detector(std::string_view name) { return name == "password" || name == "secret"; }

// Appends to `out` every assignment whose name starts in text[begin, end) and whose value passed every
// value check. `detector` selects the names (see known_detector). Linear in end - begin (a value is looked
// for on the name's line only, a Terraform default a few hundred bytes on). Never reads outside `text`.
void find_assignments(std::string_view text, std::size_t begin, std::size_t end, std::string_view detector,
                      std::vector<Assignment>& out);

// Returns the kind of credential the identifier `name` names (e.g. "DB_PASSWORD", "mysqlRootPassword",
// "client-secret"), or false when it names none (e.g. "password_length", "tokenizer", "PublicKeyToken").
bool credential_name(std::string_view name, NameKind* kind);

// A cheap test before credential_name splits `token` into words: false when no credential word's stem
// (pass, pwd, pw, secret, token, credential, key, auth, salt) is in its first 64 bytes, any case.
bool may_name_credential(std::string_view token);

// True iff the last word of `name` is "key" or ends in it ("key", "consumerKey", "service_key", "pkey"),
// or is a key's encoded or raw form after such a word ("keyBytes", "AES_KEY_DATA", "signingKeyValue"), and
// no word says it is not a secret's (public, pub, foreign, primary) or that it is another word
// ("monkey", "hotkey").
bool key_name(std::string_view name);

// The keyword prefilter's gate for a detector rule (RuleSet::keep): true iff the keyword occurrence that
// ends at text[end] may open a window. Every occurrence may, except a name's `key` with the operator after
// it (keywords such as `key=`, `key :`, `key"`, `key("`): "key" ends many names in code that hold no
// secret, so such an occurrence opens a window only where the name is assigned a literal: an operator
// (`=`, `:`, `=>`, `:=`, a setter's `("`) after any closing quotes, then a value of 8 or more characters
// (`aesKey = "..."`, `service_key: ...`, `SetKey("...")`). Reads at most 64 bytes after `end`.
// REQUIRES: end <= text.size().
bool detector_hit_opens(std::string_view text, std::size_t end);

// What a value check sees: the value (without quotes), whether it was quoted, and the name.
struct ValueContext {
  std::string_view value;
  bool quoted = false;
  std::string_view name;
  char quote = 0;  // the quote character of a quoted value (" ' `), or 0
};

// One named filter: a value it `rejects` is a placeholder, a reference or code, not a credential.
struct ValueCheck {
  const char* name;
  bool (*rejects)(const ValueContext&);
};

// Every value check, in the order they run.
const std::vector<ValueCheck>& value_checks();

// The name of the first check that rejects `c`, or null when the value is a credential.
const char* rejecting_check(const ValueContext& c);

// True iff `s` reads as a programmer's identifier: snake_case, SCREAMING_CASE, camelCase, PascalCase or a
// dotted path of such words. Built so that random base62/base64 tokens are (almost) never identifiers:
// every part must be a pronounceable word (a vowel in any part of 4+ letters, digits only at a word's end).
bool looks_like_identifier(std::string_view s);

}  // namespace keygate
