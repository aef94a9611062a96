// Tests for lsp/actions.cpp: the language of a document, the keygate:allow comment in its syntax, and the
// environment-variable replacement of an assigned secret in each language's idiom.
#include <array>
#include <catch2/catch.hpp>
#include <vector>

#include "lsp/actions.hpp"
#include "support/repo.hpp"

using namespace keygate::lsp;

namespace {

// `line` with "@@" replaced by a fake key, and the key's span in it.
struct Line {
  std::string text;
  std::size_t begin, end;
};
Line with_key(std::string line) {
  const std::string key = keygate::test::fake_together_key(5);
  const std::size_t at = line.find("@@");
  line.replace(at, 2, key);
  return {line, at, at + key.size()};
}

// The line after the environment edit for `language`, or "" when there is none.
std::string replaced(const std::string& language, const std::string& line) {
  const Line l = with_key(line);
  std::string variable;
  const std::optional<ByteEdit> e = environment_edit(l.text, l.begin, l.end, language, &variable);
  if (!e) return "";
  std::string out = l.text;
  out.replace(e->begin, e->end - e->begin, e->text);
  return out;
}

}  // namespace

TEST_CASE("lsp actions: the language comes from the client, else from the file name") {
  CHECK(language_of("python", "x.txt") == "python");
  CHECK(language_of("", "src/app.ts") == "typescript");
  CHECK(language_of("plaintext", "deploy/.env.production") == "dotenv");
  CHECK(language_of("", "Dockerfile") == "dockerfile");
  CHECK(language_of("", "notes") == "");
}

TEST_CASE("lsp actions: keygate:allow is a comment in the document's language") {
  const auto comment = [](const std::string& language) {
    const std::string text = "x = 1  \nnext\n";
    const std::optional<ByteEdit> e = allow_comment_edit(text, 0, 7, language);
    return e ? text.substr(0, e->begin) + e->text + text.substr(e->end) : std::string();
  };
  CHECK(comment("python") == "x = 1  # keygate:allow  \nnext\n");
  CHECK(comment("go") == "x = 1  // keygate:allow  \nnext\n");
  CHECK(comment("sql") == "x = 1  -- keygate:allow  \nnext\n");
  CHECK(comment("html") == "x = 1  <!-- keygate:allow -->  \nnext\n");
  CHECK(comment("css") == "x = 1  /* keygate:allow */  \nnext\n");
  CHECK(comment("") == "x = 1  # keygate:allow  \nnext\n");
  CHECK(comment("json").empty());  // JSON has no comments
}

TEST_CASE("lsp actions: an assigned secret becomes the language's environment lookup") {
  // language, the line ("@@": the key), the line after the action
  const std::vector<std::array<std::string, 3>> cases = {
      {"python", "api_key = \"@@\"", "api_key = os.environ[\"API_KEY\"]"},
      {"python", "    TOGETHER_KEY: str = '@@'  # prod",
       "    TOGETHER_KEY: str = os.environ[\"TOGETHER_KEY\"]  # prod"},
      {"javascript", "const apiKey = \"@@\";", "const apiKey = process.env.API_KEY;"},
      {"typescript", "  token: `@@`,", "  token: process.env.TOKEN,"},
      {"go", "\tapiKey := \"@@\"", "\tapiKey := os.Getenv(\"API_KEY\")"},
      {"go", "var apiKey string = \"@@\"", "var apiKey string = os.Getenv(\"API_KEY\")"},
      {"shellscript", "export TOGETHER_API_KEY=\"@@\"", "export TOGETHER_API_KEY=\"$TOGETHER_API_KEY\""},
      {"shellscript", "TOKEN=@@", "TOKEN=\"$TOKEN\""},
      {"dotenv", "TOGETHER_API_KEY=@@", "TOGETHER_API_KEY=${TOGETHER_API_KEY}"},
      {"yaml", "  api-key: \"@@\"", "  api-key: ${API_KEY}"},
      {"java", "String apiKey = \"@@\";", "String apiKey = System.getenv(\"API_KEY\");"},
      {"ruby", "API_KEY = \"@@\"", "API_KEY = ENV[\"API_KEY\"]"},
      {"rust", "let api_key: &str = \"@@\";",
       "let api_key: &str = std::env::var(\"API_KEY\").unwrap_or_default();"},
      {"csharp", "var apiKey = \"@@\";", "var apiKey = Environment.GetEnvironmentVariable(\"API_KEY\");"},
      {"php", "$apiKey = '@@';", "$apiKey = getenv('API_KEY');"},
      {"php", "  'api_key' => '@@',", "  'api_key' => getenv('API_KEY'),"},
      {"javascript", "  \"apiKey\": \"@@\",", "  \"apiKey\": process.env.API_KEY,"},
      {"python", "config[\"api_key\"] = \"@@\"", "config[\"api_key\"] = os.environ[\"API_KEY\"]"},
      {"python", "self.api_key = \"@@\"", "self.api_key = os.environ[\"API_KEY\"]"},
  };
  for (const auto& [language, line, expected] : cases) {
    INFO(language << ": " << line);
    CHECK(replaced(language, line) == expected);
  }
}

TEST_CASE("lsp actions: no environment lookup where the secret is not a whole assigned value") {
  CHECK(replaced("python", "call(\"@@\")").empty());             // not assigned
  CHECK(replaced("python", "if key == \"@@\":").empty());        // compared
  CHECK(replaced("python", "auth = \"Bearer @@\"").empty());     // part of a longer string
  CHECK(replaced("python", "api_key = @@").empty());             // unquoted in code
  CHECK(replaced("dotenv", "URL=https://x/?k=@@&v=1").empty());  // part of a longer value
  CHECK(replaced("json", "\"api_key\": \"@@\"").empty());        // JSON cannot read the environment
  CHECK(replaced("", "api_key = \"@@\"").empty());               // an unknown language
}

TEST_CASE("lsp actions: environment variable names") {
  CHECK(environment_name("apiKey") == "API_KEY");
  CHECK(environment_name("HTTPServerToken") == "HTTP_SERVER_TOKEN");
  CHECK(environment_name("db.password") == "DB_PASSWORD");
  CHECK(environment_name("api-key2") == "API_KEY2");
  CHECK(environment_name("ALREADY_SNAKE") == "ALREADY_SNAKE");
  CHECK(environment_name("9lives").empty());
  CHECK(environment_name("--").empty());
}
