// Tests for redact.cpp: secrets replaced, everything else byte for byte, JSON fields blanked, long lines
// and secrets across read boundaries, in-place rewriting.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "config/config.hpp"
#include "core/finding.hpp"
#include "core/scanner.hpp"
#include "redact/redact.hpp"
#include "support/repo.hpp"

using namespace keygate;
using keygate::test::fake_together_key;

namespace {

Scanner& scanner() {
  static const RuleSet rules(default_config());
  static FindingCollector unused;
  static Scanner scanner(rules, ScanSettings{}, unused);
  return scanner;
}

// Runs redact_stream over `input` through real files; returns the output.
std::string through_stream(const std::string& input, RedactStats& stats, RedactOptions options = {},
                           bool line_buffered = false) {
  test::TempDir dir;
  test::write_file(dir / "in", input);
  const int in = ::open((dir / "in").c_str(), O_RDONLY);
  const int out = ::open((dir / "out").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  redact_stream(scanner(), options, in, out, "in", line_buffered, stats);
  ::close(in);
  ::close(out);
  return test::read_file(dir / "out");
}

}  // namespace

TEST_CASE("a key in a log line becomes its redacted form; other bytes are unchanged") {
  const std::string k = fake_together_key(1);
  const std::string input = "start\r\nINFO calling with TOGETHER_API_KEY=" + k + " \xff\xfe done\r\nend";
  RedactStats stats;
  const std::string out = through_stream(input, stats);
  CHECK(out.find(k) == std::string::npos);
  CHECK(out == "start\r\nINFO calling with TOGETHER_API_KEY=tgp_v1_\xe2\x80\xa6" + k.substr(k.size() - 4) +
                   " \xff\xfe done\r\nend");
  CHECK(stats.secrets == 1);
}

TEST_CASE("a mask template replaces secrets with the rule id") {
  const std::string k = fake_together_key(2);
  RedactOptions options;
  options.mask = "[REDACTED:{rule}]";
  RedactStats stats;
  CHECK(through_stream("key " + k + "\n", stats, options) == "key [REDACTED:together-api-key]\n");
}

TEST_CASE("JSON Lines: sensitive fields at any depth are blanked, structure and order kept") {
  const std::string k = fake_together_key(3);
  const std::string input =
      R"({"id": 1, "api_key": "abc", "nested": {"System_Prompt": {"x": [1, 2]}, "text": "use )" + k +
      R"("}})"
      "\n"
      "not json at all " +
      k +
      "\n"
      R"({"model_output": "fine", "b": 2})"
      "\n";
  RedactStats stats;
  const std::string out = through_stream(input, stats);
  CHECK(out.find(k) == std::string::npos);
  CHECK(
      out.find(
          R"({"id": 1, "api_key": "[REDACTED]", "nested": {"System_Prompt": "[REDACTED]", "text": "use tgp_v1_)") ==
      0);
  CHECK(out.find(R"({"model_output": "[REDACTED]", "b": 2})"
                 "\n") != std::string::npos);
  CHECK(stats.fields == 3);
  CHECK(stats.invalid_json_lines == 1);
  CHECK(stats.secrets == 2);
}

TEST_CASE("a key in a line longer than a piece is still found, even across the piece boundary") {
  const std::string k = fake_together_key(4);
  for (const std::size_t at : {std::size_t{100}, kRedactPiece - kRedactOverlap - 10, kRedactPiece + 5}) {
    std::string input(kRedactPiece * 2, 'a');
    for (std::size_t i = 0; i < input.size(); i += 97) input[i] = ' ';
    input.replace(at, k.size() + 2, " " + k + " ");
    RedactStats stats;
    const std::string out = through_stream(input, stats);
    INFO("key at " << at);
    CHECK(out.find(k) == std::string::npos);
    CHECK(stats.secrets == 1);
    CHECK(out.size() == input.size() - k.size() + redact(k).size());
  }
}

TEST_CASE("a private key arriving line by line is redacted whole") {
  const std::string body =
      test::random_string(5, 64, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
  std::string pem =
      "-----BEGIN RSA PRIVATE"
      " KEY-----\n";
  for (int i = 0; i < 12; ++i) pem += body + "\n";
  pem +=
      "-----END RSA PRIVATE"
      " KEY-----\n";
  RedactStats stats;
  const std::string out = through_stream("log line\n" + pem + "after\n", stats, {}, true);
  CHECK(out.find(body) == std::string::npos);
  CHECK(out.rfind("log line\n", 0) == 0);
  CHECK(out.find("after\n") != std::string::npos);
}

TEST_CASE("in place: the file is rewritten atomically with its mode kept") {
  test::TempDir dir;
  const std::string k = fake_together_key(6);
  test::write_file(dir / "app.log", "a\nTOGETHER_API_KEY=" + k + "\nb\n");
  ::chmod((dir / "app.log").c_str(), 0640);
  RedactStats stats;
  redact_file_in_place(scanner(), {}, dir / "app.log", stats);
  CHECK(test::read_file(dir / "app.log").find(k) == std::string::npos);
  struct stat st {};
  ::stat((dir / "app.log").c_str(), &st);
  CHECK((st.st_mode & 0777) == 0640);
  CHECK(test::run_shell("ls " + dir.path() + " | grep -c keygate- | grep -q '^0$'") == 0);
}
