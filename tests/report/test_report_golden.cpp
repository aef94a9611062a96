// Golden tests for the JSON, text and GitLab reporters (report/json.cpp, text.cpp, gitlab.cpp): each
// renders the sample findings and must match its file in tests/fixtures/expected/ byte for byte, as the
// SARIF report does (test_report.cpp). A change of format is then a visible change of a golden file.
//
// To regenerate after an intended change (then review the diff of tests/fixtures/expected/ and run
// `build/keygate scan tests/fixtures`: the goldens must hold nothing key-shaped):
//   KEYGATE_UPDATE_GOLDEN=1 build/tests/keygate_tests '[golden]'
#include <catch2/catch.hpp>
#include <cstdlib>
#include <sstream>

#include "report/report.hpp"
#include "report/sample_findings.hpp"
#include "support/repo.hpp"

using namespace keygate;
using namespace keygate::test;

namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The lines where `expected` and `actual` differ, each as "-" expected and "+" actual (the first 10).
std::string line_diff(const std::string& expected, const std::string& actual) {
  const std::vector<std::string> want = lines_of(expected), got = lines_of(actual);
  std::string out;
  int shown = 0;
  for (std::size_t i = 0; i < std::max(want.size(), got.size()) && shown < 10; ++i) {
    const bool has_want = i < want.size(), has_got = i < got.size();
    if (has_want && has_got && want[i] == got[i]) continue;
    out += "line " + std::to_string(i + 1) + ":\n";
    if (has_want) out += "  - " + want[i] + "\n";
    if (has_got) out += "  + " + got[i] + "\n";
    ++shown;
  }
  if (out.empty()) out = "(the lines agree: the difference is in the final newline)\n";
  return out;
}

// Checks `actual` against tests/fixtures/expected/`name`; with KEYGATE_UPDATE_GOLDEN set, writes it there
// first. A mismatch shows the differing lines, and writes the whole output to $TMPDIR/NAME for `diff -u`.
void check_golden(const std::string& name, const std::string& actual) {
  const std::string path = std::string(KEYGATE_TEST_FIXTURES) + "/expected/" + name;
  if (std::getenv("KEYGATE_UPDATE_GOLDEN") != nullptr) write_file(path, actual);
  const std::string expected = read_file(path);
  if (actual == expected) {
    SUCCEED(name + " matches its golden file");
    return;
  }
  // The whole output goes to a file too: long lines read better in `diff -u` than wrapped by Catch.
  const char* tmp = std::getenv("TMPDIR");
  const std::string actual_path =
      std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/keygate-actual-" + name;
  write_file(actual_path, actual);
  FAIL_CHECK(name + " differs from its golden file:\n" + line_diff(expected, actual) +
             "See all of it: diff -u " + path + " " + actual_path +
             "\nIf the change is intended: KEYGATE_UPDATE_GOLDEN=1 build/tests/keygate_tests '[golden]'");
}

// `text` with the value of `"end_time": "..."` replaced by a placeholder: the GitLab report's end is the
// time it is written, the one field no context fixes.
std::string without_end_time(std::string text) {
  const std::string field = "\"end_time\": \"";
  const std::size_t at = text.find(field);
  if (at == std::string::npos) return text;
  const std::size_t from = at + field.size(), to = text.find('"', from);
  if (to != std::string::npos) text.replace(from, to - from, "<end>");
  return text;
}

}  // namespace

TEST_CASE("JSON output matches the golden file", "[golden]") {
  const std::string json =
      capture_output([](std::FILE* out) { write_json_report(out, sample_findings(), ReportContext{}); });
  check_golden("report.json", json);
}

TEST_CASE("text output (no colour) matches the golden file", "[golden]") {
  ReportContext context;
  context.color = false;
  const std::string text =
      capture_output([&](std::FILE* out) { write_text_report(out, sample_findings(), context); });
  check_golden("report.txt", text);
}

TEST_CASE("GitLab output matches the golden file, with a fixed start time and version", "[golden]") {
  ReportContext context;
  context.version = "0.0.0-test";
  context.started = 1704164645;  // 2024-01-02T03:04:05Z
  const std::string report =
      capture_output([&](std::FILE* out) { write_gitlab_report(out, sample_findings(), context); });
  CHECK_THAT(report, Catch::Contains("\"start_time\": \"2024-01-02T03:04:05\""));
  check_golden("report.gitlab.json", without_end_time(report));
}

TEST_CASE("a golden mismatch names the differing lines", "[golden]") {
  CHECK(line_diff("a\nb\nc\n", "a\nB\nc\nd\n") == "line 2:\n  - b\n  + B\nline 4:\n  + d\n");
  CHECK(without_end_time(R"({"start_time": "x", "end_time": "2030-01-01T00:00:00"})") ==
        R"({"start_time": "x", "end_time": "<end>"})");
}
