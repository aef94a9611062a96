// Tests for matcher.cpp: the Together rules in every text context a user meets, placeholders, the secret
// group, entropy, allowlists, inline suppression and chunk ownership.
#include <algorithm>
#include <catch2/catch.hpp>
#include <random>

#include "config/config.hpp"
#include "detect/matcher.hpp"
#include "support/repo.hpp"

using namespace keygate;
using keygate::test::fake_together_key;

namespace {

const RuleSet& defaults() {
  static const RuleSet rules(default_config());
  return rules;
}

std::vector<Finding> find(const std::string& text, const RuleSet& rules = defaults(),
                          const std::string& path = "f.txt") {
  Fragment f;
  f.text = text;
  f.origin.path = path;
  return detect(rules, f);
}

std::vector<std::string> secrets(const std::vector<Finding>& findings) {
  std::vector<std::string> out;
  for (const Finding& f : findings) out.push_back(f.secret);
  return out;
}

}  // namespace

TEST_CASE("a Together key is found in every text context") {
  const std::string k = fake_together_key(1);
  const std::vector<std::string> contexts = {
      k,
      "TOGETHER_API_KEY=" + k,
      "TOGETHER_API_KEY=\"" + k + "\"",
      "export TOGETHER_API_KEY='" + k + "'",
      "api_key = `" + k + "`",                               // JS template / shell
      "const key = \"" + k + "\";",                          // C, JS
      "key := \"" + k + "\"",                                // Go
      "let key = r#\"" + k + "\"#;",                         // Rust raw string
      "together:\n  api_key: " + k + "\n",                   // YAML
      "[together]\napi_key = \"" + k + "\"\n",               // TOML / INI
      "{\"api_key\": \"" + k + "\"}",                        // JSON
      "{\"source\": [\"key = \\\"" + k + "\\\"\\n\"]}",      // notebook: escaped quotes
      "{\"text\": \"my key is\\n" + k + "\\nthanks\"}",      // JSONL: escaped newline before the key
      "https://api.example.invalid/?key=" + k + "&model=x",  // URL query
      "https://example.invalid/" + k + "/models",            // URL path
      "key%3D" + k + "%26x",                                 // URL-encoded
      "name,key,team\nbob," + k + ",ml\n",                   // CSV
      "line1\r\nTOGETHER_API_KEY=" + k + "\r\nline3\r\n",    // CRLF
      "first\nlast line without newline " + k,               // no trailing newline
      "\xff\xfe" + k + "\xc3\x28",                           // beside invalid UTF-8
      "<key>" + k + "</key>",                                // XML
  };
  for (const std::string& text : contexts) {
    INFO("context #" << (&text - contexts.data()));
    const auto found = find(text);
    REQUIRE(found.size() == 1);
    CHECK(found[0].rule_id == "together-api-key");
    CHECK((found[0].secret == k));
  }
}

TEST_CASE("a key on a 100 KB minified line is found with its column") {
  const std::string k = fake_together_key(2);
  std::string line;
  while (line.size() < 100000) line += "a:1,b:[2,3],";
  const std::string text = line + "k:\"" + k + "\"," + line;
  const auto found = find(text);
  REQUIRE(found.size() == 1);
  CHECK(found[0].line == 1);
  CHECK(found[0].column == static_cast<int>(line.size()) + 4);
}

TEST_CASE("several keys on one line, even with one delimiter between them, are all found") {
  const std::string a = fake_together_key(3), b = fake_together_key(4);
  CHECK((secrets(find(a + "," + b)) == std::vector<std::string>{a, b}));
  CHECK((secrets(find(a + " " + b + "\n" + a)).size() == 3));
}

TEST_CASE("a key that is part of a longer token is not reported") {
  const std::string k = fake_together_key(5);
  CHECK(find(k + "A").empty());
  CHECK(find(k + "-").empty());
  CHECK(find("x" + k).empty());
  CHECK(find("_" + k).empty());
  CHECK(find(k.substr(0, k.size() - 1)).empty());
}

TEST_CASE("placeholder bodies do not fire") {
  CHECK(find("TOGETHER_API_KEY=tgp_v1_" + std::string(43, 'x')).empty());
  CHECK(find("TOGETHER_API_KEY=tgp_v1_" + std::string(43, '0')).empty());
  CHECK(find("TOGETHER_API_KEY=tgp_v1_abababababababababababababababababababababa").empty());
  CHECK(find("TOGETHER_API_KEY=tgp_v1_<your-api-key>").empty());
}

TEST_CASE("legacy 64-hex keys fire only where the line names Together") {
  const std::string hex = keygate::test::random_string(7, 64, "0123456789abcdef");
  for (const std::string& text :
       {"TOGETHER_API_KEY=" + hex, "together_key: " + hex, "Together(api_key=\"" + hex + "\")",
        "os.environ[\"TOGETHER_API_KEY\"] = \"" + hex + "\""}) {
    const auto found = find(text);
    REQUIRE(found.size() == 1);
    CHECK(found[0].rule_id == "together-api-key-legacy");
    CHECK((found[0].secret == hex));
  }
  CHECK(find("sha256 = \"" + hex + "\"").empty());
  CHECK(find("\"integrity\": \"" + hex + "\"").empty());
  CHECK(find("TOGETHER_API_KEY=" + std::string(64, 'a')).empty());
}

