// Tests for generic.cpp and generic_checks.cpp: the "name, operator, literal value" shapes of each
// language and format, each named value check on its own, and the identifier check against random tokens.
#include <catch2/catch.hpp>

#include "config/config.hpp"
#include "detect/generic.hpp"
#include "detect/matcher.hpp"
#include "detect/score_features.hpp"
#include "support/repo.hpp"
#include "util/ascii.hpp"

using namespace keygate;
using keygate::test::fake_together_key;
using keygate::test::random_string;

namespace {

// The secrets the detector reports in `text`.
std::vector<std::string> values(const std::string& text, std::string_view detector = "password") {
  std::vector<Assignment> found;
  find_assignments(text, 0, text.size(), detector, found);
  std::vector<std::string> out;
  for (const Assignment& a : found) out.push_back(text.substr(a.value_begin, a.value_end - a.value_begin));
  return out;
}

const std::string kAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

// Checks that the detector reports exactly `want` in each of `shapes` (nothing, when `want` is empty).
void check_each(const std::vector<std::string>& shapes, const std::vector<std::string>& want,
                std::string_view detector = "password") {
  for (const std::string& s : shapes) {
    INFO(s);
    CHECK(values(s, detector) == want);
  }
}

// Every finding of the default rules in `text`, read as the file `path`.
std::vector<Finding> detect_in(const RuleSet& rules, const std::string& text, const std::string& path) {
  Fragment f;
  f.text = text;
  f.origin.path = path;
  return detect(rules, f);
}

// Why the one assignment the detector finds in `text` was widened ("" when it was not).
std::string widening_of(const std::string& text, std::string_view detector) {
  std::vector<Assignment> found;
  find_assignments(text, 0, text.size(), detector, found);
  REQUIRE(found.size() == 1);
  return found[0].widened ? std::string(found[0].widened_by) : std::string();
}

}  // namespace

TEST_CASE("a password is found in every language and format") {
  // Word-like passwords, generated so that no credential-shaped literal sits in the repository.
  const std::string p = "Falcon" + random_string(3, 4, "0123456789") + "!";
  const std::vector<std::string> shapes = {
      "password = \"" + p + "\"",
      "\"password\": \"" + p + "\"",
      "password: " + p,
      "export DB_PASSWORD=" + p,
      "DB_PASSWORD='" + p + "'",
      "url: ${DB_PASSWORD:-" + p + "}",
      "const dbPassword string = \"" + p + "\"",
      "define('DB_PASSWORD', '" + p + "');",
      "$cfg['Servers'][$i]['password'] = '" + p + "';",
      "spring.datasource.password=" + p,
      "val mysqlRootPassword: String = \"" + p + "\"",
      "@Value(\"${db.password:" + p + "}\")",
      "\"Server=db;User Id=sa;Password=" + p + ";\"",
      "variable \"db_password\" {\n  type = string\n  default = \"" + p + "\"\n}",
      "ENV MYSQL_ROOT_PASSWORD " + p,
      "ARG ADMIN_PASSWORD=" + p,
      "set $auth_password " + p + ";",
      "mysql -u root -p" + p + " app",
      "curl -u admin:" + p + " https://h.test",
      "curl --proxy-user bob:" + p + " https://h.test",
      "mysqldump --password=" + p + " app",
      "tool --password " + p,
      "[db]\npassword = " + p,
      "<password>" + p + "</password>",
      "<add password=\"" + p + "\" />",
      "{\"body\": \"{\\\"password\\\":\\\"" + p + "\\\"}\"}",
      "machine h.test login bob password " + p,
      "machine h.test\n  login bob\n  password " + p,
  };
  for (const std::string& s : shapes) {
    INFO(s);
    CHECK(values(s) == std::vector<std::string>{p});
  }
}

TEST_CASE("secrets, tokens and keys are found under their names") {
  const std::string t = random_string(7, 32, kAlnum);
  for (const std::string& s :
       {"SECRET_KEY = '" + t + "'", "client_secret: " + t, "const apiKey = \"" + t + "\";",
        "define('SECURE_AUTH_SALT', '" + t + "');", "_authToken=" + t, "\"auth\": \"" + t + "\""}) {
    INFO(s);
    CHECK(values(s, "secret") == std::vector<std::string>{t});
  }
  CHECK(values("password = \"" + t + "\"", "secret").empty());  // the password detector's
}

