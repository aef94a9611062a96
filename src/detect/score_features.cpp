// This file implements the generic detector's scorer (see score_features.hpp): the features of a
// candidate and the training dump. The model over them is score_model.cpp.
#include "detect/score_features.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <vector>

#include "core/finding.hpp"
#include "util/ascii.hpp"

namespace keygate {
namespace {

constexpr std::array<const char*, kScoreFeatures> kNames = {
    // The name the value is assigned to, by its lower-cased words.
    "name:kind-password", "name:password", "name:pass-short", "name:passphrase", "name:secret", "name:token",
    "name:key", "name:api", "name:auth", "name:credential", "name:salt", "name:private", "name:access",
    "name:client", "name:session", "name:app", "name:db", "name:admin-root", "name:user", "name:mail",
    "name:oauth-jwt", "name:csrf-nonce", "name:crypto", "name:cloud", "name:webhook", "name:test-word",
    "name:form-word", "name:one-word", "name:many-words", "name:screaming", "name:camel", "name:quoted",
    "name:option", "name:dollar", "name:dotted", "name:subscript",
    // What stands between the name and the value.
    "op:equals", "op:colon", "op:arrow", "op:walrus", "op:spaced", "op:xml", "op:other",
    // The value's shape.
    "value:quoted", "value:len<6", "value:len6-7", "value:len8-11", "value:len12-19", "value:len20-31",
    "value:len32-63", "value:len64+", "value:all-lower", "value:all-upper", "value:all-letters",
    "value:has-digit", "value:has-upper", "value:has-lower", "value:has-symbol", "value:has-space",
    "value:non-ascii", "value:mixed-case-digits", "value:entropy#", "value:entropy<2.5", "value:entropy2.5-3",
    "value:entropy3-3.5", "value:entropy3.5-4", "value:entropy4-4.5", "value:entropy4.5+", "value:hex",
    "value:uuid", "value:base64ish", "value:identifier", "value:word-digits", "value:capitalized-word",
    "value:separators", "value:weak-word", "value:digit-heavy", "value:ends-equals", "value:has-slash",
    "value:has-at", "value:dots", "value:prefix-like",
    // The rest of the line.
    "line:comment", "line:call-before", "line:comparison", "line:value-call", "line:value-guid",
    "line:after-value", "line:concat", "line:url", "line:long", "line:export-set", "line:label-hint",
    "line:assert-test", "line:indented", "line:header", "line:cli",
    // The file's path.
    "path:test-dir", "path:fixture-mock", "path:example-dir", "path:docs-dir", "path:locale", "path:ext-doc",
    "path:ext-config", "path:ext-env", "path:ext-code", "path:ext-stub", "path:ext-none", "path:ext-php",
    "path:ext-markup", "path:test-file", "path:example-file",
    // Pairs a linear model cannot see from their parts.
    "x:uuid*secret-name", "x:letters*password", "x:short*password", "x:config*password", "x:unquoted*code",
    "x:comment*code", "value:backslash", "name:inside-string", "value:file-ext", "value:has-colon",
    "value:percent-escape", "prior:low", "x:prior-low*code", "x:option*comment", "x:letters*password*code",
    "x:letters*password*unquoted",
    // A URL's user:password (the url-credentials rule): the host says whether it is a live service.
    "rule:url-userinfo", "url:host-local", "url:host-example",
    // A value a check would have dropped, kept for the scorer (generic.cpp's widenable).
    "widened:number", "widened:identifier", "widened:key-name"};

enum : std::size_t {
  kNameKindPassword = 0,
  kOpEquals = 36,
  kValueQuoted = 43,
  kLineComment = 82,
  kPathTestDir = 97,
  kCross = 112,
  kUrl = 128,
  kWidened = 131,
};

bool is_hex(char c) { return is_hex_digit(c); }
char to_lower(char c) { return lower(c); }

bool contains(std::string_view s, std::string_view w) { return s.find(w) != std::string_view::npos; }

bool any_of_words(const std::vector<std::string>& words, std::initializer_list<std::string_view> list,
                  bool substring = false) {
  for (const std::string& w : words) {
    for (std::string_view x : list) {
      if (substring ? contains(w, x) : w == x) return true;
    }
  }
  return false;
}

// The lower-cased words of an identifier, split on non-alphanumerics and at lower-to-upper changes.
std::vector<std::string> name_words(std::string_view name) {
  std::vector<std::string> words;
  std::string cur;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (!is_alnum(c)) {
      if (!cur.empty()) words.push_back(std::move(cur));
      cur.clear();
      continue;
    }
    if (!cur.empty() && is_upper(c) && (is_lower(name[i - 1]) || is_digit(name[i - 1]))) {
      words.push_back(std::move(cur));
      cur.clear();
    }
    cur.push_back(to_lower(c));
  }
  if (!cur.empty()) words.push_back(std::move(cur));
  return words;
}

bool is_uuid(std::string_view v) {
  if (v.size() != 36) return false;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? v[i] != '-' : !is_hex(v[i])) return false;
  }
  return true;
}

