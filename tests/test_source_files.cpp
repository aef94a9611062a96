// Tests for source_files.cpp: files and directories become fragments with their origin; binary files are
// skipped, UTF-16 files decoded, large files read in overlapping chunks; errors are warnings (exit 2).
#include <catch2/catch.hpp>

#include "config.hpp"
#include "scanner.hpp"
#include "source.hpp"
#include "support/repo.hpp"

using namespace keygate;
using namespace keygate::test;

namespace {

struct Result {
  std::vector<Finding> findings;
  bool incomplete;
};

Result scan_paths(const std::vector<std::string>& paths) {
  static const RuleSet rules(default_config());
  FindingCollector found;
  ScanSettings settings;
  settings.jobs = 2;
  Scanner scanner(rules, settings, found);
  read_paths(paths, scanner);
  return {found.take(), scanner.incomplete()};
}

}  // namespace

TEST_CASE("a directory is walked: each key found with its file, line and SourceKind::File") {
  TempDir dir;
  write_file(dir / "a.txt", "x\n" + fake_together_key(30) + "\n");
  write_file(dir / "sub/.hidden", fake_together_key(31) + "\n");
  write_file(dir / ".git/config", fake_together_key(32) + "\n");  // .git is skipped
  auto r = scan_paths({dir.path()});
  std::sort(r.findings.begin(), r.findings.end(),
            [](const Finding& a, const Finding& b) { return a.file < b.file; });
  REQUIRE(r.findings.size() == 2);
  CHECK(r.findings[0].file == dir / "a.txt");
  CHECK(r.findings[0].line == 2);
  CHECK(r.findings[0].kind == SourceKind::File);
  CHECK(r.findings[1].file == dir / "sub/.hidden");
  CHECK_FALSE(r.incomplete);
}

TEST_CASE("binary files are skipped; UTF-16 files are decoded") {
  TempDir dir;
  write_file(dir / "bin", std::string("\0\0", 2) + fake_together_key(33));
  std::string utf16 = "\xff\xfe";
  for (char c : "k=" + fake_together_key(34) + "\n") utf16 += std::string{c, '\0'};
  write_file(dir / "wide.txt", utf16);
  const auto r = scan_paths({dir / "bin", dir / "wide.txt"});
  REQUIRE(r.findings.size() == 1);
  CHECK(r.findings[0].file == dir / "wide.txt");
}

TEST_CASE("a missing path is a warning that makes the result incomplete, and the rest is still scanned") {
  TempDir dir;
  write_file(dir / "a.txt", fake_together_key(35) + "\n");
  const auto r = scan_paths({dir / "missing", dir / "a.txt"});
  CHECK(r.incomplete);
  CHECK(r.findings.size() == 1);
}
