// This file implements the generic detector's value checks (see generic.hpp): each one names a kind of
// value that sits after a credential name without being a credential (placeholder, reference, code).
#include <algorithm>
#include <array>
#include <cstdlib>
#include <string>

#include "detect/generic.hpp"
#include "util/ascii.hpp"

namespace keygate {
namespace {

bool has_vowel(std::string_view w) {
  return std::any_of(w.begin(), w.end(), [](char c) {
    const char l = lower(c);
    return l == 'a' || l == 'e' || l == 'i' || l == 'o' || l == 'u' || l == 'y';
  });
}

// One word of an identifier: letters then optional digits; 4+ letters need a vowel, and more than four
// consonants in a row is not a word ("xkcd" is, "qzjwrtp" is not).
bool word_like(std::string_view letters) {
  if (letters.empty()) return false;
  if (letters.size() >= 4 && !has_vowel(letters)) return false;
  int run = 0;
  for (char c : letters) {
    run = has_vowel(std::string_view(&c, 1)) ? 0 : run + 1;
    if (run > 4) return false;
  }
  return true;
}

// The alphanumeric value with everything but letters and digits removed, lower-cased.
std::string alnum_lower(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (is_alnum(c)) out.push_back(lower(c));
  }
  return out;
}

// True iff a capital letter is followed by at most one lower-case letter and then a digit or the end
// ("Pa55", "xP"): how passwords are mixed, not how names are written ("Func2", "getURL" are names).
bool has_short_hump(std::string_view v) {
  for (std::size_t i = 1; i < v.size(); ++i) {
    if (!is_upper(v[i]) || is_upper(v[i - 1])) continue;
    std::size_t j = i + 1;
    while (j < v.size() && is_lower(v[j])) ++j;
    if (j - i <= 2 && (j == v.size() || is_digit(v[j]))) return true;
  }
  return false;
}

// camelCase or PascalCase that reads as a name (see has_short_hump).
bool camel_name(std::string_view v) {
  return is_alpha(v.front()) && std::any_of(v.begin() + 1, v.end(), is_upper) && !has_short_hump(v);
}

bool rejects_too_short(const ValueContext& c) {
  // Characters, not bytes: a letter of another script is one character of a password ("пароль"), and a
  // UTF-8 sequence is counted once (its continuation bytes are 10xxxxxx).
  std::size_t chars = 0, word_chars = 0;
  for (char x : c.value) {
    const auto u = static_cast<unsigned char>(x);
    if ((u & 0xC0) == 0x80) continue;
    ++chars;
    if (is_alnum(x) || u >= 0x80) ++word_chars;
  }
  return word_chars < 4 || chars < 4;
}

// $VAR, ${VAR}, %(name)s, {{ x }}, #{x}, @{x}, <%= x %>, %VAR%, process.env.X, os.environ[...], getenv(...).
bool rejects_reference(const ValueContext& c) {
  const std::string_view v = c.value;
  static const std::vector<std::string_view> prefixes = {"$",  "%(", "%{", "{{",   "{%",
                                                         "#{", "@{", "<%", "!ref", "!Ref"};
  for (std::string_view p : prefixes) {
    if (v.starts_with(p)) return true;
  }
  if (v.size() > 2 && v.front() == '%' && v.back() == '%') return true;
  // Interpolation inside a string: "basic:$USERPASS64", "\\$smtp_pass", "${x}". A single-quoted string
  // (shell, PHP, Perl, Ruby, JavaScript, Python) does not interpolate $name: 'B8@u$Ga2' is a password.
  for (std::size_t d = v.find('$'); d != std::string_view::npos; d = v.find('$', d + 1)) {
    if (d + 1 >= v.size()) break;
    const char n = v[d + 1];
    if (n == '{' || n == '(' || ((is_alpha(n) || n == '_') && c.quote != '\'')) return true;
  }
  // A format string's field: "{s}", "{0}", "{name}", "%s".
  if (v.find("%s") != std::string_view::npos || v.find("%d") != std::string_view::npos) return true;
  for (std::size_t open = v.find('{'); open != std::string_view::npos; open = v.find('{', open + 1)) {
    const std::size_t close = v.find('}', open);
    if (close == std::string_view::npos) break;
    const std::string_view field = v.substr(open + 1, close - open - 1);
    if (field.size() <= 20 &&
        std::all_of(field.begin(), field.end(), [](char x) { return is_alnum(x) || x == '_' || x == '.'; })) {
      return true;
    }
  }
  const std::string l = lowered(v);
  static const std::vector<std::string_view> calls = {
      "process.env", "os.environ", "getenv", "env(",         "env[",
      "environ.get", "secrets.",   "vault:", "secretkeyref", "valuefrom"};
  return std::any_of(calls.begin(), calls.end(),
                     [&](std::string_view s) { return l.find(s) != std::string::npos; });
}

// <your-password>, [password], {token}, ..., ****, xxxx, •••: shapes that stand for a value.
bool rejects_placeholder_shape(const ValueContext& c) {
  const std::string_view v = c.value;
  if (v.size() >= 2 && ((v.front() == '<' && v.back() == '>') || (v.front() == '[' && v.back() == ']') ||
                        (v.front() == '{' && v.back() == '}'))) {
    return true;
  }
  // (An ellipsis, "..." or U+2026, is a value shortened for display: `secret tgp_v1_…Ab3d`.)
  if (v.find("...") != std::string_view::npos || v.find("***") != std::string_view::npos ||
      v.find("\xe2\x80\xa2") != std::string_view::npos || v.find("\xe2\x80\xa6") != std::string_view::npos) {
    return true;
  }
  // One character repeated ("aaaaaaaa", "00000000") or three of one letter x ("xxx", "XXX").
  if (std::all_of(v.begin(), v.end(), [&](char x) { return x == v.front(); })) return true;
  // (In one case: "oxxXWO7" is a random token's letters, not a filler.)
  if (v.find("xxx") != std::string_view::npos || v.find("XXX") != std::string_view::npos) return true;
  // A count up or down ("0123456789abcdef", "00112233...eeff", "abcdefgh...", "ffeeddcc..."): each
  // character the one before, the same, or the next in the order 0-9a-z, nearly all the way (a random
  // token's neighbours are that close one time in twelve).
  if (v.size() >= 12) {
    auto rank = [](char x) { return is_digit(x) ? x - '0' : is_alpha(x) ? lower(x) - 'a' + 10 : -100; };
    std::size_t close = 0;
    for (std::size_t i = 1; i < v.size(); ++i) close += std::abs(rank(v[i]) - rank(v[i - 1])) <= 1;
    if (close * 10 >= (v.size() - 1) * 9) return true;
  }
  // Six of one character in a row ("tgp_v1_000000..."): a filler; random tokens almost never have it.
  int run = 1;
  for (std::size_t i = 1; i < v.size(); ++i) {
    run = v[i] == v[i - 1] ? run + 1 : 1;
    if (run >= 6) return true;
  }
  return false;
}

// changeme, your_password, example, placeholder, dummy, sample, redacted, replace me, to do; `value`,
// `value1`, `value2` (documentation: `token: value1`).
bool rejects_placeholder_word(const ValueContext& c) {
  const std::string l = lowered(c.value);
  if (l.starts_with("value") && std::all_of(l.begin() + 5, l.end(), is_digit)) return true;
  static const std::vector<std::string_view> words = {
      "changeme", "change_me",   "change-me", "change me", "changeit", "your",
      "example",  "placeholder", "dummy",     "sample",    "redacted", "replace",
      "insert",   "fixme",       "todo",      "_here",     "notreal",  "0123456"};
  if (std::any_of(words.begin(), words.end(),
                  [&](std::string_view w) { return l.find(w) != std::string::npos; }))
    return true;
  // A test's deliberately wrong value, the whole value (digits after it allowed: "fake2"): `password:
  // "invalid"`, `--password="wrong"`.
  std::string_view stem = l;
  while (!stem.empty() && is_digit(stem.back())) stem.remove_suffix(1);
  static const std::vector<std::string_view> wrong = {"wrong", "invalid", "incorrect", "fake",
                                                      "bad",   "ignored", "nope",      "bogus"};
  return std::find(wrong.begin(), wrong.end(), stem) != wrong.end();
}

// The value is a credential word or the name itself: `password = "password"`, `token: token`.
bool rejects_credential_word(const ValueContext& c) {
  const std::string v = alnum_lower(c.value);
  static const std::vector<std::string_view> words = {
      "password", "passwd",      "pass",       "pwd",        "secret",    "token",     "apikey",
      "key",      "credentials", "credential", "passphrase", "authtoken", "secretkey", "accesstoken"};
  if (std::find(words.begin(), words.end(), v) != words.end()) return true;
  const std::string n = alnum_lower(c.name);
  return !n.empty() && (v == n || (n.size() > v.size() && n.ends_with(v) && v.size() >= 4));
}

// null, none, true, false and the type names of common languages (`password: str`, `token string`).
bool rejects_keyword_literal(const ValueContext& c) {
  std::string l = lowered(c.value);
  if (!l.empty() && l.back() == '?') l.pop_back();  // nullable types: String?
  static const std::vector<std::string_view> words = {
      "null", "nil",    "none",         "true",     "false",   "undefined", "yes",      "no",
      "on",   "off",    "required",     "optional", "default", "empty",     "string",   "str",
      "int",  "bool",   "boolean",      "number",   "object",  "any",       "char",     "bytes",
      "text", "hidden", "securestring", "varchar",  "secret",  "unknown",   "nullable", "notnull",
      "&str", "[]byte", "await",        "new",      "yield",   "typeof",    "function", "lambda",
      "self", "this",   "nullptr"};
  return std::find(words.begin(), words.end(), l) != words.end();
}

// Unquoted code: a call, an index, a member access or a variable (`get_password()`, `self.password`,
// `params[:password]`, `Optional[str]`, `user_password`). Quoted values are literals and skip this check.
bool rejects_code(const ValueContext& c) {
  if (c.quoted) return false;
  const std::string_view v = c.value;
  if (v.find('(') != std::string_view::npos || v.find(')') != std::string_view::npos) return true;
  if (v.find('[') != std::string_view::npos && v.back() == ']') return true;
  if (v.starts_with("this.") || v.starts_with("self.") || v.starts_with("@")) return true;
  if (v.back() == ',' || v.back() == ';') return true;
  if (v.find("::") != std::string_view::npos || v.find("->") != std::string_view::npos) return true;
  return looks_like_identifier(v) &&
         (v.find('_') != std::string_view::npos || v.find('.') != std::string_view::npos || camel_name(v));
}

// A quoted identifier: a column, a field or a key name (`"password": "user_password"`).
bool rejects_identifier(const ValueContext& c) {
  const std::string_view v = c.value;
  const bool separated = v.find('_') != std::string_view::npos || v.find('.') != std::string_view::npos;
  return (separated || camel_name(v)) && looks_like_identifier(v);
}

// Prose: a translation or a prompt ("Password:", "Enter your password", "Token is invalid").
bool rejects_prose(const ValueContext& c) {
  const std::string_view v = c.value;
  if (v.back() == ':') return true;
  if (v.find(' ') == std::string_view::npos) return false;
  if (v.back() == '?') return true;
  int words = 0;
  std::size_t start = 0;
  while (start <= v.size()) {
    std::size_t sp = v.find(' ', start);
    if (sp == std::string_view::npos) sp = v.size();
    const std::string_view w = v.substr(start, sp - start);
    // Punctuation between words ("FAILED - but was ok", "** internal error **") is neither word nor password.
    if (!w.empty() && std::any_of(w.begin(), w.end(), is_alnum)) {
      std::string_view letters = w;
      while (!letters.empty() && (letters.back() == '.' || letters.back() == ',' || letters.back() == '!')) {
        letters.remove_suffix(1);
      }
      if (letters.empty() ||
          !std::all_of(letters.begin(), letters.end(), [](char x) { return is_alpha(x) || x == '\''; }) ||
          !word_like(letters)) {
        return false;
      }
      ++words;
    }
    start = sp + 1;
  }
  return words >= 2;
}

// A line of a log or a tool's output quoted as a value: several words, most of them plain words
// (`Unknown TAP token: "==git==3693==ERROR: LeakSanitizer: detected memory leaks"`). A password is one
// word, or a passphrase of plain words (which the prose check already lets go, to keep that rule simple).
bool rejects_log_text(const ValueContext& c) {
  const std::string_view v = c.value;
  int tokens = 0, words = 0;
  for (std::size_t start = 0; start < v.size();) {
    std::size_t sp = v.find(' ', start);
    if (sp == std::string_view::npos) sp = v.size();
    std::string_view w = v.substr(start, sp - start);
    while (!w.empty() && (w.back() == ':' || w.back() == ',' || w.back() == '.')) w.remove_suffix(1);
    if (!w.empty()) {
      ++tokens;
      if (w.size() >= 3 && std::all_of(w.begin(), w.end(), is_alpha)) ++words;
    }
    start = sp + 1;
  }
  return tokens >= 4 && words * 2 >= tokens;
}

// A chain of symbols, as sanitizers print stack signatures (`DEDUP_TOKEN: __interceptor_malloc--xmalloc--
// main--_start`): identifiers joined by "--", at least three of them.
bool rejects_symbol_chain(const ValueContext& c) {
  const std::string_view v = c.value;
  int parts = 0;
  for (std::size_t start = 0; start <= v.size();) {
    std::size_t sep = v.find("--", start);
    if (sep == std::string_view::npos) sep = v.size();
    const std::string_view part = v.substr(start, sep - start);
    if (part.empty() || !(is_alpha(part[0]) || part[0] == '_')) return false;
    if (!std::all_of(part.begin(), part.end(),
                     [](char x) { return is_alnum(x) || x == '_' || x == '.' || x == '@'; })) {
      return false;
    }
    ++parts;
    start = sep + 2;
  }
  return parts >= 3;
}

// A command line or an option: "-lgcc", "--smtp-server", "pwd -W", "cygpath -aw .".
bool rejects_command_option(const ValueContext& c) {
  const std::string_view v = c.value;
  if (v.size() >= 2 && v[0] == '-' && (is_alpha(v[1]) || v[1] == '-')) return true;
  for (std::size_t sp = v.find(" -"); sp != std::string_view::npos; sp = v.find(" -", sp + 1)) {
    if (sp + 2 < v.size() && (is_alpha(v[sp + 2]) || v[sp + 2] == '-')) return true;
  }
  return false;
}

// A file path: /etc/x, ./x, ../x, ~/x, C:\x, or a relative path ending in a file extension.
bool rejects_path(const ValueContext& c) {
  const std::string_view v = c.value;
  if (v.starts_with("/") || v.starts_with("./") || v.starts_with("../") || v.starts_with("~/")) {
    // Base64 may start with "/": a path's parts are words.
    std::size_t start = 0;
    int parts = 0;
    while (start < v.size()) {
      std::size_t slash = v.find('/', start);
      if (slash == std::string_view::npos) slash = v.size();
      const std::string_view part = v.substr(start, slash - start);
      if (!part.empty() && part != "." && part != "..") {
        std::string letters;
        for (char x : part) {
          if (is_alpha(x)) letters.push_back(x);
        }
        if (!letters.empty() && !word_like(letters) && !looks_like_identifier(part)) return false;
        ++parts;
      }
      start = slash + 1;
    }
    return parts > 0;
  }
  if (v.size() > 3 && is_alpha(v[0]) && v[1] == ':' && (v[2] == '\\' || v[2] == '/')) return true;
  // A relative path of words ("rename/move", "src/app"); base64 with a '/' has random parts.
  if (v.find('/') != std::string_view::npos && v.find(' ') == std::string_view::npos) {
    bool words = true;
    std::size_t start = 0;
    while (start <= v.size() && words) {
      std::size_t slash = v.find('/', start);
      if (slash == std::string_view::npos) slash = v.size();
      const std::string_view part = v.substr(start, slash - start);
      words = !part.empty() && (looks_like_identifier(part) ||
                                (std::all_of(part.begin(), part.end(), is_lower) && word_like(part)));
      start = slash + 1;
    }
    if (words) return true;
  }
  const std::size_t dot = v.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return false;
  static const std::vector<std::string_view> exts = {
      "pem", "key", "txt",  "json", "yml", "yaml", "c",   "h",   "o",    "cpp",   "py",  "js",  "crt", "p12",
      "jks", "env", "conf", "cfg",  "ini", "xml",  "gpg", "asc", "make", "cmake", "pub", "der", "sh",  "enc"};
  const std::string ext = lowered(v.substr(dot + 1));
  const bool pathish = v.find('/') != std::string_view::npos || looks_like_identifier(v.substr(0, dot));
  return pathish && std::find(exts.begin(), exts.end(), ext) != exts.end();
}

// A URL: without credentials it is no secret; with them, the url-credentials rule reports it.
bool rejects_url(const ValueContext& c) { return c.value.find("://") != std::string_view::npos; }

// 8-4-4-4-12 hex digits: an id.
bool rejects_uuid(const ValueContext& c) {
  const std::string_view v = c.value;
  if (v.size() != 36) return false;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? v[i] != '-' : !is_hex_digit(v[i])) return false;
  }
  return true;
}