// The directory components of `path` (not its file name), lower-cased, and the file name.
void split_path(std::string_view path, std::vector<std::string>& dirs, std::string& base) {
  std::size_t start = 0;
  while (true) {
    const std::size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) break;
    if (slash > start) dirs.push_back(lowered(path.substr(start, slash - start)));
    start = slash + 1;
  }
  base = lowered(path.substr(start));
}

bool ends_with(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

void name_features(const ScoreInput& in, Features& f) {
  const std::vector<std::string> w = name_words(in.name);
  f[0] = in.kind == NameKind::Password;
  f[1] = any_of_words(w, {"password"}, true);
  f[2] = any_of_words(w, {"pass", "pwd", "pw", "passwd", "passw"}) ||
         std::any_of(w.begin(), w.end(), [](const std::string& x) {
           return (ends_with(x, "pass") || ends_with(x, "pwd") || ends_with(x, "passwd")) && x.size() > 4;
         });
  f[3] = any_of_words(w, {"passphrase"}, true);
  f[4] = any_of_words(w, {"secret"}, true);
  f[5] = any_of_words(w, {"token"}, true);
  f[6] = any_of_words(w, {"key"}, true);
  f[7] = any_of_words(w, {"api"}, true);
  f[8] = any_of_words(w, {"auth"}, true);
  f[9] = any_of_words(w, {"credential", "cred", "creds"}, true);
  f[10] = any_of_words(w, {"salt"}, true);
  f[11] = any_of_words(w, {"private", "priv"});
  f[12] = any_of_words(w, {"access"}, true);
  f[13] = any_of_words(w, {"client", "consumer"});
  f[14] = any_of_words(w, {"session", "cookie"});
  f[15] = any_of_words(w, {"app", "application"});
  f[16] = any_of_words(w, {"db", "database", "mysql", "postgres", "postgresql", "pg", "sql", "redis", "mongo",
                           "mongodb", "ldap", "rabbitmq", "amqp"});
  f[17] = any_of_words(w, {"admin", "root", "master", "super", "superuser"});
  f[18] = any_of_words(w, {"user", "login", "account", "usr"});
  f[19] = any_of_words(w, {"smtp", "mail", "email", "imap", "ftp", "sftp"});
  f[20] = any_of_words(w, {"oauth", "oauth2", "jwt", "bearer", "refresh", "id"});
  f[21] = any_of_words(w, {"csrf", "xsrf", "nonce", "captcha", "state"});
  f[22] = any_of_words(w, {"encryption", "encrypt", "signing", "hmac", "cipher", "aes", "crypt", "sign"});
  f[23] = any_of_words(w, {"aws", "azure", "gcp", "google", "github", "gitlab", "slack", "stripe", "twilio",
                           "sendgrid", "firebase", "facebook", "twitter", "heroku", "docker", "npm"});
  f[24] = any_of_words(w, {"webhook", "hook"});
  f[25] = any_of_words(w, {"test", "example", "dummy", "fake", "mock", "sample", "demo", "default", "invalid",
                           "wrong", "bad"});
  f[26] = any_of_words(w, {"old", "new", "current", "confirm", "repeat", "retype", "verify", "reset"});
  f[27] = w.size() == 1;
  f[28] = w.size() >= 4;
  const bool has_lower = std::any_of(in.name.begin(), in.name.end(), is_lower);
  const bool has_upper = std::any_of(in.name.begin(), in.name.end(), is_upper);
  const bool separated = std::any_of(in.name.begin(), in.name.end(), [](char c) { return !is_alnum(c); });
  f[29] = !has_lower && has_upper;
  f[30] = has_lower && has_upper && !separated;
  if (in.name_col != std::string_view::npos && in.name_col <= in.line.size()) {
    const char before = in.name_col > 0 ? in.line[in.name_col - 1] : '\n';
    f[31] = before == '"' || before == '\'';
    f[32] = before == '-';
    f[33] = before == '$' || before == '{';
    const std::size_t b2 = in.name_col >= 2 ? in.name_col - 2 : 0;
    f[35] = before == '[' || (f[31] != 0 && in.name_col >= 2 && in.line[b2] == '[');
  }
  f[34] = contains(in.name, ".");
}

void operator_features(const ScoreInput& in, Features& f) {
  if (in.name_col == std::string_view::npos || in.name_col + in.name.size() > in.value_col ||
      in.value_col > in.line.size()) {
    f[kOpEquals + 6] = 1;
    return;
  }
  std::string op;
  for (std::size_t i = in.name_col + in.name.size(); i < in.value_col; ++i) {
    const char c = in.line[i];
    if (c == ' ' || c == '\t' || c == '"' || c == '\'' || c == '`' || c == ']' || c == '\\') continue;
    if (op.size() < 8) op.push_back(c);
  }
  std::size_t k = 6;
  if (op == "=")
    k = 0;
  else if (op == ":")
    k = 1;
  else if (op == "=>")
    k = 2;
  else if (op == ":=")
    k = 3;
  else if (op.empty())
    k = 4;
  else if (op == ">")
    k = 5;
  f[kOpEquals + k] = 1;
}

double entropy_of(std::string_view v) { return shannon_entropy(v); }

void value_features(const ScoreInput& in, Features& f) {
  const std::string_view v = in.value;
  const std::size_t n = v.size();
  std::size_t lower = 0, upper = 0, digit = 0, symbol = 0, space = 0, high = 0, hex = 0, slash = 0, dots = 0;
  bool b64 = true;
  for (char c : v) {
    const auto u = static_cast<unsigned char>(c);
    if (is_lower(c))
      ++lower;
    else if (is_upper(c))
      ++upper;
    else if (is_digit(c))
      ++digit;
    else if (c == ' ')
      ++space;
    else if (u >= 0x80)
      ++high;
    else
      ++symbol;
    if (is_hex(c)) ++hex;
    if (c == '/') ++slash;
    if (c == '.') ++dots;
    if (!(is_alnum(c) || c == '+' || c == '/' || c == '=' || c == '_' || c == '-')) b64 = false;
  }
  const std::size_t letters = lower + upper;
  f[kValueQuoted] = in.quoted;
  const std::size_t len_bin = n < 6 ? 0 : n < 8 ? 1 : n < 12 ? 2 : n < 20 ? 3 : n < 32 ? 4 : n < 64 ? 5 : 6;
  f[44 + len_bin] = 1;
  f[51] = letters == n && upper == 0;
  f[52] = letters == n && lower == 0;
  f[53] = letters == n;
  f[54] = digit > 0;
  f[55] = upper > 0;
  f[56] = lower > 0;
  f[57] = symbol > 0;
  f[58] = space > 0;
  f[59] = high > 0;
  f[60] = upper > 0 && lower > 0 && digit > 0;
  const double e = entropy_of(v);
  f[61] = static_cast<float>(std::min(e / 6.0, 1.0));
  const std::size_t e_bin = e < 2.5 ? 0 : e < 3 ? 1 : e < 3.5 ? 2 : e < 4 ? 3 : e < 4.5 ? 4 : 5;
  f[62 + e_bin] = 1;
  f[68] = n >= 16 && hex == n && digit > 0;
  const bool uuid = is_uuid(v);
  f[69] = uuid;
  f[70] = n >= 20 && b64 && upper > 0 && lower > 0 && digit > 0;
  f[71] = looks_like_identifier(v);
  std::size_t i = 0;
  while (i < n && is_alpha(v[i])) ++i;
  f[72] = i > 0 && i < n && std::all_of(v.begin() + static_cast<std::ptrdiff_t>(i), v.end(), is_digit);
  f[73] = n >= 2 && is_upper(v[0]) && lower == n - 1;
  f[74] = contains(v, "-") || contains(v, "_") || contains(v, ".");
  const std::string l = lowered(v);
  static constexpr std::string_view weak[] = {"test",  "demo",    "admin",  "root", "user",    "default",
                                              "guest", "qwer",    "abc",    "123",  "foo",     "bar",
                                              "hello", "welcome", "secret", "pass", "letmein", "asdf"};
  // A weak word is what a short value or a phrase is made of ("admin123", "yeah_we_have_this_too"); in a
  // long random token ("...Abc...", "...f123...") it is chance: a 64-character token holds one about one
  // time in three.
  const bool random_token = n >= 24 && b64 && digit > 0 && ((upper > 0 && lower > 0) || hex == n);
  f[75] = !random_token &&
          std::any_of(std::begin(weak), std::end(weak), [&](std::string_view w) { return contains(l, w); });
  f[76] = digit * 2 > n;
  f[77] = n > 0 && v.back() == '=';
  f[78] = slash > 0;
  f[79] = contains(v, "@");
  f[80] = dots >= 2;
  std::size_t p = 0;
  while (p < n && p < 6 && is_alpha(v[p])) ++p;
  f[81] = p >= 2 && p <= 5 && p < n && (v[p] == '_' || v[p] == '-') && n >= 16;
}

void line_features(const ScoreInput& in, Features& f) {
  const std::string_view line = in.line;
  const std::size_t name_at = in.name_col == std::string_view::npos ? 0 : std::min(in.name_col, line.size());
  std::size_t s = 0;
  while (s < line.size() && (line[s] == ' ' || line[s] == '\t')) ++s;
  const std::string_view head = line.substr(s, name_at > s ? name_at - s : 0);
  const std::string_view start = line.substr(s);
  f[kLineComment] = start.substr(0, 1) == "#" || start.substr(0, 2) == "//" || start.substr(0, 2) == "--" ||
                    start.substr(0, 1) == "*" || start.substr(0, 2) == "/*" || start.substr(0, 1) == ";" ||
                    start.substr(0, 4) == "<!--" || start.substr(0, 4) == "rem " ||
                    start.substr(0, 4) == "REM ";
  f[83] = contains(head, "(");
  f[84] = contains(line, "==") || contains(line, "!=");
  const std::size_t op_end = std::min(in.value_col, line.size());
  const std::size_t op_begin = std::min(name_at + in.name.size(), op_end);
  const std::string between = lowered(line.substr(op_begin, op_end - op_begin));
  f[85] = contains(between, "(");
  f[86] = contains(between, "guid") || contains(between, "uuid");
  std::size_t after = std::min(in.value_col + in.value.size() + (in.quoted ? 1 : 0), line.size());
  if (in.source == ScoredSource::UrlUserinfo) {  // what follows the URL, not its password
    after = std::min(in.value_col + in.value.size(), line.size());
    while (after < line.size() && line[after] != ' ' && line[after] != '\t' && line[after] != '"' &&
           line[after] != '\'' && line[after] != '`')
      ++after;
    if (after < line.size() && in.quoted) ++after;
  }
  std::string_view rest = line.substr(after);
  while (!rest.empty() &&
         (rest.front() == ' ' || rest.front() == '\t' || rest.front() == '\r' || rest.front() == ',' ||
          rest.front() == ';' || rest.front() == ')' || rest.front() == ']' || rest.front() == '}' ||
          rest.front() == '"' || rest.front() == '\'')) {
    rest.remove_prefix(1);
  }
  f[87] = !rest.empty();
  f[88] = !rest.empty() && (rest.front() == '+' || rest.front() == '.' || rest.front() == '|');
  f[89] = contains(line, "://");
  f[90] = line.size() > 200;
  f[91] = start.substr(0, 7) == "export " || start.substr(0, 4) == "set " || start.substr(0, 4) == "ENV " ||
          start.substr(0, 4) == "ARG ";
  const std::string ll = line.size() <= 400 ? lowered(line) : lowered(line.substr(0, 400));
  f[92] = contains(ll, "label") || contains(ll, "placeholder") || contains(ll, "hint") ||
          contains(ll, "title") || contains(ll, "message") || contains(ll, "translat") ||
          contains(ll, "lang") || contains(ll, "i18n") || contains(ll, "msg");
  f[93] = contains(ll, "assert") || contains(ll, "expect") || contains(ll, "should") ||
          contains(ll, "mock") || contains(ll, "test");
  f[94] = s > 0;
  f[95] = contains(ll, "header") || contains(ll, "authorization");
  f[96] = contains(ll, "curl ") || contains(ll, "mysql") || contains(ll, " --");
}

// The host after a URL's userinfo: on this machine (localhost, 127.x, a one-word service name of a compose
// file counts as neither) or a documentation host (example.com, *.test, *.invalid, *.local).
void url_features(const ScoreInput& in, Features& f) {
  f[kUrl] = 1;
  const std::size_t at = std::min(in.value_col + in.value.size(), in.line.size());
  std::size_t e = at + 1;
  while (e < in.line.size() && (is_alnum(in.line[e]) || in.line[e] == '.' || in.line[e] == '-')) ++e;
  const std::string host = at < in.line.size() ? lowered(in.line.substr(at + 1, e - at - 1)) : std::string();
  f[kUrl + 1] = host == "localhost" || host.rfind("127.", 0) == 0 || host == "0.0.0.0";
  f[kUrl + 2] = contains(host, "example") || ends_with(host, ".test") || ends_with(host, ".invalid") ||
                ends_with(host, ".local") || contains(host, "domain") || host == "host";
}

void path_features(const ScoreInput& in, Features& f) {
  std::vector<std::string> dirs;
  std::string base;
  split_path(in.path, dirs, base);
  f[kPathTestDir] = any_of_words(dirs, {"test", "tests", "__tests__", "t", "spec", "specs", "testdata",
                                        "test_data", "testing", "unittest", "e2e", "integration"});
  f[98] = any_of_words(dirs, {"fixture", "fixtures", "mock", "mocks", "stub", "stubs"});
  f[99] = any_of_words(dirs, {"example", "examples", "sample", "samples", "demo", "demos", "template",
                              "templates", "tutorial"});
  f[100] = any_of_words(dirs, {"doc", "docs", "documentation", "wiki", "man"});
  f[101] = any_of_words(
      dirs, {"locale", "locales", "i18n", "lang", "langs", "translations", "l10n", "po", "languages"});
  const std::size_t dot = base.rfind('.');
  const std::string ext = dot == std::string::npos ? std::string() : base.substr(dot + 1);
  auto ext_in = [&](std::initializer_list<std::string_view> list) {
    return std::find(list.begin(), list.end(), ext) != list.end();
  };
  f[102] = ext_in({"md", "rst", "txt", "adoc", "markdown", "rdoc", "textile", "org"});
  f[103] = ext_in({"json", "yml", "yaml", "ini", "conf", "cfg", "properties", "toml", "xml", "env", "plist",
                   "config", "cnf", "tfvars", "tf"});
  f[104] = ext == "env" || base == ".env" || base.rfind(".env", 0) == 0;
  f[105] = ext_in({"py",  "js",     "ts",  "java",  "go",    "rb", "php", "cs",   "c",
                   "cpp", "h",      "kt",  "scala", "swift", "rs", "sh",  "jsx",  "tsx",
                   "m",   "groovy", "vue", "ex",    "exs",   "pl", "lua", "dart", "r"});
  f[106] = ext == "pyi" || ends_with(base, ".d.ts");
  f[107] = ext.empty();
  f[108] = ext == "php";
  f[109] = ext_in({"xml", "html", "htm", "xaml", "storyboard", "xib", "jsp", "erb", "cshtml"});
  f[110] = base.rfind("test_", 0) == 0 || contains(base, "_test.") || contains(base, ".test.") ||
           contains(base, "_spec.") || contains(base, ".spec.") || contains(base, "tests.") ||
           contains(base, "test.");
  f[111] = ext_in({"example", "sample", "dist", "template", "tmpl", "tpl", "j2"});
}

}  // namespace

