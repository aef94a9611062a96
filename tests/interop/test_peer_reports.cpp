// Tests for peer_reports.cpp and baseline_import.cpp: hand-made samples in each tool's documented shape
// (values from a seeded generator) are sniffed and read field by field; broken ones give an Error naming
// the place; and peer findings are matched with keygate's by secret, or by file and line, the rest said.
#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "interop/baseline_import.hpp"
#include "interop/peer_reports.hpp"
#include "support/repo.hpp"

using namespace keygate;
using namespace keygate::interop;
using namespace keygate::test;

namespace {

std::string hex40(std::uint64_t seed) { return random_string(seed, 40, "0123456789abcdef"); }

std::vector<PeerFinding> read(const std::string& text, const std::string& name) {
  const std::optional<PeerFormat> format = sniff(text, name);
  REQUIRE(format);
  return read_peer_report(text, *format, name);
}

}  // namespace

TEST_CASE("interop_gitleaks_json: every field of a finding", "[interop]") {
  const std::string secret = fake_together_key(31), commit = hex40(32);
  const std::string text =
      "[\n {\"Description\": \"Together\", \"StartLine\": 4, \"EndLine\": 4, \"StartColumn\": 3,"
      " \"Match\": \"KEY=" +
      secret + "\", \"Secret\": \"" + secret + "\", \"File\": \"config/app.env\", \"Commit\": \"" + commit +
      "\", \"Author\": \"Ann\", \"Email\": \"ann@example.invalid\", \"Date\": "
      "\"2024-01-02T03:04:05Z\", \"RuleID\": \"together-api-key\", \"Fingerprint\": \"" +
      commit + ":config/app.env:together-api-key:4\"}\n]";
  CHECK(sniff(text, "report.json") == PeerFormat::GitleaksJson);
  const std::vector<PeerFinding> found = read(text, "report.json");
  REQUIRE(found.size() == 1);
  CHECK(found[0].tool == "gitleaks");
  CHECK(found[0].rule == "together-api-key");
  CHECK(found[0].file == "config/app.env");
  CHECK(found[0].line == 4);
  CHECK(found[0].commit == commit);
  CHECK(found[0].secret == secret);
  CHECK(found[0].author == "Ann");
  CHECK(found[0].fingerprint == commit + ":config/app.env:together-api-key:4");
  CHECK_THROWS_WITH(read_peer_report("[{\"File\": \"a\"}]", PeerFormat::GitleaksJson, "g.json"),
                    Catch::Contains("g.json: /0/RuleID: missing"));
  CHECK_THROWS_WITH(read_peer_report("[{", PeerFormat::GitleaksJson, "g.json"),
                    Catch::Contains("g.json: byte"));
  // keygate's own report is not gitleaks'.
  CHECK(!sniff("[{\"rule\": \"x\", \"fingerprint\": \"y\"}]", "report.json"));
}

TEST_CASE("interop_gitleaksignore: history and directory fingerprints, comments, bad lines", "[interop]") {
  const std::string commit = hex40(33);
  const std::string text =
      "# triaged\n" + commit + ":src/a:b.py:generic-api-key:12\n\nconfig/x.env:aws-key:3\r\n";
  CHECK(sniff(text, ".gitleaksignore") == PeerFormat::GitleaksIgnore);
  CHECK(sniff(text, "ignored.txt") == PeerFormat::GitleaksIgnore);
  const std::vector<PeerFinding> found = read(text, ".gitleaksignore");
  REQUIRE(found.size() == 2);
  CHECK(found[0].commit == commit);
  CHECK(found[0].file == "src/a:b.py");
  CHECK(found[0].rule == "generic-api-key");
  CHECK(found[0].line == 12);
  CHECK(found[0].triage == "ignored");
  CHECK(found[1].commit.empty());
  CHECK(found[1].file == "config/x.env");
  CHECK(found[1].line == 3);
  CHECK_THROWS_WITH(
      read_peer_report("a:b:c\nnot a fingerprint\n", PeerFormat::GitleaksIgnore, ".gitleaksignore"),
      Catch::Contains(".gitleaksignore:1:"));
}

TEST_CASE("interop_trufflehog: line-delimited JSON from git and filesystem sources", "[interop]") {
  const std::string a = fake_together_key(34), b = random_string(35, 40, "abcdef0123456789"),
                    commit = hex40(36);
  const std::string text =
      "{\"SourceMetadata\":{\"Data\":{\"Git\":{\"commit\":\"" + commit +
      "\",\"file\":\"deploy/.env\",\"email\":\"Bo "
      "<bo@example.invalid>\",\"repository\":\"https://example.invalid/r\","
      "\"timestamp\":\"2024-02-03 04:05:06 "
      "+0000\",\"line\":7}}},\"SourceID\":1,\"SourceType\":16,\"SourceName\":"
      "\"trufflehog - git\",\"DetectorType\":999,\"DetectorName\":\"TogetherAI\",\"DecoderName\":\"PLAIN\","
      "\"Verified\":false,\"Raw\":\"" +
      a +
      "\",\"Redacted\":\"\",\"ExtraData\":null}\n"
      "{\"SourceMetadata\":{\"Data\":{\"Filesystem\":{\"file\":\"/home/u/r/keys.txt\",\"line\":2}}},"
      "\"DetectorName\":\"Github\",\"Verified\":true,\"Raw\":\"" +
      b + "\"}\n";
  CHECK(sniff(text, "th.jsonl") == PeerFormat::TrufflehogJson);
  const std::vector<PeerFinding> found = read(text, "th.jsonl");
  REQUIRE(found.size() == 2);
  CHECK(found[0].rule == "TogetherAI");
  CHECK(found[0].file == "deploy/.env");
  CHECK(found[0].commit == commit);
  CHECK(found[0].line == 7);
  CHECK(found[0].secret == a);
  CHECK(found[0].repository == "https://example.invalid/r");
  CHECK(found[1].file == "/home/u/r/keys.txt");
  CHECK(found[1].secret == b);
  CHECK_THROWS_WITH(read_peer_report("{}\n{\"x\":\n", PeerFormat::TrufflehogJson, "th.jsonl"),
                    Catch::Contains("th.jsonl:1: /DetectorName: missing"));
}