TEST_CASE("placeholders, references and code are not findings") {
  const std::vector<std::string> clean = {
      "password = os.environ['DB_PASSWORD']",
      "const password = process.env.DB_PASSWORD;",
      "password: ${DB_PASSWORD}",
      "password: $DB_PASSWORD",
      "password = %(db_password)s",
      "password: \"{{ db_password }}\"",
      "password = \"<your-password>\"",
      "password: changeme",
      "password = \"xxxxxxxx\"",
      "password: \"********\"",
      "password = \"password\"",
      "password = None",
      "password: null",
      "enabled: true",
      "password = get_password()",
      "def f(password: str):",
      "if password == \"\":",
      "if password != \"\":",
      "label = \"Password:\"",
      "msg = \"Enter your password\"",
      "password = \"\"",
      "passwordFile: /etc/app/password.txt",
      "password_length = 16",
      "password = user_password",
      "password = self.password",
      "for x in y:\n    pass",
      "Password protection is enabled",
      "token_type: bearer",
      "x = cond ? password : other",
      "password = BuildConfig.PASSWORD",
      "val password: String? = null",
      "ok = bypass == compass",
      "a.rule-password:file.txt:0123456789abcdef",
      "CMakeFiles/a.dir/credential.c.o: ../src/credential.c",
      "password: String",
      "mysql -u root -p app",
      "curl -u \"$USER:$PASS\" https://h.test",
  };
  for (const std::string& s : clean) {
    INFO(s);
    CHECK(values(s).empty());
    CHECK(values(s, "secret").empty());
  }
  CHECK(values("PublicKeyToken=b77a5c561934e089", "secret").empty());
  CHECK(values("token_id: 3f2b8c1e-9a4d-4e5f-8b6a-1c2d3e4f5a6b", "secret").empty());
  CHECK(values("api_key = \"" + std::string(40, '0') + "\"", "secret").empty());
}

TEST_CASE("issue 24: a lookup's literal fallback is the credential's value") {
  const std::string p = random_string(11, 12, kAlnum);
  // Each lookup with `p` as its fallback: Python, C, PHP (Laravel), JavaScript, Go.
  for (const auto& [lookup, fallback] : std::vector<std::pair<std::string, std::string>>{
           {"PASSWORD = os.environ.get(\"PASSWORD\")", " or \"" + p + "\""},
           {"POSTGRES_PASSWORD = getenv(\"PGPASSWORD\"", ", \"" + p + "\")"},
           {"'password' => env('DB_PASSWORD'", ", '" + p + "'),"},
           {"const pw = process.env.get('ADMIN_PASSWORD')", " || '" + p + "';"},
           {"pass := cfg.get(\"db_password\"", ", \"" + p + "\")"}}) {
    check_each({lookup + fallback}, {p});
  }
  check_each({"SECRET = os.getenv(\"APP_SECRET\", \"" + p + "\")"}, {p}, "secret");
  // No literal fallback: nothing to report.
  check_each(
      {"password = data.get(\"password\", None)", "password = cfg.get('password', '')",
       "password = os.environ.get(\"PASSWORD\") or default_password", "print(\"password\", \"" + p + "\")"},
      {});
}

TEST_CASE("issue 24: Go's []byte and []string literals and numeric secrets are candidates") {
  const std::string t = random_string(27, 32, kAlnum);
  check_each({"var secretKey = []byte(\"" + t + "\")", "Token: []string{\"" + t + "\"},"}, {t}, "secret");
  // Digits only under a secret's name: kept for the scorer (widened), as a password of digits is.
  const std::string digits = random_string(28, 10, "0123456789");
  CHECK(widening_of("config.oauth_token_secret = '" + digits + "'", "secret") == "number");
  // Short numbers under a secret's name are counts and ports, not secrets.
  check_each({"token_secret = 4081"}, {}, "secret");
}

TEST_CASE("issue 24: a name/value pair's value is the credential (Kubernetes env, Postman, HAR)") {
  const std::string p = random_string(29, 14, kAlnum);
  check_each({"env:\n  - name: DB_PASSWORD\n    value: " + p + "\n",
              "env:\n  - name: DB_PASSWORD\n    value: \"" + p + "\"\n",
              "{\"key\": \"password\", \"value\": \"" + p + "\", \"type\": \"text\"}",
              "{\n  \"name\": \"admin_password\",\n  \"value\": \"" + p + "\"\n}",
              "[{ key: 'password', value: '" + p + "' }]"},
             {p});
  check_each({"- name: API_TOKEN\n  value: \"" + p + "\"\n"}, {p}, "secret");
  // A reference, an HTML form's field, a pair with no value field: nothing to report.
  check_each({"- name: DB_PASSWORD\n  valueFrom:\n    secretKeyRef: {name: db, key: pw}\n",
              "<input type=\"hidden\" name=\"password\" value=\"" + p + "\">",
              "- name: DB_PASSWORD\n  description: the database's password\n",
              "username: password\nvalue: " + p + "\n"},
             {});
}

