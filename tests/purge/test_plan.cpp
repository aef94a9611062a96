// Tests for plan.cpp and encodings.cpp: each encoded form is what an encoder writes (and what keygate's
// decoders read back to the secret), the files the rewriters read are in their syntax and read back, a
// report with redacted secrets is refused, and the private files are 0600 whatever the umask.
#include <sys/stat.h>

#include <algorithm>
#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "detect/decode.hpp"
#include "purge/plan.hpp"
#include "support/repo.hpp"

using namespace keygate;
using namespace keygate::purge;
using namespace keygate::test;

namespace {

bool has(const std::vector<std::string>& forms, const std::string& form) {
  return std::find(forms.begin(), forms.end(), form) != forms.end();
}

}  // namespace

TEST_CASE("purge_encodings: base64 forms decode back to the secret at every alignment", "[purge]") {
  const std::string secret = fake_together_key(1);
  const std::vector<std::string> forms = encoded_forms(secret, "base64");
  REQUIRE(!forms.empty());
  for (const std::string prefix : {"", "A", "AB"}) {
    // The encoding of the secret inside a longer text holds one of the alignment forms.
    const std::string text = prefix + secret + "\n";
    static constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string encoded;
    for (std::size_t i = 0; i < text.size(); i += 3) {
      unsigned v = 0;
      for (std::size_t k = 0; k < 3; ++k)
        v = v << 8 | (i + k < text.size() ? static_cast<unsigned char>(text[i + k]) : 0);
      for (int k = 0; k < 4; ++k) encoded += kB64[(v >> (18 - 6 * k)) & 63];
    }
    bool contained = false;
    for (const std::string& f : forms) contained = contained || encoded.find(f) != std::string::npos;
    CHECK(contained);
  }
  std::string decoded;
  REQUIRE(decode_base64(forms.front(), decoded, 1 << 20));
  CHECK(decoded == secret);
}

TEST_CASE("purge_encodings: hex, percent and escapes along a chain", "[purge]") {
  const std::string secret = "pw/" + random_string(3, 20, "abcdef0123");
  const std::vector<std::string> hex = encoded_forms(secret, "hex");
  std::string decoded;
  REQUIRE(decode_hex(hex.front(), decoded, 1 << 20));
  CHECK(decoded == secret);
  const std::vector<std::string> percent = encoded_forms(secret, "percent");
  CHECK(has(percent, "pw%2F" + secret.substr(3)));
  CHECK(has(encoded_forms(secret, "json"), "pw\\/" + secret.substr(3)));
  // base64 of the percent-encoded secret: the inner form is kept, and the outer one decodes to it.
  const std::vector<std::string> chain = encoded_forms(secret, "base64>percent");
  CHECK(has(chain, "pw%2F" + secret.substr(3)));
  bool outer = false;
  for (const std::string& f : chain) {
    std::string d;
    if (f.size() % 4 == 0 && decode_base64(f, d, 1 << 20) && d == "pw%2F" + secret.substr(3)) outer = true;
  }
  CHECK(outer);
  CHECK(encoded_forms(secret, "").empty());
}

TEST_CASE("purge_plan: the expressions file is filter-repo's syntax, longest first, and reads back",
          "[purge]") {
  Plan plan;
  const std::string a = fake_together_key(2), b = fake_together_key(3);
  plan.add(a, "together-api-key", "");
  plan.add(b, "together-api-key", "base64");
  plan.add(a, "together-api-key", "");  // once
  REQUIRE(plan.secrets.size() == 2);
  const std::string text = filter_repo_expressions(plan);
  std::vector<std::string> lines;
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t end = text.find('\n', at);
    lines.push_back(text.substr(at, end - at));
    at = end + 1;
  }
  for (std::size_t i = 0; i < lines.size(); ++i) {
    CHECK(lines[i].rfind("literal:", 0) == 0);
    CHECK(lines[i].size() >= 22);
    CHECK(lines[i].substr(lines[i].size() - 22) == "==>REDACTED-BY-KEYGATE");
    if (i > 0) CHECK(lines[i].size() <= lines[i - 1].size());
  }
  const std::vector<std::string> literals = read_expressions(text, "plan");
  CHECK(literals == plan.literals());
  CHECK(has(literals, a));
  CHECK(has(literals, b));
  CHECK(bfg_replacements(plan).find("literal:") == std::string::npos);
}

TEST_CASE("purge_plan: a wrapped encoded span is replaced line by line", "[purge]") {
  Plan plan;
  const std::string secret = fake_together_key(4);
  plan.add(secret, "together-api-key", "base64");
  const std::string line1 = random_string(5, 20, "ABCDEFGH"), line2 = random_string(6, 20, "ABCDEFGH");
  plan.add_encoded_span(secret, line1 + "\n  " + line2 + "\r\nAB");
  CHECK(has(plan.secrets[0].forms, line1));
  CHECK(has(plan.secrets[0].forms, line2));
  CHECK(!has(plan.secrets[0].forms, "AB"));
}

TEST_CASE("purge_plan: regex lines and empty files cannot be checked", "[purge]") {
  CHECK_THROWS_WITH(read_expressions("literal:abcdefgh\nregex:a.*b==>x\n", "f.txt"),
                    Catch::Contains("f.txt:2:"));
  CHECK_THROWS_WITH(read_expressions("\n\n", "f.txt"), Catch::Contains("no literal"));
  CHECK(read_expressions("abcdefgh\nijklmnop==>x\n", "f") ==
        std::vector<std::string>{"abcdefgh", "ijklmnop"});
}

TEST_CASE("purge_plan: a report's secrets, and a report made without --show-secrets refused", "[purge]") {
  const std::string secret = fake_together_key(7);
  Plan plan;
  add_report(plan,
             "[{\"rule\": \"together-api-key\", \"file\": \"a\", \"secret\": \"" + secret +
                 "\", \"decoded\": \"hex\", \"fingerprint\": \"x\"}]",
             "r.json");
  REQUIRE(plan.secrets.size() == 1);
  CHECK(plan.secrets[0].secret == secret);
  CHECK(plan.secrets[0].forms.size() == 3);  // as written, lower and upper hex
  Plan redacted;
  CHECK_THROWS_WITH(add_report(redacted,
                               "[{\"rule\": \"r\", \"secret\": \"tgp_v1_\xE2\x80\xA6"
                               "abcd\"}]",
                               "r.json"),
                    Catch::Contains("--show-secrets"));
  CHECK_THROWS_WITH(add_report(redacted, "[{\"rule\": ", "bad.json"), Catch::Contains("bad.json: byte"));
}

TEST_CASE("purge_plan: private files are 0600 whatever the umask", "[purge]") {
  TempDir dir;
  const mode_t old = ::umask(0);
  write_private_file(dir / "p.txt", "literal:x==>y\n");
  ::umask(old);
  struct stat st;
  REQUIRE(::stat((dir / "p.txt").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK(read_file(dir / "p.txt") == "literal:x==>y\n");
}