// Digits (and punctuation) only: a duration, a port, a size (`token_expiry: 3600`).
bool rejects_number(const ValueContext& c) {
  const std::string_view v = c.value;
  if (std::none_of(v.begin(), v.end(), is_alpha)) return true;
  // 0x00010000, 0x9f13bf7L, 1979-05-27T07:32:00Z: a hex literal (with a C or Java integer suffix) or a
  // timestamp.
  std::string_view digits = v;
  while (digits.size() > 3 && (lower(digits.back()) == 'l' || lower(digits.back()) == 'u') &&
         v.size() - digits.size() < 3)
    digits.remove_suffix(1);
  if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X') &&
      std::all_of(digits.begin() + 2, digits.end(), [](char x) { return is_hex_digit(x); })) {
    return true;
  }
  return v.size() >= 10 && std::all_of(v.begin(), v.begin() + 4, is_digit) && v[4] == '-' &&
         std::all_of(v.begin(), v.end(), [](char x) {
           return is_digit(x) || x == '-' || x == ':' || x == 'T' || x == 'Z' || x == '.' || x == '+' ||
                  x == ' ';
         });
}

// A published digest (sha256-..., sha512-... subresource integrity; sha256:... image digests).
bool rejects_public_digest(const ValueContext& c) {
  const std::string l = lowered(c.value);
  return l.starts_with("sha256-") || l.starts_with("sha384-") || l.starts_with("sha512-") ||
         l.starts_with("sha256:") || l.starts_with("sha1:") || l.starts_with("md5:");
}