TEST_CASE("issue 24: an argument list's option value and WordPress's glued salt names are candidates") {
  const std::string p = random_string(30, 12, kAlnum);
  check_each({"args: [\"--keystore-password\", \"" + p + "\"]", "CMD ['--db-password', '" + p + "']"}, {p});
  check_each({"\"--api-token\", \"" + p + "\","}, {p}, "secret");
  // docker build's `--secret id=...,src=...` says where a secret is; an option with no literal after it.
  check_each({"'--secret', 'id=npmrc,src=/tmp/x',", "[\"--password\", passwordVar]"}, {}, "secret");
  check_each({"[\"--password\", passwordVar]"}, {});
  const std::string salt = random_string(31, 40, kAlnum);
  check_each({"authsalt: " + salt, "secureauthsalt: " + salt, "loggedinsalt: " + salt}, {salt}, "secret");
  check_each({"basalt: " + salt}, {}, "secret");
}

TEST_CASE("issue 24: a minified line of name/value pairs with no value has no finding") {
  // Each pair's `value` is looked for beside its name only, not to the end of the line: linear, which
  // bench/linear.py's `pairs` shape measures (a quadratic reading of these 6 MB would take minutes).
  std::string pairs = "[";
  for (int i = 0; i < 200000; ++i) pairs += "{\"key\":\"password\",\"type\":\"text\"},";
  pairs += "]";
  CHECK(values(pairs).empty());
}

TEST_CASE("issue 24: a documentation placeholder `value1` is not a value (git/git's history at low)") {
  check_each({"    token: value1 value2.", "token: value", "secret = \"Value2\""}, {}, "secret");
}

TEST_CASE(
    "issue 24: a name ending in `key` is read where a literal is assigned to it, at no cost elsewhere") {
  const RuleSet rules(default_config());
  const std::string k = random_string(32, 24, kAlnum) + "9aZ";
  // Each shape is a candidate of generic-secret (whatever level the scorer gives it).
  for (const std::string& shape : {"String aesKey = \"" + k + "\";", "pagerduty.service_key = '" + k + "'",
                                   "containerd_repo_repokey: \"" + k + "\"", "cipher->SetKey(\"" + k + "\");",
                                   "GITHUB_ENTERPRISE_ORG_KEY=" + k, "tlsClientKey: \"" + k + "\"",
                                   "config.consumer_key       = '" + k + "'", "consumer_key\t= '" + k + "'",
                                   "{\\\"key\\\": \\\"" + k + "\\\"}"}) {
    INFO(shape);
    // Padded with lines that hold no keyword, so that only the `key` occurrence can open a window.
    const std::string text = "a\nb\nc\n" + shape + "\nd\ne\nf\n";
    std::vector<KeywordIndex::Hit> hits;
    rules.keywords().find_all(text, hits, &rules);
    bool opens = false;
    for (const auto& h : hits)
      opens = opens || (rules.rules()[h.rule]->spec().id == "generic-secret" && h.opens);
    CHECK(opens);
    bool found = false;
    // The unquoted shape is an env file's, not Java's (the scorer weighs an unquoted value in code down).
    const bool env_line = shape.find('"') == std::string::npos && shape.find('\'') == std::string::npos;
    for (const Finding& x : detect_in(rules, text, env_line ? "config/app.env" : "src/App.java"))
      found = found || (x.rule_id == "generic-secret" && x.secret == k);
    CHECK(found);
  }
  // A name's `key` and operator that do not assign a literal open no window: a comparison, a scope, a
  // call with no literal, a short value.
  const std::pair<std::string_view, std::string_view> gated[] = {{"if (key == other)", "key ="},
                                                                 {"Key::compare(a, b)", "key:"},
                                                                 {"lookup_key(\"id\")", "key(\""},
                                                                 {"key = k;", "key ="},
                                                                 {"key: 1", "key:"},
                                                                 {"std::string key = \"\";", "key ="}};
  for (const auto& [shape, keyword] : gated) {
    INFO(shape);
    CHECK_FALSE(detector_hit_opens(shape, lowered(shape).find(keyword) + keyword.size()));
  }
  // A count up or down is a made-up value, not a key: 0123456789abcdef, 00112233...eeff, ffeedd...00.
  std::string up, pairs, down;
  for (const char c : std::string_view("0123456789abcdef")) {
    up += c;
    pairs += std::string(2, c);
    down.insert(down.begin(), 2, c);
  }
  check_each({"aesKey = \"" + up + "\"", "KEYGATE_AUDIT_KEY=" + pairs, "signing_key: " + down}, {}, "secret");
  // Every other keyword occurrence opens its window as before.
  CHECK(detector_hit_opens("x.api_key", 9));
  CHECK(detector_hit_opens("secret", 6));
  CHECK(detector_hit_opens("{\"auth\": x}", 7));
}