const std::array<const char*, kScoreFeatures>& feature_names() { return kNames; }

void extract_features(const ScoreInput& in, Features& f) {
  f.fill(0);
  name_features(in, f);
  operator_features(in, f);
  value_features(in, f);
  line_features(in, f);
  if (in.source == ScoredSource::UrlUserinfo) url_features(in, f);
  f[kWidened] = in.widened_by == "number";
  f[kWidened + 1] = in.widened_by == "identifier" || in.widened_by == "code";
  f[kWidened + 2] = in.widened_by == "key-name";
  // A file's candidates share its path: its features are computed once per file and thread.
  thread_local std::string last_path;
  thread_local Features path_cache{};
  if (last_path.empty() || in.path != last_path) {
    Features p{};
    path_features(in, p);
    std::copy(p.begin() + kPathTestDir, p.begin() + kCross, path_cache.begin() + kPathTestDir);
    last_path.assign(in.path);
  }
  std::copy(path_cache.begin() + kPathTestDir, path_cache.begin() + kCross, f.begin() + kPathTestDir);
  const bool secret_name = f[1] || f[2] || f[4] || f[5] || f[6] || f[8] || f[9];
  f[kCross] = f[69] && secret_name;
  f[kCross + 1] = f[53] && f[kNameKindPassword];
  f[kCross + 2] = (f[44] || f[45]) && f[kNameKindPassword];
  f[kCross + 3] = f[103] && f[kNameKindPassword];
  f[kCross + 4] = !in.quoted && f[105];
  f[kCross + 5] = f[kLineComment] && f[105];
  f[kCross + 6] = in.value.find('\\') != std::string_view::npos;
  // `"private-key:keys/x.pem"`: the name opens a string that goes on past it, so it is text, not a key.
  if (f[31] != 0 && in.name_col + in.name.size() < in.line.size())
    f[kCross + 7] = in.line[in.name_col + in.name.size()] != in.line[in.name_col - 1];
  const std::string_view v = in.value;
  const std::size_t dot = v.rfind('.');
  if (dot != std::string_view::npos && dot + 2 < v.size() && v.size() - dot <= 5) {
    const std::string_view ext = v.substr(dot + 1);
    f[kCross + 8] = std::all_of(ext.begin(), ext.end(), is_lower) && ext != "com" && ext != "net";
  }
  f[kCross + 9] = v.find(':') != std::string_view::npos;
  for (std::size_t i = 0; i + 2 < v.size(); ++i) {
    if (v[i] == '%' && is_hex(v[i + 1]) && is_hex(v[i + 2])) {
      f[kCross + 10] = 1;
      break;
    }
  }
  // The detector's own rule of thumb (confidence_of: letters only, a value naming itself, weak entropy).
  f[kCross + 11] = in.prior == Confidence::Low;
  f[kCross + 12] = f[kCross + 11] && f[105];
  f[kCross + 13] = f[32] && f[kLineComment];
  f[kCross + 14] = f[kCross + 1] && f[105];
  f[kCross + 15] = f[kCross + 1] && !in.quoted;
}