// An OpenPGP long key id under a key name (`KEY=13B6F51ECDDE430D`, `signingkey = ...`, `GPG_KEY`): 16
// hex digits in capitals, as gpg prints them. It names a public key. A secret of 16 characters under a
// key name is typed as text (`AES_KEY = "k8Hs..."`) or digits, not as 64 bits of capital hex.
bool rejects_key_id(const ValueContext& c) {
  const std::string_view v = c.value;
  if (v.size() != 16 ||
      !std::all_of(v.begin(), v.end(), [](char x) { return is_digit(x) || (x >= 'A' && x <= 'F'); }))
    return false;
  if (std::none_of(v.begin(), v.end(), is_digit) || std::all_of(v.begin(), v.end(), is_digit)) return false;
  const std::string name = lowered(c.name);
  return name.find("key") != std::string::npos || name.find("gpg") != std::string::npos ||
         name.find("pgp") != std::string::npos;
}

// A validation rule, not a value: Laravel's `'required|min:8'`, `'nullable|string|confirmed'` under a
// password field. Every `|`-separated part is a lower-case rule name with optional `:arguments`, and one
// of them is a rule every such list uses.
bool rejects_validation_rule(const ValueContext& c) {
  const std::string_view v = c.value;
  if (v.find('|') == std::string_view::npos && v.find("min:") != 0 && v != "required") return false;
  bool known = false;
  for (std::size_t at = 0; at <= v.size();) {
    std::size_t end = v.find('|', at);
    if (end == std::string_view::npos) end = v.size();
    std::string_view part = v.substr(at, end - at);
    const std::size_t colon = part.find(':');
    const std::string_view rule = part.substr(0, colon);
    if (rule.empty() ||
        !std::all_of(rule.begin(), rule.end(), [](char x) { return is_lower(x) || x == '_'; }))
      return false;
    for (std::string_view r : {"required", "nullable", "sometimes", "confirmed", "string", "min", "max",
                               "between", "size", "same", "different", "regex", "bail"})
      known = known || rule == r;
    at = end + 1;
  }
  return known;
}

}  // namespace