TEST_CASE("issue 24: a password set by an SQL statement is medium in documentation too") {
  const RuleSet rules(default_config());
  const std::string p = random_string(33, 10, kAlnum);
  for (const std::string path : {"docs/setup.md", "README.md", "migrations/001.sql"}) {
    INFO(path);
    const auto found = detect_in(rules, "CREATE USER app WITH PASSWORD '" + p + "';\n", path);
    REQUIRE(found.size() == 1);
    CHECK(found[0].rule_id == "sql-password");
    CHECK(found[0].confidence == Confidence::Medium);
  }
  // A description in place of the password (`'数据库用户名的密码'`, "the database user's password") or a
  // format string is not one.
  CHECK(detect_in(rules, "GRANT ALL ON *.* TO 'root'@'%' IDENTIFIED BY '新密码';", "README.md").empty());
}

TEST_CASE("issue 24: a literal decoded by a call is the value; Go's second result name is skipped") {
  const std::string hex = random_string(34, 32, "0123456789abcdef");
  const std::string b64 = random_string(35, 24, kAlnum);
  check_each({"secretData, _ := hex.DecodeString(\"" + hex + "\")",
              "secret, err = hex.DecodeString(\"" + hex + "\")",
              "secret_key = binascii.unhexlify('" + hex + "')", "apiKey = bytes.fromhex('" + hex + "')"},
             {hex}, "secret");
  check_each({"client_secret = base64.b64decode(b'" + b64 + "')",
              "byte[] secretKey = Base64.getDecoder().decode(\"" + b64 + "\");"},
             {b64}, "secret");
  // Another call is code, not a literal; a second name that is not `_` or `err` is a tuple, not Go's results.
  check_each({"secret = hex.EncodeToString(\"" + hex + "\")", "secret, other := \"" + hex + "\", 2"}, {},
             "secret");
}

TEST_CASE("credential names") {
  NameKind kind;
  for (const char* n :
       {"password", "DB_PASSWORD", "mysqlRootPassword", "passwd", "pwd", "db-pass", "PASSPHRASE"}) {
    INFO(n);
    CHECK(credential_name(n, &kind));
    CHECK(kind == NameKind::Password);
  }
  for (const char* n :
       {"secret", "client_secret", "apiKey", "API_KEY", "auth_token", "credentials", "private_key",
        "AWS_ACCESS_KEY", "NONCE_SALT", "_auth", "oauth_signature", "oauth_verifier"}) {
    INFO(n);
    CHECK(credential_name(n, &kind));
    CHECK(kind == NameKind::Secret);
  }
  for (const char* n :
       {"password_length", "tokenizer", "PublicKeyToken", "token_type", "secretary", "bypass", "compass",
        "passport", "author", "secret_name", "tokens", "key", "signature", "oauth_signature_method"}) {
    INFO(n);
    CHECK_FALSE(credential_name(n, &kind));
  }
}