TEST_CASE("line and column point at the secret") {
  const std::string k = fake_together_key(8);
  const auto found = find("a\nbb\n  key = \"" + k + "\"\n");
  REQUIRE(found.size() == 1);
  CHECK(found[0].line == 3);
  CHECK(found[0].column == 10);
  CHECK(found[0].end_line == 3);
}

TEST_CASE("an inline keygate:allow or gitleaks:allow suppresses the finding on that line only") {
  const std::string k = fake_together_key(9);
  CHECK(find("key = \"" + k + "\"  # keygate:allow\n").empty());
  CHECK(find("key = \"" + k + "\"  // gitleaks:allow\n").empty());
  CHECK(find("# keygate:allow\nkey = \"" + k + "\"\n").size() == 1);
}

TEST_CASE("allowlists: stopwords, regexes on each target, paths, AND") {
  const Config c = parse_config(R"([[rules]]
id = "x"
regex = '''(?:key|tok)=([a-z0-9]{12})'''
[[rules.allowlists]]
stopwords = ["example"]
[[rules.allowlists]]
regexTarget = "line"
regexes = ['''^#''']
[[rules.allowlists]]
condition = "AND"
paths = ['''test''']
regexes = ['''^tok=''']
regexTarget = "match"
)",
                                "t.toml");
  const RuleSet rules(c);
  CHECK(find("key=ab12example1", rules).empty());
  CHECK(find("# key=ab12cd34ef56", rules).empty());
  CHECK(find("key=ab12cd34ef56", rules).size() == 1);
  CHECK(find("tok=ab12cd34ef56", rules, "src/a.txt").size() == 1);
  CHECK(find("tok=ab12cd34ef56", rules, "test/a.txt").empty());
  CHECK(find("key=ab12cd34ef56", rules, "test/a.txt").size() == 1);
}

TEST_CASE("global allowlists apply to their target rules only") {
  const Config c = parse_config(R"([[rules]]
id = "a"
regex = '''a=(\d{6})'''
[[rules]]
id = "b"
regex = '''b=(\d{6})'''
[[allowlists]]
regexes = ['''^123''']
targetRules = ["a"]
)",
                                "t.toml");
  const RuleSet rules(c);
  CHECK(find("a=123456", rules).empty());
  CHECK(find("b=123456", rules).size() == 1);
}

TEST_CASE("secretGroup 0 takes the first non-empty group; entropy filters") {
  const Config c = parse_config(R"([[rules]]
id = "x"
regex = '''(?:A=(\w+)|B=(\w+))'''
entropy = 2.0
)",
                                "t.toml");
  const RuleSet rules(c);
  CHECK((secrets(find("B=q8w7e6r5", rules)) == std::vector<std::string>{"q8w7e6r5"}));
  CHECK(find("B=aaaaaaaa", rules).empty());
}

TEST_CASE("a path rule applies only to matching paths") {
  const Config c = parse_config("[[rules]]\nid = 'x'\nregex = 'pw=(\\w+)'\npath = '''\\.env$'''\n", "t.toml");
  const RuleSet rules(c);
  CHECK(find("pw=hunter2", rules, "prod.env").size() == 1);
  CHECK(find("pw=hunter2", rules, "main.c").empty());
}

TEST_CASE("added-line filtering keeps only findings that touch an added line") {
  const std::string k = fake_together_key(10);
  const std::string text = "a\n" + k + "\nb\n" + fake_together_key(11) + "\n";
  const std::vector<LineRange> added = {{4, 4}};
  Fragment f;
  f.text = text;
  f.origin.path = "x";
  f.added_lines = &added;
  const auto found = detect(defaults(), f);
  REQUIRE(found.size() == 1);
  CHECK(found[0].line == 4);
}

TEST_CASE("chunk ownership: a secret is reported only by the chunk it starts in") {
  const std::string k = fake_together_key(12);
  const std::string text = "xxxx " + k + " yyyy";
  Fragment f;
  f.text = text;
  f.origin.path = "x";
  f.report_from = 6;  // the key starts at 5: an earlier chunk owns it
  CHECK(detect(defaults(), f).empty());
  f.report_from = 5;
  f.report_to = 6;
  CHECK(detect(defaults(), f).size() == 1);
}