namespace {

struct Dump {
  std::mutex mutex;
  std::FILE* file = nullptr;
};

Dump& dump() {
  static Dump* d = [] {
    auto* x = new Dump;  // never destroyed: candidates may be dumped from threads until exit
    const char* path = std::getenv("KEYGATE_DUMP_FEATURES");
    if (path != nullptr && *path != '\0') {
      x->file = std::fopen(path, "w");
      if (x->file != nullptr) {
        std::string header = "#features";
        for (const char* n : kNames) header += fmt::format("\t{}", n);
        std::fprintf(x->file, "%s\n", header.c_str());
      }
    }
    return x;
  }();
  return *d;
}

}  // namespace

bool dumping_features() { return dump().file != nullptr; }

void dump_features(std::string_view path, int line, std::string_view rule, const Features& f, double logit) {
  Dump& d = dump();
  if (d.file == nullptr) return;
  std::string row = fmt::format("{}\t{}\t{}\t{:.4f}\t", path, line, rule, logit);
  for (std::size_t i = 0; i < kScoreFeatures; ++i) {
    if (f[i] != 0) row += fmt::format("{}:{:.4g} ", i, f[i]);
  }
  const std::lock_guard<std::mutex> lock(d.mutex);
  std::fprintf(d.file, "%s\n", row.c_str());
  std::fflush(d.file);
}

}  // namespace keygate
