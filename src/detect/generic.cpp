// This file implements the generic detector's reading of "name, operator, literal value" (see generic.hpp);
// names are read in generic_names.cpp, the value checks are in generic_checks.cpp.
#include "detect/generic.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <string>

#include "core/finding.hpp"
#include "util/ascii.hpp"

namespace keygate {
namespace {

bool is_name_char(char c) { return is_alnum(c) || c == '_' || c == '-' || c == '.'; }
bool is_space(char c) { return c == ' ' || c == '\t'; }

bool is_known_type(std::string_view w) {
  if (!w.empty() && w.back() == '?') w.remove_suffix(1);  // Kotlin, C#, TypeScript nullable types
  static const std::vector<std::string_view> types = {"string", "String", "str", "&str",         "[]byte",
                                                      "char",   "var",    "val", "SecureString", "text"};
  return std::find(types.begin(), types.end(), w) != types.end();
}

// The end of the word at text[p] that could name a type (up to a space or '='), read at most
// kMaxTypeWord bytes far: no known type is longer, and a long token after every name of a line must not
// be walked once per name.
constexpr std::size_t kMaxTypeWord = 32;
std::size_t type_word_end(std::string_view text, std::size_t p, std::size_t line_end) {
  const std::size_t limit = std::min(line_end, p + kMaxTypeWord + 1);
  while (p < limit && !is_space(text[p]) && text[p] != '=') ++p;
  return p;
}

// Where the value after the operator at `p` starts, or npos. `line_end` bounds the search.
struct Operator {
  std::size_t value_at = std::string_view::npos;
  bool spaced = false;      // the operator was whitespace only (ENV KEY value, --password x, set $k v)
  bool comparison = false;  // a comparison with a quoted literal: a credential checked in code (scored)
};

// A quoted name that is the first argument of a call: PHP's `define('NAME', value)`, or a lookup whose
// literal fallback is the value (`getenv("NAME", "default")`, `env('NAME', 'default')`,
// `os.environ.get("NAME") or "default"`): a default that is a credential ships with the code.
enum class NameInCall { No, Define, Lookup };

// Returns how the quoted name whose opening quote is at text[quote] sits in a call (see NameInCall).
NameInCall name_in_call(std::string_view text, std::size_t line_begin, std::size_t quote) {
  std::size_t q = quote;
  while (q > line_begin && is_space(text[q - 1])) --q;
  const std::string_view before = text.substr(line_begin, q - line_begin);
  if (before.ends_with("define(")) return NameInCall::Define;
  for (std::string_view call : {"getenv(", "env(", "ENV.fetch(", "getProperty(", ".get("}) {
    if (before.ends_with(call)) return NameInCall::Lookup;
  }
  return NameInCall::No;
}

// A call that decodes its literal argument (`hex.DecodeString("...")`, `base64.b64decode(b'...')`,
// `Base64.getDecoder().decode("...")`, `bytes.fromhex('...')`, `unhexlify("...")`): the literal is the
// value, written in its encoding. Returns where the literal's opening quote (or its b prefix) is when
// text[p...] is such a call, else p. Reads at most 64 bytes of the callee.
std::size_t decoded_literal_at(std::string_view text, std::size_t p, std::size_t line_end) {
  const std::size_t limit = std::min(line_end, p + 64);
  std::size_t open = p;
  while (open < limit && (is_alnum(text[open]) || text[open] == '_' || text[open] == '.' ||
                          (text[open] == '(' && open + 1 < limit && text[open + 1] == ')') ||
                          (text[open] == ')' && open > p && text[open - 1] == '(')))
    ++open;
  if (open == p || open + 1 >= line_end || text[open] != '(') return p;
  std::size_t q = open + 1;
  if (text[q] == 'b' && q + 1 < line_end) ++q;
  if (text[q] != '"' && text[q] != '\'') return p;
  const std::string callee = lowered(text.substr(p, open - p));
  for (std::string_view d : {"decode", "fromhex", "unhexlify", "hex2bin", "base64_decode"}) {
    if (callee.find(d) != std::string::npos) return open + 1;
  }
  return p;
}

// A constructor of a credential type called with a literal (`new OAuth2AccessToken("...")`,
// `new Credential("...", ...)`): the literal is the value. Returns where its opening quote is when
// text[p...] is such a call, else p. Reads at most 64 bytes of the type's name.
std::size_t credential_constructor_at(std::string_view text, std::size_t p, std::size_t line_end) {
  if (text.substr(p, std::min<std::size_t>(4, line_end - p)) != "new ") return p;
  const std::size_t type = p + 4;
  std::size_t open = type;
  while (open < line_end && open - type < 64 &&
         (is_alnum(text[open]) || text[open] == '_' || text[open] == '.'))
    ++open;
  if (open == type || open + 1 >= line_end || text[open] != '(' ||
      (text[open + 1] != '"' && text[open + 1] != '\''))
    return p;
  NameKind kind = NameKind::Secret;
  return credential_name(text.substr(type, open - type), &kind) ? open + 1 : p;
}

// True iff `member`, called on an object with a literal (`.password("...")`, `.oauth_verifier("...")`,
// `.withToken("...")`), sets a builder's credential: its first word is not a verb that looks one up,
// checks or transforms it (`.getToken("name")`, `.hashPassword("...")`).
bool builder_member(std::string_view member) {
  NameKind kind = NameKind::Secret;
  if (!credential_name(member, &kind)) return false;  // `password.encode("utf-8")`
  std::size_t n = 0;
  while (n < member.size() && is_alpha(member[n]) && (n == 0 || !is_upper(member[n]))) ++n;
  if (n == member.size()) return true;  // one word: `.password(`
  const std::string verb = lowered(member.substr(0, n));
  static constexpr std::string_view verbs[] = {
      "get",    "find",    "load",    "read",     "fetch",  "lookup",   "has",    "is",      "remove",
      "delete", "del",     "check",   "verify",   "valid",  "validate", "hash",   "encrypt", "decrypt",
      "encode", "decode",  "create",  "generate", "gen",    "parse",    "revoke", "refresh", "clear",
      "reset",  "update",  "compare", "match",    "sign",   "to",       "from",   "put",     "add",
      "store",  "save",    "send",    "request",  "new",    "make",     "build",  "use",     "handle",
      "on",     "process", "apply",   "mask",     "redact", "search",   "destroy"};
  for (std::string_view v : verbs) {
    if (verb == v) return false;
  }
  return true;
}

// Where a quoted literal starts at or after `p` (spaces skipped), or npos.
std::size_t quoted_literal_at(std::string_view text, std::size_t p, std::size_t line_end) {
  while (p < line_end && is_space(text[p])) ++p;
  return p < line_end && (text[p] == '"' || text[p] == '\'') ? p : std::string_view::npos;
}

Operator read_operator(std::string_view text, std::size_t p, std::size_t line_end, bool space_allowed,
                       bool in_braces, NameInCall call, bool setter = false) {
  Operator op;
  // A setter called with a literal: setPassword("...") (Java, C#, JavaScript).
  if (setter && p + 1 < line_end && text[p] == '(' && (text[p + 1] == '"' || text[p + 1] == '\'')) {
    op.value_at = p + 1;
    return op;
  }
  // Closing quotes and brackets of the name: "password": , $cfg['password'] =, \"password\":, and
  // Markdown's bold or code before an operator (`**password**: ...`, `` `token` = ... ``; not prose
  // after `` `--smtp-pass` ``).
  std::size_t marks = p;
  while (marks < line_end && marks - p < 2 && (text[marks] == '*' || text[marks] == '`')) ++marks;
  std::size_t op_at = marks;
  while (op_at < line_end && is_space(text[op_at])) ++op_at;
  const bool markdown = marks > p && p > 0 && text[p - 1] != ' ' && op_at < line_end &&
                        (text[op_at] == ':' || text[op_at] == '=');
  if (markdown) p = marks;
  for (int i = 0;
       i < 4 && p < line_end && (text[p] == '"' || text[p] == '\'' || text[p] == ']' || text[p] == '\\'); ++i)
    ++p;
  const std::size_t after_name = p;
  while (p < line_end && is_space(text[p])) ++p;
  if (p >= line_end) return op;
  const char c = text[p];
  if (in_braces && c == ':') {  // ${NAME:-default}, ${NAME:default}
    ++p;
    if (p < line_end && (text[p] == '-' || text[p] == '=')) ++p;
    op.value_at = p;
    return op;
  }
  if (c == ':' || c == '=') {
    if (c == '=' && p + 1 < line_end && (text[p + 1] == '=' || text[p + 1] == '~')) {
      // A comparison: only with a quoted literal (`password === 'x'`) is it a credential's value.
      std::size_t q = p + 2;
      if (q < line_end && text[q] == '=') ++q;
      while (q < line_end && is_space(text[q])) ++q;
      if (text[p + 1] == '=' && q < line_end && (text[q] == '"' || text[q] == '\'')) {
        op.value_at = q;
        op.comparison = true;
      }
      return op;
    }
    std::size_t q = p + 1;
    if (q < line_end && (text[q] == '=' || text[q] == '>')) ++q;  // :=, =>
    if (c == ':' && q < line_end && text[q] == ':') return op;    // C++/Ruby scope ::
    // `name: Type = value` (Kotlin, TypeScript): skip the type to its `=`.
    std::size_t t = q;
    while (t < line_end && is_space(text[t])) ++t;
    const std::size_t type_end = type_word_end(text, t, line_end);
    if (c == ':' && type_end > t && is_known_type(text.substr(t, type_end - t))) {
      std::size_t e = type_end;
      while (e < line_end && is_space(text[e])) ++e;
      if (e < line_end && text[e] == '=' && !(e + 1 < line_end && text[e + 1] == '=')) q = e + 1;
    }
    op.value_at = q;
    return op;
  }
  // Capybara's `fill_in :user_password, with: "..."` (a form filled in a test): the `with:` argument,
  // when the name is the whole symbol or string (`fill_in 'New password', with:` fills in a label).
  if (c == ',' && call == NameInCall::No) {
    std::size_t b = after_name;
    while (b > 0 && (text[b - 1] == '"' || text[b - 1] == '\'')) --b;
    while (b > 0 && is_name_char(text[b - 1])) --b;
    const char open = b > 0 ? text[b - 1] : '\n';
    std::size_t q = open == ':' || open == '"' || open == '\'' ? p + 1 : line_end;
    while (q < line_end && is_space(text[q])) ++q;
    if (text.substr(q, std::min<std::size_t>(5, line_end - q)) == "with:") {
      op.value_at = quoted_literal_at(text, q + 5, line_end);
      return op;
    }
    // A Ruby symbol then a literal: Capistrano's `set :password, "..."`, `property_set(:secret, '...')`.
    const bool symbol = open == ':' && !(b >= 2 && text[b - 2] == ':');  // not a scope: self::PASSWORD
    if (symbol && q < line_end && (text[q] == '"' || text[q] == '\'')) {
      op.value_at = q;
      return op;
    }
  }
  // Go's `secret, err := f(...)`, `key, _ = f(...)`: the first of two names given a call's results.
  if (c == ',' && call == NameInCall::No) {
    std::size_t q = p + 1;
    while (q < line_end && is_space(text[q])) ++q;
    const std::size_t second = q;
    while (q < line_end && (is_alnum(text[q]) || text[q] == '_')) ++q;
    const std::string_view name2 = text.substr(second, q - second);
    while (q < line_end && is_space(text[q])) ++q;
    if (name2 != "_" && name2 != "err") return op;
    if (q + 1 < line_end && text[q] == ':' && text[q + 1] == '=')
      op.value_at = q + 2;
    else if (q < line_end && text[q] == '=' && !(q + 1 < line_end && text[q + 1] == '='))
      op.value_at = q + 1;
    return op;
  }
  if (c == ',' && call == NameInCall::Define) {
    op.value_at = p + 1;
    return op;
  }
  // A lookup's fallback: its second argument, or the literal after the call (`or`, `||`, `??`, `?:`);
  // only a quoted literal (`.get("password", None)` names no value).
  if (c == ',' && call == NameInCall::Lookup) {
    op.value_at = quoted_literal_at(text, p + 1, line_end);
    return op;
  }
  if (c == ')' && call == NameInCall::Lookup) {
    std::size_t q = p + 1;
    while (q < line_end && is_space(text[q])) ++q;
    for (std::string_view alt : {"or ", "||", "??", "?:"}) {
      if (q + alt.size() <= line_end && text.substr(q, alt.size()) == alt) {
        op.value_at = quoted_literal_at(text, q + alt.size(), line_end);
        break;
      }
    }
    return op;
  }
  if (c == '>' && after_name > 0 && p == after_name) {  // an XML element: the value up to its end tag
    op.value_at = p + 1;
    return op;
  }
  // Go: `const X string = "..."`, C#: `string Password = "..."` is handled by the name itself.
  const std::size_t type_end = type_word_end(text, p, line_end);
  if (type_end > p && is_known_type(text.substr(p, type_end - p))) {
    std::size_t e = type_end;
    while (e < line_end && is_space(text[e])) ++e;
    if (e < line_end && text[e] == '=' && !(e + 1 < line_end && text[e + 1] == '=')) {
      op.value_at = e + 1;
      return op;
    }
  }
  if (space_allowed && p > after_name) {
    op.value_at = p;
    op.spaced = true;
  }
  return op;
}

// Where the last unquoted value read ended: a delimiter (or the line's end) at `to` with none in
// [from, to). A value read from any p in [from, to] ends at `to` too, so a line of names that share one
// long run (`password=password=...`) is walked once, not once per name. One per delimiter set.
struct ValueRun {
  std::size_t from = std::string_view::npos, to = 0, line_end = 0;
};
struct ValueRuns {
  ValueRun plain, in_braces;
};

// The value at `p`: quoted (", ', `, \" or a b/r/u/f/@ prefix) up to its closing quote on the line, or
// unquoted up to a delimiter. Sets *quoted. Returns [begin, end) or begin == end when there is none.
// `runs` (optional) remembers unquoted runs between calls on one text.
std::pair<std::size_t, std::size_t> read_value(std::string_view text, std::size_t p, std::size_t line_end,
                                               bool xml_element, bool in_braces, bool* quoted,
                                               ValueRuns* runs = nullptr) {
  while (p < line_end && is_space(text[p])) ++p;
  *quoted = false;
  if (p >= line_end) return {p, p};
  if (p + 1 < line_end &&
      (text[p] == 'b' || text[p] == 'r' || text[p] == 'u' || text[p] == 'f' || text[p] == '@') &&
      (text[p + 1] == '"' || text[p + 1] == '\'')) {
    ++p;
  }
  const bool escaped_quote =
      text[p] == '\\' && p + 1 < line_end && (text[p + 1] == '"' || text[p + 1] == '\'');
  if (escaped_quote || text[p] == '"' || text[p] == '\'' || text[p] == '`') {
    const char q = escaped_quote ? text[p + 1] : text[p];
    const std::size_t begin = p + (escaped_quote ? 2 : 1);
    for (std::size_t i = begin; i < line_end; ++i) {
      if (escaped_quote ? (text[i] == '\\' && i + 1 < line_end && text[i + 1] == q) : text[i] == q) {
        *quoted = true;
        return {begin, i};
      }
      if (!escaped_quote && text[i] == '\\') ++i;  // an escaped character inside the string
    }
    return {p, p};  // unterminated on this line: a multi-line string or code, not a literal
  }
  ValueRun* run = runs == nullptr ? nullptr : in_braces ? &runs->in_braces : &runs->plain;
  if (run != nullptr && run->line_end == line_end && run->from <= p && p <= run->to) return {p, run->to};
  std::size_t e = p;
  while (e < line_end) {
    const char c = text[e];
    if (is_space(c) || c == '\r' || c == '"' || c == '\'' || c == '`' || c == ';' || c == ',') break;
    // An escaped line break: the value sits inside a string literal of code ("a=b\nc=d").
    if (c == '\\' && e + 1 < line_end && (text[e + 1] == 'n' || text[e + 1] == 'r' || text[e + 1] == 't'))
      break;
    if ((xml_element || c == '<') && c == '<') break;
    if (in_braces && c == '}') break;
    ++e;
  }
  if (run != nullptr) *run = {p, e, line_end};
  return {p, e};
}

std::size_t line_start_of(std::string_view text, std::size_t p, std::size_t floor = 0) {
  while (p > floor && text[p - 1] != '\n') --p;
  return p;
}

std::size_t line_end_of(std::string_view text, std::size_t p,
                        std::size_t ceiling = std::numeric_limits<std::size_t>::max()) {
  const std::size_t nl = text.substr(0, std::min(ceiling, text.size())).find('\n', p);
  return nl == std::string_view::npos ? std::min(ceiling, text.size()) : nl;
}

// How far before the window and after it a line is read: its name, operator and value are on it, and a
// line of megabytes (minified code, one token) must cost the window's size, not the line's, each time a
// window on it is searched. A value that would run past this is not read: its end is unknown.
constexpr std::size_t kLineReach = 4096;
// The longest name read as a credential's name: a longer run of name characters is a token, not a name.
constexpr std::size_t kMaxName = 256;

// True iff the line (from its start to `name_begin`) is a Dockerfile ENV/ARG, an nginx `set`, a .netrc
// line, or the name is a command-line option: the places where whitespace separates a name and its value.
// A name alone at the start of a line (a .netrc "password x" line) separates by whitespace only when its
// value ends the line, so that prose ("Password protection is on") is not read as one.
enum class Spacing { No, Yes, IfValueEndsLine };

// True iff `word` occurs in `s` at the start or after whitespace: .netrc's `login ` but not the prose of
// "ssh/login style password requests".
bool has_word(std::string_view s, std::string_view word) {
  for (std::size_t at = s.find(word); at != std::string_view::npos; at = s.find(word, at + 1)) {
    if (at == 0 || is_space(s[at - 1])) return true;
  }
  return false;
}

Spacing whitespace_separates(std::string_view text, std::size_t line_begin, std::size_t name_begin,
                             bool option) {
  if (option) return Spacing::Yes;
  std::size_t p = line_begin;
  while (p < name_begin && is_space(text[p])) ++p;
  // A .netrc line is short: only the head's end is searched, so that each name of a long line costs
  // the same.
  std::string_view head = text.substr(p, name_begin - p);
  const std::string_view tail = head.substr(head.size() > 256 ? head.size() - 256 : 0);
  if (head == "ENV " || head == "ARG " || head == "set " || has_word(tail, "machine ") ||
      has_word(tail, "login "))
    return Spacing::Yes;
  return head.empty() ? Spacing::IfValueEndsLine : Spacing::No;
}

// Confidence of a value under a name: passwords and strong secret names are medium; a word-like value under
// a secret name that often holds non-secrets (auth, token) is low unless it looks random.
Confidence confidence_of(NameKind kind, std::string_view value) {
  // Letters only ("tally", "Turn") is as often a variable in code as a password; a value that names
  // itself ("store-pass", "git2-token", "p4ssw0rd") is a test or documentation value.
  if (std::all_of(value.begin(), value.end(), [](char c) { return is_lower(c) || is_upper(c); }))
    return Confidence::Low;
  const std::string l = lowered(value);
  for (std::string_view w : {"pass", "pwd", "secret", "token", "p4ss", "passw0rd"}) {
    if (l.find(w) != std::string::npos) return Confidence::Low;
  }
  if (kind == NameKind::Password) return Confidence::Medium;
  const bool has_digit = std::any_of(value.begin(), value.end(), is_digit);
  return shannon_entropy(value) >= 3.0 && has_digit ? Confidence::Medium : Confidence::Low;
}

// The longest value read as a credential: a password or a secret is short, and longer credentials (keys,
// JWTs) have rules of their own. Without this bound, the names of one long run (`password=password=...`)
// would each have the rest of the run checked, n^2 work.
constexpr std::size_t kMaxValue = 1024;

// Values a check drops that are credentials often enough for the scorer to judge them (reported only when
// it is sure): a UUID under a credential name is as often a key or a token as an id; a password of digits
// only ("8152392"), as PINs and default passwords are; a password that reads like an identifier
// ("Oradoc_ec2", "RXBJokw0"), when quoted or in a config line (the scorer weighs where it is). Under a
// password name, letters alone will do ("changeit", "ROOTPASS"): quoted in any case; unquoted only one
// word in one case, since an unquoted camelCase or snake_case word there is a variable (`userPassword`).
bool widenable(std::string_view check, const ValueContext& c, NameKind kind, bool words_follow) {
  if (check == "uuid") return true;
  // A quoted secret that reads as a constant's name with digits (`secret=JBSWY3DPEHPK3PXP`, base32 TOTP
  // seeds are capitals and 2-7), unless it names itself one (`next_token = 'nextToken3'`).
  if (kind == NameKind::Secret && check == "identifier" && c.quoted) {
    const std::string_view v = c.value;
    const std::string l = lowered(v);
    return v.size() >= 8 && v.size() <= 64 && std::all_of(v.begin(), v.end(), is_alnum) &&
           std::any_of(v.begin(), v.end(), is_digit) && l.find("token") == std::string::npos &&
           l.find("key") == std::string::npos && l.find("secret") == std::string::npos;
  }
  // A secret or a token of digits only (`oauth_token_secret = '4081054893'`, numeric app secrets): long
  // enough not to be a count or a port.
  if (kind == NameKind::Secret)
    return check == "number" && c.value.size() >= 8 && c.value.size() <= 64 &&
           std::all_of(c.value.begin(), c.value.end(), is_digit);
  if (check == "number")
    return c.value.size() >= 6 && c.value.size() <= 32 &&
           std::all_of(c.value.begin(), c.value.end(), is_digit);
  if (check == "identifier" || check == "code") {
    const std::string_view v = c.value;
    // One word in one case (`ROOTPASS`, `changeit`); `user_password` is a variable, and a word with more
    // words after it is the start of text (`password_query = SELECT userid ...`).
    const bool one_word =
        (std::none_of(v.begin(), v.end(), is_upper) || std::none_of(v.begin(), v.end(), is_lower)) &&
        std::all_of(v.begin(), v.end(), is_alpha) && !words_follow;
    const bool wordlike = kind == NameKind::Password && (check == "identifier" || one_word);
    return v.size() >= 6 && v.size() <= 64 && (wordlike || std::any_of(v.begin(), v.end(), is_digit)) &&
           std::all_of(v.begin(), v.end(), [](char x) { return is_alnum(x) || x == '_' || x == '-'; });
  }
  return false;
}

// A string of exactly 16, 24 or 32 printable characters, the sizes of AES-128/192/256 keys, with a digit
// and a letter and no space, that is not an identifier (`[]byte("e8b7f!u%E*X-...")`, `SetKey("TEF6-...")`):
// how a cipher's key is written as text.
bool cipher_key_sized(std::string_view v) {
  if (v.size() != 16 && v.size() != 24 && v.size() != 32) return false;
  bool digit = false, letter = false;
  for (char x : v) {
    if (x <= ' ' || x > '~' || x == '"' || x == '\'' || x == '\\') return false;
    digit = digit || is_digit(x);
    letter = letter || is_alpha(x);
  }
  return digit && letter && !looks_like_identifier(v);
}

// A value shaped like a generated key: 16+ characters of base64/hex, with digits, hex or mixed case, not
// an identifier. What a bare "key" name must hold to be a candidate at all.
bool key_shaped(std::string_view v) {
  if (v.size() < 16 || v.size() > 256) return false;
  if (cipher_key_sized(v)) return true;
  bool digit = false, upper = false, lower_case = false, hex = true;
  for (char x : v) {
    if (!(is_alnum(x) || x == '+' || x == '/' || x == '=' || x == '_' || x == '-')) return false;
    digit = digit || is_digit(x);
    upper = upper || is_upper(x);
    lower_case = lower_case || is_lower(x);
    hex = hex && is_hex_digit(x);
  }
  return digit && (hex || (upper && lower_case)) && !looks_like_identifier(v);
}

// How a name was read: a credential name, or a name that only says "key" (`key`, `consumerKey`,
// `service_key`): as often a dictionary's key, so only a key-shaped value under it is a candidate.
enum class NameStrength { Credential, KeyOnly };

void check_value(std::string_view text, std::size_t name_begin, std::size_t name_end, std::size_t vb,
                 std::size_t ve, bool quoted, NameKind kind, std::vector<Assignment>& out,
                 bool widened_context = false, NameStrength strength = NameStrength::Credential) {
  if (vb >= ve || ve - vb > kMaxValue) return;
  ValueContext c{text.substr(vb, ve - vb), quoted, text.substr(name_begin, name_end - name_begin),
                 quoted && vb > 0 ? text[vb - 1] : '\0'};
  const char* rejected = rejecting_check(c);
  std::string_view by = rejected == nullptr ? std::string_view() : std::string_view(rejected);
  std::size_t after = ve + (quoted ? 1 : 0);
  while (after < text.size() && is_space(text[after])) ++after;
  const bool words_follow = after < text.size() && is_alnum(text[after]);
  if (!by.empty() && !widenable(by, c, kind, words_follow)) return;
  if (strength == NameStrength::KeyOnly) {
    if (by == "identifier") return;  // `key: "firstName1"`
    if (by.empty() && !key_shaped(c.value)) return;
    // Under a name that only says "key", a short number is an id (an apt key's `key => '46925553'`); a
    // generated numeric key has 16 digits or more.
    if (by == "number" && c.value.size() < 16) return;
    if (by.empty()) by = "key-name";
  }
  out.push_back({name_begin, name_end, vb, ve, kind, confidence_of(kind, c.value), quoted,
                 widened_context || !by.empty(), by});
}

// Command lines: `mysql -psecret`, `curl -u user:pass`, `--user user:pass`, `--proxy-user user:pass`.
void find_command_line(std::string_view text, std::size_t line_begin, std::size_t line_end,
                       std::vector<Assignment>& out) {
  const std::string_view line = text.substr(line_begin, line_end - line_begin);
  // Commands are written in lower case: most lines are dismissed without copying them.
  if (line.find("mysql") == std::string_view::npos && line.find("curl") == std::string_view::npos &&
      line.find("--user") == std::string_view::npos && line.find("--proxy-user") == std::string_view::npos) {
    return;
  }
  const std::string l = lowered(line);
  auto add_user_pass = [&](std::size_t at) {  // at: start of "user:pass" in line
    bool quoted = false;
    const auto [vb, ve] = read_value(text, line_begin + at, line_end, false, false, &quoted);
    const std::string_view v = text.substr(vb, ve - vb);
    const std::size_t colon = v.find(':');
    if (colon == std::string_view::npos || colon == 0) return;
    check_value(text, line_begin + at, vb + colon, vb + colon + 1, ve, true, NameKind::Password, out);
  };
  if (l.find("curl") != std::string::npos || l.find("--user") != std::string::npos ||
      l.find("--proxy-user") != std::string::npos) {
    for (std::string_view opt :
         {" -u ", " --user ", " --user=", " --proxy-user ", " --proxy-user=", " -U "}) {
      for (std::size_t at = l.find(opt); at != std::string::npos; at = l.find(opt, at + 1))
        add_user_pass(at + opt.size());
    }
  }
  if (l.find("mysql") != std::string::npos) {
    for (std::size_t at = l.find(" -p"); at != std::string::npos; at = l.find(" -p", at + 1)) {
      const std::size_t vb = line_begin + at + 3;
      if (vb >= line_end || is_space(text[vb]) || text[vb] == '\'' || text[vb] == '"' || text[vb] == '$')
        continue;
      bool quoted = false;
      const auto [b, e] = read_value(text, vb, line_end, false, false, &quoted);
      check_value(text, line_begin + at + 1, line_begin + at + 3, b, e, true, NameKind::Password, out);
    }
  }
}

// True iff the name whose first character is text[name_begin] is itself the value of a `name` or `key`
// field (`- name: DB_PASSWORD`, `{"key": "api_token", ...}`): Kubernetes env lists, Postman and
// Insomnia collections, CloudFormation parameters; the credential is then the pair's `value` field.
bool names_a_pair(std::string_view text, std::size_t line_begin, std::size_t name_begin) {
  std::size_t p = name_begin;
  if (p > line_begin && (text[p - 1] == '"' || text[p - 1] == '\'')) --p;
  while (p > line_begin && is_space(text[p - 1])) --p;
  // `:` only: `name="csrf_token" value="..."` is an HTML form field, a page's state, not a credential.
  if (p == line_begin || text[p - 1] != ':') return false;
  --p;
  while (p > line_begin && is_space(text[p - 1])) --p;
  if (p > line_begin && (text[p - 1] == '"' || text[p - 1] == '\'')) --p;
  std::size_t w = p;
  while (w > line_begin && is_alpha(text[w - 1])) --w;
  if (w > line_begin && is_name_char(text[w - 1])) return false;  // `username:`, `the_key:`
  const std::string field = lowered(text.substr(w, p - w));
  return field == "name" || field == "key";
}

// How far after a pair's name its `value` field is looked for on the same line.
constexpr std::size_t kPairReach = 256;

// Where the value of a pair's `value` field starts (just after its operator): later on the name's line
// (`"key": "password", "value": "..."`) or first on the next line (`- name: DB_PASSWORD` then
// `  value: ...`); npos when there is none (`valueFrom:` is a reference, not a value). Sets *value_line_end
// to the end of the line the value is on. Reads kPairReach bytes of the line and at most the next line.
std::size_t pair_value_at(std::string_view text, std::size_t name_end, std::size_t line_end,
                          std::size_t ceiling, std::size_t* value_line_end) {
  auto is_value_field = [&text](std::size_t p, std::size_t le) {
    return p + 5 <= le && lower(text[p]) == 'v' && text.substr(p + 1, 4) == "alue";
  };
  auto after_operator = [&text](std::size_t p, std::size_t le) {  // p: the `value` field's first letter
    std::size_t q = p + 5;
    if (q < le && (text[q] == '"' || text[q] == '\'')) ++q;
    while (q < le && is_space(text[q])) ++q;
    return q < le && (text[q] == ':' || text[q] == '=') ? q + 1 : std::string_view::npos;
  };
  // The pair's fields sit side by side: looking further would make a minified line of pairs quadratic.
  const std::size_t search_end = std::min(line_end, name_end + kPairReach);
  for (std::size_t p = name_end; p + 5 <= search_end; ++p) {
    if (!is_value_field(p, line_end) || is_name_char(text[p - 1])) continue;
    const std::size_t v = after_operator(p, line_end);
    if (v != std::string_view::npos) {
      *value_line_end = line_end;
      return v;
    }
  }
  if (line_end >= std::min(ceiling, text.size())) return std::string_view::npos;
  const std::size_t next_end = line_end_of(text, line_end + 1, ceiling);
  std::size_t p = line_end + 1;
  while (p < next_end && is_space(text[p])) ++p;
  if (p < next_end && (text[p] == '"' || text[p] == '\'')) ++p;
  if (!is_value_field(p, next_end)) return std::string_view::npos;
  *value_line_end = next_end;
  return after_operator(p, next_end);
}

}  // namespace

void find_assignments(std::string_view text, std::size_t begin, std::size_t end, std::string_view detector,
                      std::vector<Assignment>& out) {
  const NameKind wanted = detector == "password" ? NameKind::Password : NameKind::Secret;
  end = std::min(end, text.size());
  // The lines read: at most kLineReach before `begin` and after `end` (see kLineReach).
  const std::size_t floor = begin > kLineReach ? begin - kLineReach : 0;
  const std::size_t ceiling = std::min(text.size(), end + kLineReach);
  std::size_t line_begin = std::string_view::npos, line_end = 0;
  ValueRuns runs;
  for (std::size_t p = begin; p < end;) {
    if (!is_name_char(text[p])) {
      ++p;
      continue;
    }
    std::size_t name_begin = p;
    while (p < ceiling && p - name_begin <= kMaxName && is_name_char(text[p])) ++p;
    if (p - name_begin > kMaxName) {  // a token: skip it (within the window only)
      while (p < end && is_name_char(text[p])) ++p;
      continue;
    }
    std::size_t name_end = p;
    // Line bounds once per line: a long line (minified code) must not be walked once per token.
    if (name_begin >= line_end || line_begin == std::string_view::npos) {
      line_begin = line_start_of(text, name_begin, floor);
      line_end = line_end_of(text, name_begin, ceiling);
      if (wanted == NameKind::Password) find_command_line(text, line_begin, line_end, out);
    }
    if (!may_name_credential(text.substr(name_begin, name_end - name_begin))) continue;
    // A command-line option: --password, -password; a dotted name may end with '.' (a sentence).
    bool option = false;
    const std::size_t dashes_begin = name_begin;
    while (name_begin < name_end && text[name_begin] == '-') {
      ++name_begin;
      option = true;
    }
    while (name_end > name_begin && (text[name_end - 1] == '.' || text[name_end - 1] == '-')) --name_end;
    if (name_end - name_begin < 2) continue;
    NameKind kind = NameKind::Secret;
    NameStrength strength = NameStrength::Credential;
    if (!credential_name(text.substr(name_begin, name_end - name_begin), &kind)) {
      if (wanted != NameKind::Secret || !key_name(text.substr(name_begin, name_end - name_begin))) continue;
      strength = NameStrength::KeyOnly;
    }
    if (kind != wanted) continue;

    // An argument list: `["--keystore-password", "..."]` (Dockerfile CMD, Kubernetes args, code).
    if (option && dashes_begin > line_begin &&
        (text[dashes_begin - 1] == '"' || text[dashes_begin - 1] == '\'') && name_end < line_end &&
        text[name_end] == text[dashes_begin - 1]) {
      std::size_t q = name_end + 1;
      while (q < line_end && is_space(text[q])) ++q;
      if (q < line_end && text[q] == ',') {
        const std::size_t at = quoted_literal_at(text, q + 1, line_end);
        if (at != std::string_view::npos) {
          bool quoted = false;
          const auto [vb, ve] = read_value(text, at, line_end, false, false, &quoted);
          // `"--secret", "id=npmrc,src=..."` (docker build) names where a secret is, it is not one.
          std::size_t w = vb;
          while (w < ve && (is_alnum(text[w]) || text[w] == '_')) ++w;
          if (w == vb || w == ve || text[w] != '=')
            check_value(text, name_begin, name_end, vb, ve, quoted, kind, out, false, strength);
        }
      }
      continue;
    }
    // `- name: DB_PASSWORD` / `  value: ...`, `{"key": "token", "value": "..."}`.
    if (names_a_pair(text, line_begin, name_begin)) {
      std::size_t value_line_end = line_end;
      const std::size_t at = pair_value_at(text, name_end, line_end, ceiling, &value_line_end);
      if (at == std::string_view::npos) continue;
      bool quoted = false;
      const auto [vb, ve] = read_value(text, at, value_line_end, false, false, &quoted);
      const bool cut = !quoted && ve == value_line_end && value_line_end == ceiling && ceiling < text.size();
      if (!cut) check_value(text, name_begin, name_end, vb, ve, quoted, kind, out, false, strength);
      continue;
    }

    const char before = name_begin > 0 ? text[name_begin - 1] : '\n';
    const bool in_braces = name_begin >= 2 && before == '{' && text[name_begin - 2] == '$';
    const bool xml_element = before == '<';
    const bool quoted_name = before == '"' || before == '\'';
    // A ternary's branch is a value, not a key: `result ? "pass" : "fail"`.
    if (quoted_name) {
      std::size_t q = name_begin - 1;
      while (q > line_begin && is_space(text[q - 1])) --q;
      if (q > line_begin && text[q - 1] == '?') continue;
    }
    const NameInCall call = quoted_name ? name_in_call(text, line_begin, name_begin - 1) : NameInCall::No;
    // Terraform: variable "db_password" { ... default = "..." ... }
    if (quoted_name && name_end < line_end && (text[name_end] == '"')) {
      std::size_t q = name_end + 1;
      while (q < line_end && is_space(text[q])) ++q;
      if (q < line_end && text[q] == '{') {
        const std::size_t limit = std::min(text.size(), q + 400);
        const std::size_t close = text.substr(0, limit).find('}', q);
        const std::size_t d =
            text.substr(0, close == std::string_view::npos ? limit : close).find("default", q);
        if (d != std::string_view::npos) {
          const std::size_t dl_end = line_end_of(text, d, ceiling);
          const Operator op = read_operator(text, d + 7, dl_end, false, false, NameInCall::No);
          if (op.value_at != std::string_view::npos) {
            bool quoted = false;
            const auto [vb, ve] = read_value(text, op.value_at, dl_end, false, false, &quoted);
            check_value(text, name_begin, name_end, vb, ve, quoted, kind, out);
          }
        }
        continue;
      }
    }
    const Spacing spacing =
        quoted_name ? Spacing::No
                    : whitespace_separates(text, line_begin, name_begin - (before == '$' ? 1 : 0), option);
    const bool space_allowed = spacing != Spacing::No;
    const std::string_view name = text.substr(name_begin, name_end - name_begin);
    const std::string_view member =
        name.substr(name.rfind('.') == std::string_view::npos ? 0 : name.rfind('.') + 1);
    const bool setter = (member.size() > 3 && (member.starts_with("set") || member.starts_with("Set")) &&
                         (is_upper(member[3]) || member[3] == '_')) ||
                        (member.size() < name.size() && builder_member(member));
    const Operator op = read_operator(text, name_end, line_end, space_allowed, in_braces, call, setter);
    if (op.value_at == std::string_view::npos) continue;
    // `name:value` with no space and no quotes is not YAML; it is a fingerprint, a URL part, a C label.
    // (`password:@"..."` is an Objective-C message's argument.)
    const bool objc_string =
        op.value_at + 1 < line_end && text[op.value_at] == '@' && text[op.value_at + 1] == '"';
    // (An SDP attribute line `a=ice-pwd:...` is WebRTC's ICE password.)
    const bool sdp_attribute = name_begin >= 2 && text.substr(name_begin - 2, 2) == "a=";
    if (!in_braces && !quoted_name && op.value_at > 0 && text[op.value_at - 1] == ':' &&
        op.value_at < line_end && !is_space(text[op.value_at]) && text[op.value_at] != '"' &&
        text[op.value_at] != '\'' && !option && !objc_string && !sdp_attribute) {
      continue;
    }
    // `cond ? password : other` is a conditional expression.
    std::size_t prev = name_begin;
    while (prev > line_begin && is_space(text[prev - 1])) --prev;
    if (prev > line_begin && text[prev - 1] == '?' && before != '?') continue;  // (`?token=` is a query)
    bool quoted = false;
    // Rust's `password: Some("…")`, C#'s `new Guid("…")`, Go's `[]byte("…")` and `[]string{"…"}`: the
    // literal inside the call or the composite literal is the value.
    std::size_t value_at = op.value_at;
    while (value_at < line_end && is_space(text[value_at])) ++value_at;
    for (std::string_view wrap :
         {std::string_view("Some("), std::string_view("new Guid("), std::string_view("[]byte("),
          std::string_view("[]string{"), std::string_view("password("), std::string_view("PASSWORD(")}) {
      if (text.substr(value_at, wrap.size()) == wrap) value_at += wrap.size();
    }
    value_at = credential_constructor_at(text, value_at, line_end);
    value_at = decoded_literal_at(text, value_at, line_end);
    auto [vb, ve] = read_value(text, value_at, line_end, xml_element, in_braces, &quoted, &runs);
    // A URL's query parameter (`?token=...&next=...`) or a form-encoded field (`user[password]=...&`,
    // decoded from `user%5Bpassword%5D=`): the value ends at the next parameter or fragment.
    const bool bracketed =
        before == '[' && name_end + 1 < line_end && text[name_end] == ']' && text[name_end + 1] == '=';
    const bool query = (before == '?' || before == '&' || bracketed) && !quoted;
    if (query) {
      const std::size_t amp = text.substr(0, ve).find_first_of("&#", vb);
      if (amp != std::string_view::npos) ve = amp;
    }
    // A value cut by kLineReach, not by its delimiter: its end is unknown.
    if (!quoted && ve == line_end && line_end == ceiling && ceiling < text.size() && text[ceiling] != '\n')
      continue;
    // An XML element's value must be closed by its end tag on the line.
    if (xml_element && (ve >= line_end || text[ve] != '<')) continue;
    if (op.spaced && quoted == false && vb < ve && (text[vb] == '=' || text[vb] == ':')) continue;
    if (op.spaced && spacing == Spacing::IfValueEndsLine) {
      std::size_t rest = ve + (quoted ? 1 : 0);
      while (rest < line_end && (is_space(text[rest]) || text[rest] == '\r')) ++rest;
      if (rest != line_end) continue;
    }
    // A query parameter's value is data, not code: read it as a literal (`?secret=JBSWY3DPEHPK3PXP`).
    check_value(text, name_begin, name_end, vb, ve, quoted || query, kind, out, op.comparison, strength);
  }
}

}  // namespace keygate