TEST_CASE("interop_detect_secrets: hashed secrets by file, line and type, with triage", "[interop]") {
  const std::string h1 = hex40(37), h2 = hex40(38);
  const std::string text =
      "{\n  \"version\": \"1.4.0\",\n  \"plugins_used\": [{\"name\": \"KeywordDetector\"}],\n"
      "  \"results\": {\n    \"app/settings.py\": [\n      {\"type\": \"Secret Keyword\", "
      "\"filename\": \"app/settings.py\", \"hashed_secret\": \"" +
      h1 +
      "\", \"is_verified\": false, \"line_number\": 9, \"is_secret\": false}\n    ],\n"
      "    \"b/c.env\": [{\"type\": \"Hex High Entropy String\", \"hashed_secret\": \"" +
      h2 + "\", \"line_number\": 1}]\n  },\n  \"generated_at\": \"2024-01-01T00:00:00Z\"\n}\n";
  CHECK(sniff(text, ".secrets.baseline") == PeerFormat::DetectSecretsBaseline);
  const std::vector<PeerFinding> found = read(text, ".secrets.baseline");
  REQUIRE(found.size() == 2);
  CHECK(found[0].file == "app/settings.py");
  CHECK(found[0].rule == "Secret Keyword");
  CHECK(found[0].line == 9);
  CHECK(found[0].fingerprint == h1);
  CHECK(found[0].triage == "false_positive");
  CHECK(found[0].secret.empty());
  CHECK(found[1].file == "b/c.env");  // from the results key when "filename" is absent
  CHECK(found[1].triage.empty());
}

TEST_CASE("interop_sarif: results of any tool, with partial fingerprints", "[interop]") {
  const std::string commit = hex40(39);
  const std::string text =
      "{\"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\", \"version\": \"2.1.0\","
      " \"runs\": [{\"tool\": {\"driver\": {\"name\": \"gitleaks\"}}, \"results\": [{\"ruleId\": "
      "\"aws-access-token\", \"locations\": [{\"physicalLocation\": {\"artifactLocation\": "
      "{\"uri\": \"infra/main.tf\"}, \"region\": {\"startLine\": 21}}}], \"partialFingerprints\": "
      "{\"commitSha\": \"" +
      commit + "\", \"author\": \"Cy\"}}]}]}";
  CHECK(sniff(text, "out.sarif") == PeerFormat::Sarif);
  const std::vector<PeerFinding> found = read(text, "out.sarif");
  REQUIRE(found.size() == 1);
  CHECK(found[0].tool == "gitleaks");
  CHECK(found[0].rule == "aws-access-token");
  CHECK(found[0].file == "infra/main.tf");
  CHECK(found[0].line == 21);
  CHECK(found[0].commit == commit);
  CHECK(found[0].author == "Cy");
  CHECK_THROWS_WITH(read_peer_report("{\"version\": \"1.0\", \"runs\": []}", PeerFormat::Sarif, "o.sarif"),
                    Catch::Contains("o.sarif: /version"));
}

TEST_CASE("interop_map: by secret, by file and line, and what cannot be mapped", "[interop]") {
  const std::string secret = fake_together_key(40);
  Finding a;
  a.rule_id = "together-api-key";
  a.file = "config/app.env";
  a.line = 4;
  a.end_line = 4;
  a.secret = secret;
  a.fingerprint = "fa";
  Finding b = a;
  b.file = "app/settings.py";
  b.line = 9;
  b.end_line = 9;
  b.secret = random_string(41, 24, "abcdefgh");
  b.fingerprint = "fb";
  PeerFinding by_secret{"gitleaks", "together", "./config/app.env", "", "KEY=" + secret, "", "", "", "",
                        4,          ""};
  PeerFinding by_line{
      "detect-secrets", "Secret Keyword", "/home/u/r/app/settings.py", "", "", "h", "", "", "", 9, ""};
  PeerFinding wrong_line = by_line;
  wrong_line.line = 30;
  PeerFinding no_file = by_line;
  no_file.file = "gone.txt";
  const ImportResult r = map_to_keygate({by_secret, by_line, wrong_line, no_file}, {a, b});
  REQUIRE(r.mapped.size() == 2);
  CHECK(r.mapped[0].fingerprint == "fa");
  CHECK(r.mapped[1].fingerprint == "fb");
  CHECK(r.peers_mapped == 2);
  REQUIRE(r.unmapped.size() == 2);
  CHECK_THAT(r.unmapped[0], Catch::Contains("app/settings.py:30") && Catch::Contains("not on that line"));
  CHECK_THAT(r.unmapped[1], Catch::Contains("gone.txt") && Catch::Contains("finds nothing"));
}