TEST_CASE("each value check rejects its own kind of value") {
  struct Case {
    const char* check;
    ValueContext rejected;
    ValueContext kept;
  };
  const std::vector<Case> cases = {
      {"too-short", {"ab1", true, "password"}, {"ab12cd", true, "password"}},
      {"reference", {"${DB_PASSWORD}", false, "password"}, {"s3cret-x", false, "password"}},
      {"placeholder-shape", {"<your-password>", true, "password"}, {"pa<ss>word9", true, "pw"}},
      {"placeholder-word", {"changeme", false, "password"}, {"harbor77", false, "password"}},
      {"credential-word", {"password", true, "password"}, {"passw0rd!", true, "password"}},
      {"keyword-literal", {"None", false, "password"}, {"Nonexx1", false, "password"}},
      {"code", {"get_password()", false, "password"}, {"hunter2!", false, "password"}},
      {"identifier", {"user_password", true, "password"}, {"argPa55", true, "password"}},
      {"prose", {"Enter your password", true, "password"}, {"Falcon12 !x", true, "password"}},
      {"log-text",
       {"==git==3693658==ERROR: LeakSanitizer: detected memory leaks", true, "token"},
       {"x9!Kq 2vLz #wR", true, "token"}},
      {"symbol-chain",
       {"__interceptor_malloc--do_xmalloc--main--__libc_start_main@GLIBC_2.2.5--_start", false,
        "DEDUP_TOKEN"},
       {"a9Kq2--vLz8wR4", false, "token"}},
      {"command-option", {"-lgcc_s", false, "password"}, {"x-lgcc_s", false, "password"}},
      {"path", {"/etc/app/password.txt", false, "password"}, {"/q8Zr+x9KpW2mN4vB7tY", false, "password"}},
      {"url", {"https://h.test/login", false, "password"}, {"h.test-login9", false, "password"}},
      {"uuid",
       {"3f2b8c1e-9a4d-4e5f-8b6a-1c2d3e4f5a6b", true, "token"},
       {"3f2b8c1e9a4d4e5f8b6a", true, "token"}},
      {"number", {"3600", false, "token_ttl2"}, {"3600a", false, "token_ttl2"}},
      {"public-digest", {"sha512-abcDEF123+/x", true, "token"}, {"sha-abcDEF123", true, "token"}},
      // An OpenPGP long key id; 16 digits (a 16-character AES key typed as digits) stay.
      {"key-id", {"0123456789ABCDEF", false, "KEY"}, {"3001268844495132", false, "AES_KEY"}},
      // A validation rule list (Laravel); a password with a `|` in it stays.
      {"validation-rule",
       {"required|string|min:8|confirmed", true, "password"},
       {"Kq8|mw2tz", true, "password"}},
  };
  REQUIRE(cases.size() == value_checks().size());
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const ValueCheck& check = value_checks()[i];
    INFO(check.name);
    CHECK(std::string(check.name) == cases[i].check);
    CHECK(check.rejects(cases[i].rejected));
    CHECK_FALSE(check.rejects(cases[i].kept));
  }
  CHECK(rejecting_check({"hunter2!", true, "password"}) == nullptr);
  CHECK(rejecting_check({"correct-horse", true, "password"}) == nullptr);
}

TEST_CASE("identifiers are recognised, random tokens are not") {
  for (const char* s :
       {"user_password", "GNUTLS_PKCS11_TOKEN_SERIAL", "pk11GetPasswordFunc2", "nl80211_attr_key_seq",
        "getUserName", "parseHTMLDocument", "db.password", "TOKEN_KIND_IDENTIFIER_NAME"}) {
    INFO(s);
    CHECK(looks_like_identifier(s));
  }
  // The old generic-secret rule took a third of random base62 tokens for camelCase identifiers.
  const std::string base64 = kAlnum + "+/";
  const std::string base64url = kAlnum + "-_";
  int identifiers = 0, total = 0;
  for (std::uint64_t seed = 1; seed <= 3000; ++seed) {
    const std::size_t n = 12 + seed % 40;
    const std::string& alphabet = seed % 3 == 0 ? kAlnum : seed % 3 == 1 ? base64 : base64url;
    identifiers += looks_like_identifier(random_string(seed, n, alphabet)) ? 1 : 0;
    ++total;
  }
  INFO(identifiers << " of " << total);
  CHECK(identifiers * 1000 <= total * 5);  // at most 0.5% (6 of 3000 when written)
}

TEST_CASE("generic detector findings take the scorer's level, path included; provider keys stay high") {
  const RuleSet rules(default_config());
  auto scan_at = [&](const std::string& text, const std::string& path) {
    return detect_in(rules, text, path);
  };
  const std::string line = "password = \"Harbor" + random_string(5, 4, "0123456789") + "!\"";
  auto in_src = scan_at(line, "src/app.py");
  REQUIRE(in_src.size() == 1);
  CHECK(in_src[0].confidence >= Confidence::Medium);
  // The path is one of the scorer's features (CredData's reviewers call many test passwords real), so
  // demote_paths does not lower a scored finding a second time.
  auto in_tests = scan_at(line, "tests/fixtures/app.py");
  REQUIRE(in_tests.size() == 1);
  ScoreInput in;
  in.name = "password";
  in.value = in_tests[0].secret;
  in.line = line;
  in.path = "tests/fixtures/app.py";
  in.name_col = 0;
  in.value_col = line.find('"') + 1;
  in.quoted = true;
  Features features;
  extract_features(in, features);
  CHECK(in_tests[0].confidence == score_features(features).confidence);
  auto key = scan_at("TOGETHER_API_KEY=" + fake_together_key(3), "tests/app.py");
  REQUIRE(key.size() == 1);
  CHECK(key[0].confidence == Confidence::High);
}