bool looks_like_identifier(std::string_view s) {
  if (s.empty() || !is_alpha(s.front())) return false;
  // SCREAMING_CASE may hold vowel-less acronyms (GNUTLS_PKCS11_TOKEN); random tokens have lower case.
  const bool screaming = std::none_of(s.begin(), s.end(), is_lower);
  // Split into parts on _ . - and case changes; each part is letters then digits.
  std::size_t i = 0;
  int parts = 0, short_parts = 0, digit_parts = 0, acronyms = 0;
  while (i < s.size()) {
    if (s[i] == '_' || s[i] == '.' || s[i] == '-') {
      ++i;
      continue;
    }
    if (!is_alpha(s[i])) return false;  // a part starting with a digit, or a foreign character
    const std::size_t start = i;
    if (is_upper(s[i])) {
      ++i;
      if (i < s.size() && is_upper(s[i])) {
        // ACRONYM or SCREAMING: upper letters, ending before an Upper+lower ("HTTPServer" -> HTTP, Server).
        while (i < s.size() && is_upper(s[i]) && !(i + 1 < s.size() && is_lower(s[i + 1]))) ++i;
      } else {
        while (i < s.size() && is_lower(s[i])) ++i;
      }
    } else {
      while (i < s.size() && is_lower(s[i])) ++i;
    }
    const std::string_view letters = s.substr(start, i - start);
    while (i < s.size() && is_digit(s[i])) ++i;
    // A digit run followed by a lower-case letter ("ab3cd") is not how identifiers are written.
    if (i < s.size() && i > start + letters.size() && is_lower(s[i])) return false;
    const bool acronym = letters.size() >= 2 && std::all_of(letters.begin(), letters.end(), is_upper);
    if (!word_like(letters) && !((screaming || acronym) && letters.size() <= 5)) return false;
    // Names are made of words: random mixed-case text splits into many one- and two-letter parts, digits
    // inside several parts, and several capital runs ("DtQeh3JYLtLnoy02CuN").
    // (snake_case words may be short: "this_is_a_name"; camelCase humps rarely are.)
    const bool after_separator =
        start == 0 || s[start - 1] == '_' || s[start - 1] == '.' || s[start - 1] == '-';
    if (letters.size() <= 2 && !after_separator) ++short_parts;
    if (i > start + letters.size()) ++digit_parts;
    if (!screaming && letters.size() >= 2 && is_upper(letters[0]) && is_upper(letters[1])) ++acronyms;
    ++parts;
  }
  if (short_parts > 1 || digit_parts > 2 || acronyms > 1) return false;
  return parts > 0;
}

const std::vector<ValueCheck>& value_checks() {
  static const std::vector<ValueCheck> checks = {
      {"too-short", rejects_too_short},
      {"reference", rejects_reference},
      {"placeholder-shape", rejects_placeholder_shape},
      {"placeholder-word", rejects_placeholder_word},
      {"credential-word", rejects_credential_word},
      {"keyword-literal", rejects_keyword_literal},
      {"code", rejects_code},
      {"identifier", rejects_identifier},
      {"prose", rejects_prose},
      {"log-text", rejects_log_text},
      {"symbol-chain", rejects_symbol_chain},
      {"command-option", rejects_command_option},
      {"path", rejects_path},
      {"url", rejects_url},
      {"uuid", rejects_uuid},
      {"number", rejects_number},
      {"public-digest", rejects_public_digest},
      {"key-id", rejects_key_id},
      {"validation-rule", rejects_validation_rule},
  };
  return checks;
}

const char* rejecting_check(const ValueContext& c) {
  if (c.value.empty()) return "empty";
  for (const ValueCheck& check : value_checks()) {
    if (check.rejects(c)) return check.name;
  }
  return nullptr;
}

}  // namespace keygate
