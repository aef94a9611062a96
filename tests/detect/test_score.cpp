// Tests of the generic detector's scorer (src/detect/score_features.*): its features, its levels on
// typical candidates, its explanation, and the wiring through scan() (explain, UUID widening).
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstring>
#include <set>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "detect/generic.hpp"
#include "detect/matcher.hpp"
#include "detect/score_features.hpp"
#include "support/repo.hpp"

using namespace keygate;
using keygate::test::random_string;

namespace {

// The values find_assignments reads in `text` with `detector`.
std::vector<std::string> values_found(const std::string& text, const char* detector) {
  std::vector<Assignment> out;
  find_assignments(text, 0, text.size(), detector, out);
  std::vector<std::string> v;
  for (const Assignment& a : out) v.push_back(text.substr(a.value_begin, a.value_end - a.value_begin));
  return v;
}

// The findings of `rules` in `text` read as the file `path`.
std::vector<Finding> detect_at(const RuleSet& rules, const std::string& text, const char* path) {
  Fragment f;
  f.text = text;
  f.origin.path = path;
  return detect(rules, f);
}

// The features of `line` where its candidate is `name` and the value is the first quoted string after it.
Features features_of(const std::string& line, const std::string& name, const std::string& path,
                     NameKind kind = NameKind::Password) {
  ScoreInput in;
  const std::size_t at = line.find(name);
  std::size_t after = at + name.size();
  if (after < line.size() && (line[after] == '"' || line[after] == '\'')) ++after;  // a quoted name's end
  const std::size_t open = line.find_first_of("\"'", after);
  const std::size_t close = line.find(line[open], open + 1);
  in.name = std::string_view(line).substr(at, name.size());
  in.value = std::string_view(line).substr(open + 1, close - open - 1);
  in.line = line;
  in.path = path;
  in.name_col = at;
  in.value_col = open + 1;
  in.quoted = true;
  in.kind = kind;
  Features f;
  extract_features(in, f);
  return f;
}

float feature(const Features& f, std::string_view name) {
  const auto& names = feature_names();
  const auto it = std::find_if(names.begin(), names.end(), [&](const char* n) { return name == n; });
  REQUIRE(it != names.end());
  return f[static_cast<std::size_t>(it - names.begin())];
}

}  // namespace