TEST_CASE("issue 24: translations, policy constants and example URLs are not reported by default") {
  const RuleSet rules(default_config());
  auto medium = [&](const std::string& text, const std::string& path) {
    std::size_t n = 0;
    for (const Finding& x : detect_in(rules, text, path)) n += x.confidence >= Confidence::Medium;
    return n;
  };
  CHECK(medium("{\n  \"LABEL_CURRENT_PASSWORD\": \"Contrase\xc3\xb1"
               "a actual\",\n  \"LABEL_NEW_PASSWORD\": "
               "\"Nueva contrase\xc3\xb1"
               "a\"\n}\n",
               "src/assets/i18n/es.json") == 0);
  CHECK(medium("export const passwordComplexityCode = \"PASSWORD_COMPLEXITY_REQUIREMENTS\";\n",
               "src/policy.ts") == 0);
  CHECK(medium("Connect with `postgres://user:password@example.com/db`.\n", "docs/usage.md") == 0);
  // The same names with a credential-shaped value are still found.
  const std::string p = random_string(24, 12, kAlnum);
  CHECK(medium("DB_PASSWORD=" + p + "\n", "deploy/app.env") == 1);
  // Shapes the issue names as misses: eight lower-case letters in a .conf, a PHP array's token.
  const std::string lower8 = random_string(25, 8, "abcdefghijklmnopqrstuvwxyz");
  CHECK(medium("[db]\nhost: db.internal\npassword: " + lower8 + "\n", "etc/app.conf") == 1);
  const std::string token = random_string(26, 14, kAlnum);
  CHECK(medium("<?php\nreturn [\n    \"MAILER_API_TOKEN\" => \"" + token + "\",\n];\n", "config/app.php") ==
        1);
}

TEST_CASE("issue 23 item 10: the generic detector is linear on long lines and long tokens") {
  // A line of megabytes that is one token: a window inside it costs the window, not the rest of the line.
  const std::string token = random_string(2310, 4u << 20, kAlnum);
  const std::string one = "secret_token=" + token + "\n";
  std::vector<Assignment> found;
  for (std::size_t at = 0; at < one.size(); at += 64u << 10)
    find_assignments(one, at, std::min(one.size(), at + 1024), "secret", found);
  CHECK(found.empty());  // its end is out of reach of every window: not read as a value

  // Names that share one long run (`password=password=...`): each is read, the run is walked once.
  std::string names;
  while (names.size() < (2u << 20)) names += "password=";
  found.clear();
  find_assignments(names, 0, names.size(), "password", found);
  CHECK(found.size() < 1024 / 9);  // only the last names' values are short enough to be read

  // Many assignments on one long line are read as they are on lines of their own.
  std::string many, lines;
  std::vector<std::string> want;
  for (int i = 0; i < 20000; ++i) {
    want.push_back(random_string(2311 + static_cast<std::uint64_t>(i), 20, kAlnum) + "9");
    many += "db_password=" + want.back() + " ";
    lines += "db_password=" + want.back() + "\n";
  }
  const std::vector<std::string> got = values(many);
  CHECK(got.size() > 19000);
  CHECK(got == values(lines));
  const std::string beside = token.substr(0, 1u << 20) + " db_password=" + want[0] + "\n";
  CHECK(values(beside) == std::vector<std::string>{want[0]});
}

TEST_CASE("issue 24: a confirmation of a password is a password (Rails and Django fixtures)") {
  const std::string p = random_string(33, 12, kAlnum) + "!";
  check_each({"password_confirmation: \"" + p + "\"", "user.passwordConfirm = '" + p + "'",
              "confirm_password = \"" + p + "\"", "PASSWORD_AGAIN=" + p},
             {p});
  // A Jenkins `passwordVariable` names the variable the password goes into, it holds none.
  check_each({"passwordVariable: 'githubToken'"}, {});
}

TEST_CASE("issue 24: a password of letters only that reads like a word is kept for the scorer") {
  // Quoted: any identifier shape; unquoted (config lines), only one case of letters, since camelCase
  // there is a variable (`this.password = credString`).
  CHECK(widening_of("\"password\": \"falcon_river\"", "password") == "identifier");
  const std::string upper_word = std::string("FALCON") + "RIVER";  // joined here: no literal in the tree
  CHECK(widening_of("ROOT_PASSWORD: " + upper_word, "password") == "code");
  check_each({"this.password = credString", "Password: remotePwd,",
              "#   password_query = SELECT userid AS user, pw AS password \\"},
             {});
}

