// This file implements the generic detector's reading of names (see generic.hpp): the words of an
// identifier, and whether they name a password, another secret, or only a key.
#include <algorithm>
#include <string>
#include <vector>

#include "detect/generic.hpp"
#include "util/ascii.hpp"

namespace keygate {
namespace {

// The lower-cased words of an identifier: split on _ . - and at case changes ("mysqlRootPassword" ->
// mysql, root, password; "DB_PASSWORD" -> db, password; "APIKey" -> api, key).
std::vector<std::string> words_of(std::string_view name) {
  std::vector<std::string> words;
  words.reserve(6);  // most names have a few words: one allocation, no moves
  std::string current;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (!is_alnum(c)) {
      if (!current.empty()) words.push_back(std::move(current));
      current.clear();
      continue;
    }
    const bool boundary = !current.empty() && is_upper(c) &&
                          (is_lower(name[i - 1]) || is_digit(name[i - 1]) ||
                           (is_upper(name[i - 1]) && i + 1 < name.size() && is_lower(name[i + 1])));
    if (boundary) {
      words.push_back(std::move(current));
      current.clear();
    }
    current.push_back(lower(c));
  }
  if (!current.empty()) words.push_back(std::move(current));
  return words;
}

bool one_of(const std::string& w, std::initializer_list<std::string_view> list) {
  return std::find(list.begin(), list.end(), w) != list.end();
}

bool non_secret_suffix(const std::string& w);

// A word that is itself a password name, possibly glued to a prefix ("dbpassword", "rootpwd").
bool password_word(const std::string& w) {
  if (w == "pass" || w == "pwd" || w == "passwd" || w == "passphrase" || w == "pw" || w == "passw")
    return true;
  if (const std::size_t at = w.find("password"); at != std::string::npos) {
    // A suffix glued on says what about the password it is: `passwordfile`, `passwordless`, `passwordhash`.
    const std::string rest = w.substr(at + 8);
    return rest != "less" && (rest.empty() || rest == "s" || !non_secret_suffix(rest));
  }
  return w.ends_with("passwd") || w.ends_with("pwd") || w.ends_with("passphrase") ||
         one_of(w, {"dbpass", "rootpass", "userpass", "adminpass", "mypass", "sqlpass", "ftppass", "smtppass",
                    "mailpass"});
}

bool secret_word(const std::string& w) {
  if (w.find("secret") != std::string::npos) return w.find("secretar") == std::string::npos;  // secretary
  if (w.find("token") != std::string::npos)
    return w.find("tokeniz") == std::string::npos && w.find("tokens") == std::string::npos;
  if (w.find("credential") != std::string::npos) return true;
  // WordPress's salts glue their word on: authsalt, secureauthsalt, loggedinsalt, noncesalt.
  if (w.size() > 4 && w.ends_with("salt") && w != "basalt") return true;
  return one_of(w, {"apikey", "authkey", "authtoken", "privatekey", "accesskey", "secretkey", "salt", "auth",
                    "appkey", "masterkey", "encryptionkey", "signingkey", "sessionkey"});
}

// The last word of names that hold something about a credential, not the credential. Not "confirm",
// "confirmation" or "again": `password_confirmation: "..."` repeats the password in a fixture or a form.
bool non_secret_suffix(const std::string& w) {
  // Asked of nearly every name of every window: a binary search of the sorted list.
  static const std::vector<std::string_view> sorted = [] {
    std::vector<std::string_view> v = {
        "length",   "len",        "size",       "min",        "max",       "count",       "type",
        "kind",     "name",       "label",      "prompt",     "hint",      "placeholder", "expires",
        "expiry",   "expiration", "ttl",        "timeout",    "regex",     "pattern",     "policy",
        "header",   "field",      "input",      "column",     "reset",     "changed",     "required",
        "enabled",  "manager",    "provider",   "service",    "class",     "dir",         "message",
        "error",    "text",       "title",      "path",       "file",      "url",         "uri",
        "endpoint", "env",        "var",        "variable",   "id",        "format",      "mode",
        "prefix",   "suffix",     "index",      "position",   "validator", "rules",       "strength",
        "hash",     "hashed",     "digest",     "method",     "scheme",    "algorithm",   "store",
        "storage",  "helper",     "handler",    "callback",   "fn",        "func",        "function",
        "test",     "tests",      "spec",       "ref",        "reference", "id",          "version",
        "view",     "form",       "button",     "dialog",     "source",    "location",    "lifetime",
        "parser",   "reader",     "writer",     "cache",      "char",      "chars",       "options",
        "flag",     "flags",      "state",      "status",     "at",        "on",          "by",
        "in",       "out",        "valid",      "invalid",    "changes",   "generator",   "utils",
        "util",     "module",     "package",    "plugin",     "usage",     "description", "doc",
        "check",    "verify",     "visible",    "visibility", "toggle",    "keys",        "list",
        "secrets",  "tokens",     "sender",     "user",       "username",  "email",       "from",
        "to",       "command",    "cmd",        "program",    "script",    "fingerprint", "thumbprint",
        "checksum", "host",       "encryption", "md5",        "sha1",      "sha2",        "sha256",
        "sha512",   "bcrypt"};
    std::sort(v.begin(), v.end());
    return v;
  }();
  return std::binary_search(sorted.begin(), sorted.end(), std::string_view(w));
}

}  // namespace