TEST_CASE("scorer features are named once each and read the name, value, line and path") {
  const auto& names = feature_names();
  std::set<std::string> unique;
  for (const char* n : names) {
    REQUIRE(n != nullptr);
    unique.insert(n);
  }
  CHECK(unique.size() == kScoreFeatures);

  const std::string value =
      random_string(7, 20, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
  const Features f = features_of("  DB_PASSWORD = \"" + value + "\"", "DB_PASSWORD", "conf/app.yml");
  CHECK(feature(f, "name:password") == 1);
  CHECK(feature(f, "name:db") == 1);
  CHECK(feature(f, "name:screaming") == 1);
  CHECK(feature(f, "op:equals") == 1);
  CHECK(feature(f, "value:len20-31") == 1);
  CHECK(feature(f, "value:quoted") == 1);
  CHECK(feature(f, "path:ext-config") == 1);
  CHECK(feature(f, "line:indented") == 1);
  CHECK(feature(f, "path:test-dir") == 0);

  const Features t =
      features_of("# 'SMTP Password' => 'Contrasena actual',", "Password", "lang/es/admin.php");
  CHECK(feature(t, "line:comment") == 1);
  CHECK(feature(t, "value:has-space") == 1);
  CHECK(feature(t, "path:locale") == 1);
  CHECK(feature(t, "path:ext-php") == 1);
  CHECK(feature(t, "op:arrow") == 1);
}

TEST_CASE("scorer ranks a random password above a translated label and a weak word") {
  const std::string value =
      random_string(11, 16, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
  const Score strong =
      score_features(features_of("db_password = \"" + value + "\"", "db_password", "app/db.py"));
  const Score label =
      score_features(features_of("'SMTP Password' => 'Contrasena actual',", "Password", "lang/es/admin.php"));
  const Score weak = score_features(features_of("password = \"testpass\"", "password", "app/db.py"));
  CHECK(strong.logit > label.logit);
  CHECK(strong.logit > weak.logit);
  CHECK(strong.confidence >= Confidence::Medium);
  CHECK(label.confidence == Confidence::Low);
}

TEST_CASE("explain names the score, the thresholds and the features that moved it most") {
  const Features f = features_of("password = \"Harbor" + random_string(5, 4, "0123456789") + "!\"",
                                 "password", "src/app.py");
  const std::string why = explain_score(f);
  CHECK(why.rfind("score ", 0) == 0);
  CHECK(why.find("medium at") != std::string::npos);
  CHECK(why.find("value:") != std::string::npos);

  RuleSet rules(default_config());
  Fragment frag;
  const std::string text = "password = \"Harbor" + random_string(5, 4, "0123456789") + "!\"\n";
  frag.text = text;
  frag.origin.path = "src/app.py";
  auto quiet = detect(rules, frag);
  REQUIRE(quiet.size() == 1);
  CHECK(quiet[0].explanation.empty());
  RuleOptions explaining;
  explaining.explain = Explain::On;
  const RuleSet told_rules(default_config(), explaining);
  auto told = detect(told_rules, frag);
  REQUIRE(told.size() == 1);
  CHECK(told[0].explanation.rfind("score ", 0) == 0);
}

TEST_CASE("a UUID under a credential name is judged by the scorer; under an id name it is not a candidate") {
  const RuleSet rules(default_config());
  const std::string hex = "0123456789abcdef";
  const std::string uuid = random_string(3, 8, hex) + "-" + random_string(4, 4, hex) + "-" +
                           random_string(5, 4, hex) + "-" + random_string(6, 4, hex) + "-" +
                           random_string(8, 12, hex);
  auto scan_line = [&](const std::string& text) {
    Fragment f;
    f.text = text;
    f.origin.path = "src/config.js";
    return detect(rules, f);
  };
  for (const Finding& x : scan_line("const apiKey = \"" + uuid + "\";\n"))
    CHECK(x.confidence >= Confidence::Medium);
  CHECK(scan_line("const requestId = \"" + uuid + "\";\n").empty());
}

TEST_CASE("widened candidates: Rust Some(\"...\"), comparisons with a literal (judged by the scorer)") {
  const std::string pw = random_string(21, 10, "abcdefghijklmnopqrstuvwxyz0123456789");
  auto values = [](const std::string& text) {
    std::vector<Assignment> out;
    find_assignments(text, 0, text.size(), "password", out);
    std::vector<std::string> v;
    for (const Assignment& a : out) v.push_back(text.substr(a.value_begin, a.value_end - a.value_begin));
    return v;
  };
  CHECK(values("    password = Some(\"" + pw + "\"),\n") == std::vector<std::string>{pw});
  const std::string cmp = "if ($user === 'alex' && $password === '" + pw + "') {\n";
  CHECK(values(cmp) == std::vector<std::string>{pw});
  std::vector<Assignment> out;
  find_assignments(cmp, 0, cmp.size(), "password", out);
  REQUIRE(out.size() == 1);
  CHECK(out[0].widened);
  CHECK(values("if password == \"\":\n").empty());
  CHECK(values("if (password != \"" + pw + "\")\n").empty());
}

TEST_CASE("issue 24: setters, query parameters and Objective-C arguments carry a password's value") {
  const std::string pw = random_string(24, 12, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789");
  CHECK(values_found("    factory.setPassword(\"" + pw + "\");\n", "password") ==
        std::vector<std::string>{pw});
  CHECK(values_found("    factory.setPassword(password);\n", "password").empty());
  CHECK(values_found("curl 'https://api.internal.invalid/v1/items?access_token=" + pw + "&page=2'\n",
                     "secret") == std::vector<std::string>{pw});
  CHECK(values_found("[archive unzipAtPath:path password:@\"" + pw + "\" error:&error];\n", "password") ==
        std::vector<std::string>{pw});
}

TEST_CASE("issue 24: a numeric or identifier-shaped password is widened for the scorer, not dropped") {
  const std::string digits = random_string(25, 8, "0123456789");
  std::vector<Assignment> out;
  const std::string yml = "  password: " + digits + "\n";
  find_assignments(yml, 0, yml.size(), "password", out);
  REQUIRE(out.size() == 1);
  CHECK(out[0].widened);
  CHECK(out[0].widened_by == "number");
  out.clear();
  const std::string ttl = "  token_expiry: " + digits + "\n";  // a number under a non-password name
  find_assignments(ttl, 0, ttl.size(), "secret", out);
  CHECK(out.empty());
  const std::string ident = "db_pass=Ora" + random_string(26, 4, "abcdefgh") + "_ec2\n";
  find_assignments(ident, 0, ident.size(), "password", out);
  REQUIRE(out.size() == 1);
  CHECK(out[0].widened_by == "code");  // unquoted: it reads as code
}

TEST_CASE("issue 24: url-credentials is judged by the scorer (a URL's host and line, not the rule, decide)") {
  const RuleSet rules(default_config());
  auto scan_line = [&](const std::string& line) { return detect_at(rules, line, "src/settings.py"); };
  const std::string pw = random_string(27, 14, "abcdefghijklmnopqrstuvwxyz0123456789");
  const std::vector<Finding> found =
      scan_line("DATABASE_URL = \"postgres://app:" + pw + "@db.internal:5432/app\"\n");
  REQUIRE(found.size() == 1);
  CHECK(found[0].rule_id == "url-credentials");
  CHECK(found[0].scored);
  CHECK(found[0].confidence >= Confidence::Medium);
}

TEST_CASE("issue 24: a name that only says key holds a candidate only when the value is key-shaped") {
  auto values = [](const std::string& text) { return values_found(text, "secret"); };
  const std::string hex = random_string(28, 32, "0123456789abcdef");
  CHECK(values("  \"key\": \"" + hex + "\",\n") == std::vector<std::string>{hex});
  CHECK(values("config.consumer_key = '" + hex + "'\n") == std::vector<std::string>{hex});
  CHECK(values("  \"key\": \"settings.title\",\n").empty());
  CHECK(values("  \"publicKey\": \"" + hex + "\",\n").empty());
  CHECK(values("  \"monkey\": \"" + hex + "\",\n").empty());
  std::vector<Assignment> out;
  const std::string line = "key = \"" + hex + "\"\n";
  find_assignments(line, 0, line.size(), "secret", out);
  REQUIRE(out.size() == 1);
  CHECK(out[0].widened_by == "key-name");
}

TEST_CASE("issue 24: pw names a password inside a longer name (DB_PW, bind_pw), not alone (a country code)") {
  NameKind kind;
  CHECK(credential_name("DB_PW", &kind));
  CHECK(kind == NameKind::Password);
  CHECK(credential_name("bind_pw", &kind));
  CHECK_FALSE(credential_name("PW", &kind));
  const RuleSet rules(default_config());
  auto scan_line = [&](const std::string& text) { return detect_at(rules, text, "deploy/compose.yml"); };
  const std::string pw = random_string(29, 12, "abcdefghijkmnpqrstuvwxyzABCDEFGH23456789");
  CHECK_FALSE(scan_line("      DB_PW: '" + pw + "'\n").empty());
  CHECK(scan_line("{\"PT\":\"Portugal\",\"PW\":\"Palau\",\"PY\":\"Paraguay\"}\n").empty());
}

TEST_CASE("issue 24: $name inside a single-quoted value is text, not interpolation") {
  auto values = [](const std::string& text) { return values_found(text, "password"); };
  const std::string pw =
      "B8@u" + random_string(30, 3, "abcdefgh") + "$Ga2" + random_string(31, 3, "0123456789");
  CHECK(values("  password: '" + pw + "',\n") == std::vector<std::string>{pw});
  CHECK(values("  password: \"" + pw + "\",\n").empty());  // double quotes interpolate $Ga2
  CHECK(values("  password: '${DB_PASSWORD}',\n").empty());
}

TEST_CASE("issue 24: a weak word inside a long random token is chance, not a weak value") {
  // A random token of 64 letters and digits holds "abc", "123" or "bar" about one time in three; built
  // here with one, so that the feature is what is tested.
  const std::string token = random_string(41, 30, "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789") +
                            "bar" +
                            random_string(42, 30, "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789");
  const std::string hex =
      random_string(43, 20, "0123456789abcdef") + "123" + random_string(44, 9, "0123456789abcdef");
  CHECK(feature(features_of("access_token = \"" + token + "\"", "access_token", "app.py", NameKind::Secret),
                "value:weak-word") == 0);
  CHECK(feature(features_of("reset_token = \"" + hex + "\"", "reset_token", "app.py", NameKind::Secret),
                "value:weak-word") == 0);
  // Short values and phrases are made of their words.
  for (const std::string v :
       {"admin123", "abcdefghijklmnopqrstuvwxyz", "foo1234&other_stuff=yeah_we_have_this_too"}) {
    INFO(v);
    CHECK(feature(features_of("password = \"" + v + "\"", "password", "app.py"), "value:weak-word") == 1);
  }
}

TEST_CASE("the scorer's explanation shares out exactly the score it explains") {
  // The explanation gives each split's feature the step its branch made: the parts, what every candidate
  // starts from and the score agree, for candidates of every kind.
  const std::string token =
      random_string(21, 24, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
  for (const Features& f :
       {features_of("db_password = \"" + token + "\"", "db_password", "app/db.py"),
        features_of("password: \"changeme\"", "password", "README.md"),
        features_of("'Password' => 'Contrasena actual',", "Password", "lang/es/a.php"),
        features_of("api_token: \"" + token + "\"", "api_token", "conf/app.yml", NameKind::Secret)}) {
    const Score s = score_features(f);
    const std::string why = explain_score(f);
    REQUIRE(why.rfind("score ", 0) == 0);
    CHECK(std::stod(why.substr(6)) == Approx(s.logit).margin(0.006));
  }
}

TEST_CASE("issue 24: an expiry time and prose that mentions a login are not credentials") {
  // `password_expiry_utc=1684189401` (git's credential protocol) is when a password expires.
  CHECK(values_found(" *   password_expiry_utc=1684189401\n", "password").empty());
  CHECK(values_found("token_expires_in = \"86400000\"\n", "token").empty());
  // `PWD` in capitals is the shell's working directory; a lower-case `pwd` is still a password.
  CHECK(values_found("os.environ['PWD'] = '/srv/app/current'\n", "password").empty());
  const std::string secret = random_string(23, 14, "abcdefghijklmnopqrstuvwxyz0123456789");
  CHECK(values_found("pwd = '" + secret + "'\n", "password") == std::vector<std::string>{secret});
  // A .netrc line separates its words by spaces; "ssh/login style password requests" is a sentence.
  const std::string pw = random_string(22, 12, "abcdefghijklmnopqrstuvwxyz");
  CHECK(values_found("machine imap login bob port imaps password " + pw + "\n", "password") ==
        std::vector<std::string>{pw});
  CHECK(values_found("git-send-email: ssh/login style password requests\n", "password").empty());
}
