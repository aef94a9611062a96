// Tests for the reporters: JSON escaping, redaction in every format, SARIF against its golden file, and
// reading a baseline back.
#include <catch2/catch.hpp>
#include <cstdio>
#include <functional>

#include "core/error.hpp"
#include "report/report.hpp"
#include "report/sample_findings.hpp"
#include "support/repo.hpp"

using namespace keygate;

namespace {

using test::sample_findings;

// What `write` prints, as a string.
std::string capture(const std::function<void(std::FILE*)>& write) { return test::capture_output(write); }

std::string render(void (*write)(std::FILE*, const std::vector<Finding>&, const ReportContext&),
                   const std::vector<Finding>& findings, Secrets secrets = Secrets::Redacted) {
  ReportContext context;
  context.secrets = secrets;
  return capture([&](std::FILE* out) { write(out, findings, context); });
}

std::string render_sarif(const std::vector<Finding>& findings) {
  ReportContext context;
  context.version = "0.0.0-test";
  return capture([&](std::FILE* out) {
    write_sarif_report(out, findings, context,
                       {{"together-api-key", "Together AI API key", {"together", "ai"}},
                        {"private-key", "Private key", {}}});
  });
}

}  // namespace

TEST_CASE("JSON strings escape quotes, control characters and invalid UTF-8") {
  CHECK(json_string("a\"b\\c\n\t\x01") == "\"a\\\"b\\\\c\\n\\t\\u0001\"");
  CHECK(json_string("\xc3\xa9") == "\"\xc3\xa9\"");
  CHECK(json_string("\xff") == "\"\\ufffd\"");
  CHECK(json_string("\xc3") == "\"\\ufffd\"");
}

TEST_CASE("no report format shows a whole secret unless asked") {
  const auto findings = sample_findings();
  for (const std::string& text :
       {render(write_text_report, findings), render(write_json_report, findings), render_sarif(findings)}) {
    CHECK(text.find("tgp_v1_SAMPLE.sample.SAMPLE.sample.SAMPLE.Ab3d") == std::string::npos);
    CHECK(text.find("tgp_v1_\xe2\x80\xa6"
                    "Ab3d") != std::string::npos);
  }
  CHECK(render(write_json_report, findings, Secrets::Shown)
            .find("tgp_v1_SAMPLE.sample.SAMPLE.sample.SAMPLE.Ab3d") != std::string::npos);
}

TEST_CASE("an empty JSON report is an empty array") { CHECK(render(write_json_report, {}) == "[]\n"); }

TEST_CASE("SARIF output matches the golden file") {
  const std::string sarif = render_sarif(sample_findings());
  const std::string golden_path = std::string(KEYGATE_TEST_FIXTURES) + "/expected/report.sarif";
  if (std::getenv("KEYGATE_UPDATE_GOLDEN") != nullptr) test::write_file(golden_path, sarif);
  CHECK(sarif == test::read_file(golden_path));
}

TEST_CASE("a baseline is read back from a JSON report, and a bad one is named") {
  test::TempDir dir;
  test::write_file(dir / "r.json", render(write_json_report, sample_findings()));
  const auto fingerprints = read_baseline_fingerprints(dir / "r.json");
  REQUIRE(fingerprints.size() == 2);
  CHECK(fingerprints[0] == "together-api-key:src/app config.py:0123456789abcdef");
  test::write_file(dir / "bad.json", "[\n{\"fingerprint\": \n");
  CHECK_THROWS_WITH(read_baseline_fingerprints(dir / "bad.json"),
                    Catch::StartsWith(dir / "bad.json:3:1: not a keygate JSON report"));
  CHECK_THROWS_AS(read_baseline_fingerprints(dir / "missing.json"), Error);
  test::write_file(dir / "not.json", "not json\n");
  CHECK_THROWS_WITH(read_baseline_fingerprints(dir / "not.json"),
                    dir / "not.json:1:2: not a keygate JSON report: unexpected character");
  test::write_file(dir / "nested.json",
                   R"({"findings": [{"fingerprint": "a"}, {"fingerprint": 3}], "fingerprint": "b"})");
  CHECK(read_baseline_fingerprints(dir / "nested.json") == std::vector<std::string>{"a", "b"});
}

TEST_CASE("E17 a bad \\u escape in a baseline names file:line:column") {
  test::TempDir dir;
  test::write_file(dir / "u.json", "[\n  {\"fingerprint\": \"a\\u12G4\"}\n]\n");
  CHECK_THROWS_WITH(
      read_baseline_fingerprints(dir / "u.json"),
      dir / "u.json:2:21: not a keygate JSON report: bad \\u escape (four hex digits expected)");
  test::write_file(dir / "short.json", "[{\"fingerprint\": \"\\u12");
  CHECK_THROWS_WITH(read_baseline_fingerprints(dir / "short.json"),
                    Catch::StartsWith(dir / "short.json:1:19: "));
  test::write_file(dir / "pair.json", "[{\"fingerprint\": \"\\ud83d\\ude00\"}]");
  CHECK(read_baseline_fingerprints(dir / "pair.json") == std::vector<std::string>{"\xf0\x9f\x98\x80"});
}