bool may_name_credential(std::string_view token) {
  if (token.size() < 2) return false;
  // Called on every word of every window: one pass over the first 64 bytes, comparing a stem only where
  // its first letter is (pass, pw(d), secret, salt, token, credential, key, auth).
  const std::string_view head = token.substr(0, 64);
  for (std::size_t i = 0; i + 1 < head.size(); ++i) {
    const std::string_view at(head.data() + i, head.size() - i);  // no bounds check: i < head.size()
    switch (lower(head[i])) {
      case 'p':
        if (starts_with_lowered(at, "pw") || starts_with_lowered(at, "pass")) return true;
        break;
      case 's':
        if (starts_with_lowered(at, "secret") || starts_with_lowered(at, "salt")) return true;
        break;
      case 't':
        if (starts_with_lowered(at, "token")) return true;
        break;
      case 'c':
        if (starts_with_lowered(at, "credential")) return true;
        break;
      case 'k':
        if (starts_with_lowered(at, "key")) return true;
        break;
      case 'a':
        if (starts_with_lowered(at, "auth")) return true;
        break;
      default:
        break;
    }
  }
  return false;
}

bool credential_name(std::string_view name, NameKind* kind) {
  const std::vector<std::string> words = words_of(name);
  // Vault AppRole's `secret_id` (`SecretID`) is the role's password, not an identifier.
  const bool secret_id = words.size() >= 2 && words.back() == "id" && words[words.size() - 2] == "secret";
  if (words.empty() || (non_secret_suffix(words.back()) && !secret_id)) return false;
  // `PWD` alone, in capitals, is the shell's working directory (`os.environ['PWD'] = path`).
  if (name == "PWD") return false;
  bool password = false, secret = false;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    if (w == "public" || w == "publickeytoken") return false;  // .NET PublicKeyToken, public keys
    // When a credential expires is a time, wherever the word is (`password_expiry_utc`, `token_expires_in`).
    if (one_of(w, {"expiry", "expires", "expiration", "expire", "expired"})) return false;
    // "pass" alone means a password only as the name's last word ("db_pass"), not in "passOrFail".
    // "pw" alone is as often a country code (Palau) or an abbreviation as a password: only in a longer name.
    // A compiler's or a renderer's pass is no password: `-debug-pass=`, `render_pass`, `first_pass`.
    const bool stage_pass =
        w == "pass" && i > 0 &&
        one_of(words[i - 1], {"debug", "print", "render", "first", "second", "third", "final", "single",
                              "multi", "compiler", "opt", "shader", "analysis", "lint", "optimization"});
    if (password_word(w) && (w != "pass" || (i + 1 == words.size() && !stage_pass)) &&
        (w != "pw" || words.size() > 1))
      password = true;
    if (secret_word(w)) secret = true;
    // OAuth 1.0's request signature and verifier prove the consumer's secret and the user's grant.
    if (i > 0 && std::string_view(words[i - 1]) == "oauth" &&
        (std::string_view(w) == "signature" || std::string_view(w) == "verifier"))
      secret = true;
    if (w == "key" && i > 0 &&
        one_of(words[i - 1], {"api", "auth", "access", "private", "secret", "app", "master", "encryption",
                              "signing", "session"})) {
      secret = true;
    }
  }
  if (password)
    *kind = NameKind::Password;
  else if (secret)
    *kind = NameKind::Secret;
  return password || secret;
}

bool key_name(std::string_view name) {
  const std::vector<std::string> words = words_of(name);
  if (words.empty()) return false;
  for (const std::string& w : words) {
    if (w == "public" || w == "pub" || w == "foreign" || w == "primary") return false;
  }
  // The key's encoded or raw form: `keyBytes`, `aesKeyValue`, `KEY_DATA` (`= base64Decode("...")`).
  std::size_t n = words.size();
  if (n > 1 && one_of(words.back(), {"bytes", "value", "data", "material", "hex", "b64", "base64"})) --n;
  const std::string& last = words[n - 1];
  return last.ends_with("key") &&
         !one_of(last, {"monkey", "hotkey", "turkey", "donkey", "jockey", "hockey", "whiskey", "keykey"});
}

}  // namespace keygate