TEST_CASE("issue 24: Capybara's fill_in, an SDP ICE password and a form-encoded field are candidates") {
  const std::string p = random_string(36, 12, kAlnum) + "!";
  check_each({"fill_in :signup_password, with: \"" + p + "\"", "fill_in 'user_password', with: '" + p + "'"},
             {p});
  // A label filled in is not the name of the field.
  check_each({"fill_in 'New password', with: '" + p + "'"}, {});
  const std::string ice = random_string(37, 24, kAlnum);
  check_each({"a=ice-pwd:" + ice}, {ice});
  // A form-encoded body, decoded: the value ends at the next field.
  check_each({"user[email]=a@b.test&user[password]=" + p + "&remember=1"}, {p});
}

TEST_CASE("issue 24: glued passphrases, MySQL's PASSWORD('...'), a credential type's constructor") {
  const std::string p = random_string(38, 14, kAlnum);
  check_each({"static final String V3_PRIVACYPASSPHRASE = \"" + p + "\";",
              "update user set password=password('" + p + "') where user='root';"},
             {p});
  const std::string t = random_string(39, 32, kAlnum) + "7Qz";
  check_each({"final OAuth2AccessToken accessToken = new OAuth2AccessToken(\"" + t + "\");"}, {t}, "secret");
  // A constructor of a type that names no credential: code, not a value.
  check_each({"accessToken = new Parser(\"" + t + "\");"}, {}, "secret");
}

TEST_CASE("issue 24: a key's encoded form (keyBytes, KEY_DATA) is named as the key is") {
  CHECK(key_name("originalKeyBytes"));
  CHECK(key_name("AES_KEY_DATA"));
  CHECK(key_name("signingKeyValue"));
  CHECK_FALSE(key_name("bytes"));
  CHECK_FALSE(key_name("publicKeyBytes"));
  CHECK_FALSE(key_name("monkeyData"));
}

TEST_CASE("issue 24: a builder's credential member and a Ruby symbol's literal are candidates") {
  const std::string t = random_string(40, 30, kAlnum) + "5Kq";
  check_each({"    .oauth_verifier(\"" + t + "\")", "Creds.builder().clientSecret(\"" + t + "\").build();",
              "sorcery_property_set(:auth0, :secret, '" + t + "')"},
             {t}, "secret");
  const std::string p = random_string(41, 12, kAlnum) + "!";
  check_each({"set :password, \"" + p + "\"", "client.password(\"" + p + "\")"}, {p});
  // A lookup, a check or a transformation called with a literal names no value; nor does a scope (::).
  check_each({"token = store.getToken(\"" + t + "\")", "user.destroy_with_password('" + p + "')",
              "password.encode('utf-8')", "isValid($r, self::PASSWORD, '" + p + "')"},
             {});
}