TEST_CASE("E17 the fingerprint of a path that is not UTF-8 round-trips through a JSON report") {
  Finding f = sample_findings()[0];
  f.file = "bad\xff\xfe/na\nme.env";
  f.fingerprint = fingerprint(f.rule_id, f.file, f.secret);
  CHECK(f.fingerprint.find('\n') == std::string::npos);
  test::TempDir dir;
  test::write_file(dir / "r.json", render(write_json_report, {f}));
  CHECK(read_baseline_fingerprints(dir / "r.json") == std::vector<std::string>{f.fingerprint});
  // Escaping keeps paths apart: the hash is over the raw bytes.
  CHECK(fingerprint(f.rule_id, "a\\x0a", f.secret) != fingerprint(f.rule_id, "a\n", f.secret));
}

TEST_CASE("E15 text output escapes control characters in file names and commit authors") {
  std::vector<Finding> findings = sample_findings();
  findings[0].file =
      "evil\x1b]0;owned\x07\x1b[2J\xc2\x9b"
      "1m.env";
  auto commit = std::make_shared<CommitInfo>(*findings[1].commit);
  commit->author = "Mallory\x1b[31m";
  findings[1].commit = commit;
  const std::string text = render(write_text_report, findings);
  CHECK(text.find('\x1b') == std::string::npos);
  CHECK(text.find("\x07") == std::string::npos);
  CHECK(text.find("\xc2\x9b") == std::string::npos);
  CHECK(text.find("evil\\x1b]0;owned\\x07\\x1b[2J\\xc2\\x9b1m.env:3:11:") != std::string::npos);
  CHECK(text.find("Mallory\\x1b[31m") != std::string::npos);
}

TEST_CASE("colour: only when asked, and only in the text report") {
  ReportContext context;
  context.color = true;
  const auto findings = sample_findings();
  const std::string text = capture([&](std::FILE* out) { write_text_report(out, findings, context); });
  CHECK(text.find("\x1b[1;35msrc/app config.py:3:11\x1b[0m") != std::string::npos);
  const std::string json = capture([&](std::FILE* out) { write_json_report(out, findings, context); });
  CHECK(json.find('\x1b') == std::string::npos);
  CHECK(render(write_text_report, findings).find('\x1b') == std::string::npos);
  CHECK_FALSE(use_color(Color::Never, 1));
  CHECK(use_color(Color::Always, 1));
  CHECK_THROWS_AS(parse_color("sometimes"), Error);
}

TEST_CASE("the GitLab report has the schema's required fields and no whole secret") {
  const std::string report = render(write_gitlab_report, sample_findings());
  for (const char* field :
       {"\"version\": \"15.", "\"vulnerabilities\": [", "\"category\": \"secret_detection\"",
        "\"identifiers\": [", "\"location\": {\"file\": ", "\"commit\": {\"sha\": ",
        "\"scan\": {\"analyzer\": ", "\"type\": \"secret_detection\"", "\"status\": \"success\""}) {
    CHECK(report.find(field) != std::string::npos);
  }
  CHECK(report.find("tgp_v1_SAMPLE.sample.SAMPLE.sample.SAMPLE.Ab3d") == std::string::npos);
  CHECK(render(write_gitlab_report, {}).find("\"vulnerabilities\": []") != std::string::npos);
}

TEST_CASE("decoded shows in every format only when set; a commit-message finding has no file") {
  std::vector<Finding> findings = sample_findings();
  for (const auto& text :
       {render(write_text_report, findings), render(write_json_report, findings), render_sarif(findings)}) {
    CHECK(text.find("decoded") == std::string::npos);
  }
  findings[0].decoded = "base64>percent";
  findings[1].decoded = "base64";
  CHECK_THAT(render(write_text_report, findings), Catch::Contains("    decoded      base64>percent\n"));
  CHECK_THAT(render(write_json_report, findings), Catch::Contains("\"decoded\": \"base64>percent\""));
  const std::string sarif = render_sarif(findings);
  CHECK_THAT(sarif, Catch::Contains("\"properties\": {\"decoded\": \"base64>percent\"}"));
  CHECK_THAT(sarif, Catch::Contains("\"date\": \"2024-01-02T03:04:05+00:00\", \"decoded\": \"base64\""));

  Finding message = sample_findings()[1];
  message.kind = SourceKind::CommitMessage;
  message.file.clear();
  message.line = 0;
  CHECK_THAT(render(write_text_report, {message}), Catch::Contains("(commit message): private-key"));
}