TEST_CASE("scan_text finds every key of a large text once, across chunk boundaries, with its line") {
  const std::size_t chunk = 16u << 20;
  std::string text(40u << 20, 'a');
  for (std::size_t i = 1000; i < text.size(); i += 1000) text[i] = '\n';
  // One key straddles the first boundary, one starts just after it, one ends at the text's end.
  std::vector<std::size_t> at = {chunk - 20, chunk + 40, 2 * chunk - 100, text.size() - 52};
  std::vector<std::string> keys;
  for (std::size_t n = 0; n < at.size(); ++n) {
    keys.push_back(fake_together_key(200 + n));
    text[at[n] - 1] = ' ';
    text.replace(at[n], keys.back().size(), keys.back());
    if (at[n] + keys.back().size() < text.size()) text[at[n] + keys.back().size()] = ' ';
  }
  const auto found = detect_in_text(defaults(), text, Origin{SourceKind::File, "big.jsonl", nullptr});
  REQUIRE(found.size() == keys.size());
  for (std::size_t n = 0; n < keys.size(); ++n) {
    CHECK((found[n].secret == keys[n]));  // (no expansion: it would print the key)
    CHECK(found[n].line ==
          1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(at[n]), '\n')));
  }
}

TEST_CASE("a match longer than a window is found whole: the occurrences inside it widen the window") {
  // gitleaks' jwt rule: its hit gate opens a window only at "ey" at a word's start, and a window reaches
  // 16 KB past it; the payload's own occurrences of "ey" carry the search to the token's end.
  const Config c = parse_config(R"([[rules]]
id = 'jwt'
regex = '''\b(ey[a-zA-Z0-9]{17,}\.ey[a-zA-Z0-9\/\\_-]{17,}\.(?:[a-zA-Z0-9\/\\_-]{10,}={0,2})?)(?:[\x60'"\s;]|\\[nr]|$)'''
keywords = ['ey']
)",
                                "t.toml");
  const RuleSet rules(c);
  REQUIRE(rules.rules()[0]->hit_gate() != nullptr);
  std::mt19937 random(71);
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  for (const std::size_t payload : {1000u, 20000u, 70000u}) {
    std::string token = "eyJ";
    for (int i = 0; i < 30; ++i) token += alphabet[random() % alphabet.size()];
    token += ".ey";
    for (std::size_t i = 0; i < payload; ++i) token += alphabet[random() % alphabet.size()];
    token += ".";
    for (int i = 0; i < 43; ++i) token += alphabet[random() % alphabet.size()];
    const std::vector<Finding> found = find("token = " + token + "\n", rules);
    INFO(payload << "-byte payload");
    REQUIRE(found.size() == 1);
    CHECK(found[0].secret == token);
  }
}

TEST_CASE("a generic match that starts a line above a specific rule's secret is reported beside it") {
  // gitleaks' rule samples: <genericToken>\n  CLOJARS_...\n</genericToken> is reported by both its
  // generic-api-key (a match from the element's line) and clojars-api-token; on one line, only the latter.
  const Config c = parse_config(R"([[rules]]
id = 'specific'
regex = '''(SPEC_[a-z0-9]{24})'''
keywords = ['spec_']

[[rules]]
id = 'generic-token'
regex = '''(?i)<[a-z]*token>\s*([A-Za-z0-9_]{24,})'''
tags = ['generic']
keywords = ['token>']
)",
                                "t.toml");
  const RuleSet rules(c);
  std::mt19937 random(72);
  std::string secret = "SPEC_";
  for (int i = 0; i < 24; ++i) secret += "abcdefghijklmnopqrstuvwxyz0123456789"[random() % 36];
  std::vector<std::string> ids;
  for (const Finding& f : find("<genericToken>\n    " + secret + "\n</genericToken>\n", rules))
    ids.push_back(f.rule_id);
  std::sort(ids.begin(), ids.end());
  CHECK(ids == std::vector<std::string>{"generic-token", "specific"});
  ids.clear();
  for (const Finding& f : find("<genericToken>" + secret + "</genericToken>\n", rules))
    ids.push_back(f.rule_id);
  CHECK(ids == std::vector<std::string>{"specific"});
}

TEST_CASE("a provider's key in an Authorization header is reported once, by the provider's rule") {
  // authorization-header and bearer-token-value name the header, not the provider: they are generic, and
  // a Together key (or a GitHub token, a JWT) they read is the provider rule's finding alone.
  const std::string key = test::fake_together_key(31);
  for (const std::string& line :
       {"curl -H \"Authorization: Bearer " + key + "\" https://api.together.xyz/v1/models\n",
        "headers = {\"Authorization\": \"Bearer " + key + "\"}\n"}) {
    const std::vector<Finding> found = find(line);
    INFO(line);
    REQUIRE(found.size() == 1);
    CHECK(found[0].rule_id == "together-api-key");
  }
  // A token no provider rule knows is still reported by the header's rule, as sure as before outside docs
  // (in a .md or .txt, generic findings are one level down).
  std::string unknown = "Zk3pQ8vL";
  unknown += "m2RtX9wB7nY4c";  // made here: no token-shaped literal in the tree
  const std::vector<Finding> found = find(
      "curl -H 'Authorization: Bearer " + unknown + "' https://x.example.org\n", defaults(), "deploy.sh");
  REQUIRE(found.size() == 1);
  CHECK(found[0].rule_id == "authorization-header");
  CHECK(found[0].confidence == Confidence::High);
}