TEST_CASE("issue 24: a URL query parameter's value is data, not code") {
  // Base32 in capitals with a digit reads like a constant's name, but in a query it is a literal.
  const std::string b32 = random_string(42, 24, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") + "7";
  check_each({"otpauth://totp/bar?secret=" + b32 + "&period=30"}, {b32}, "secret");
  // An index into a map is code, not a form field: `week[token] = toInt(input)`.
  check_each({"week[token] = toInt(input);"}, {}, "secret");
}

TEST_CASE("issue 24: a password with letters of another script is counted in characters, not bytes") {
  // Four and five characters, two of them two or three bytes in UTF-8 (katakana, the pound sign).
  const std::string four = "ab\xe3\x83\xa6\xc2\xa3";
  const std::string five = "xyz\xe3\x83\xa6\xc2\xa3";
  check_each({"auth_password=\"" + four + "\""}, {four});
  check_each({"{\"username\": \"foo\", \"password\": \"" + five + "\"}"}, {five});
  // Three characters are still too short, however many bytes they take.
  const std::string three = std::string("a") + "\xe3\x83\xa6" + "\xc2\xa3";  // made here: no literal
  check_each({"password = \"" + three + "\""}, {});
}

TEST_CASE("issue 24: a cipher key's size (16, 24, 32 characters) under a key name is a candidate") {
  // Printable characters that key_shaped's base64 alphabet would refuse (!, %, *, ?).
  const std::string k = random_string(43, 12, kAlnum) + "!u%E*X-Y" + random_string(44, 11, kAlnum) + "?";
  REQUIRE(k.size() == 32);
  check_each({"var key = []byte(\"" + k + "\")", "@key = '" + k + "'"}, {k}, "secret");
  // Another length, or a word, under a name that only says key: a dictionary's key, not a cipher's.
  check_each({"var key = []byte(\"" + k + "Z\")", "key = 'first_name_of_the_user_xx_yy_zzz'"}, {}, "secret");
}

TEST_CASE("issue 24: a Markdown bold or code name, and a token whose letters hold xxX in mixed case") {
  const std::string p = random_string(45, 10, kAlnum) + "9";
  check_each({"- **password**: " + p, "* `db_password`: " + p}, {p});
  // A filler is written in one case; mixed case is a random token's letters.
  const std::string mixed = "oxxXWO" + random_string(46, 6, "0123456789");
  check_each({"MYSQL_ROOT_PASSWORD=" + mixed}, {mixed});
  check_each({"MYSQL_ROOT_PASSWORD=abcxxx123", "MYSQL_ROOT_PASSWORD=ABCXXX123"}, {});
}

TEST_CASE("issue 24: a Markdown name is read only before an operator (git/git's send-email docs)") {
  check_each({"however `--smtp-pass` always overrides this value."}, {});
}

TEST_CASE("issue 24: a test's wrong password and names of a hash, a host or an algorithm are not values") {
  check_each({"sign_in_as_user(password: \"invalid\")", "--password=\"wrong\" \\", "Password = \"fake2\",",
              "sudo_password=\"nope\",", "password = Some(\"ignored\"),"},
             {});
  const std::string hex = random_string(47, 64, "0123456789abcdef");
  check_each({"- GRAYLOG_ROOT_PASSWORD_SHA2=" + hex, "SET password_encryption = 'scram-sha-256';"}, {});
  check_each(
      {"\"harvester-token-checksum\": \"" + hex + "\"", "POSTGRES_INITDB_ARGS: --auth-host=scram-sha-256"},
      {}, "secret");
  // A word that only starts like one is a value: "wrongful" is not "wrong".
  const std::string wrongful = std::string("wrongful") + random_string(49, 4, kAlnum);
  check_each({"password: \"" + wrongful + "\""}, {wrongful});
}

TEST_CASE("issue 24: a quoted secret in capitals and digits (a TOTP seed) is kept for the scorer") {
  // Pronounceable capitals read as a constant's name (the identifier check); random ones already pass.
  const std::string seed = std::string("MAKOTELIRU") + "SANEDO7";
  CHECK(widening_of("otpauth://totp/bar?secret=" + seed + "&period=30", "secret") == "identifier");
  CHECK(widening_of("totp_secret: \"" + seed + "\"", "secret") == "identifier");
  // A value that names itself, or a dictionary's key: not widened.
  check_each({"next_token='nextToken3'", "key: \"firstName12\"", "let access_key = \"accessKey456\";"}, {},
             "secret");
}

TEST_CASE("issue 24: Vault AppRole's secret_id is a credential, other ids are not") {
  NameKind kind = NameKind::Password;
  CHECK(credential_name("SecretID", &kind));
  CHECK(kind == NameKind::Secret);
  CHECK(credential_name("vault_secret_id", &kind));
  CHECK_FALSE(credential_name("token_id", &kind));
  CHECK_FALSE(credential_name("password_id", &kind));
}

TEST_CASE("issue 24: a ternary's branches and what a glued suffix says about a password are not values") {
  const std::string pw = random_string(51, 12, kAlnum);
  // `result ? "pass" : "fail"` chooses a CSS class; a JSON-like key still names its value.
  CHECK(values("li.className = assertion.result ? \"pass\" : \"fail\";\n").empty());
  CHECK(values("x = {\"pass\" : \"" + pw + "\"}\n") == std::vector<std::string>{pw});
  // Oracle's `remote_login_passwordfile=exclusive` names a file; `remote_login_password=` a password.
  CHECK(values("initParams=audit_trail=none,remote_login_passwordfile=exclusive\n").empty());
  CHECK(values("remote_login_password=" + pw + "\n") == std::vector<std::string>{pw});
  CHECK(values("PasswordHash = \"" + pw + "\"\n").empty());
  CHECK(values("passwords: \"" + pw + "\"\n") == std::vector<std::string>{pw});
  // A compiler's pass (LLVM's `-debug-pass=Executions`); a database's `db_pass` is a password.
  CHECK(values("/// Return true if -debug-pass=Executions or higher\n").empty());
  CHECK(values("db_pass = \"" + pw + "\"\n") == std::vector<std::string>{pw});
}
