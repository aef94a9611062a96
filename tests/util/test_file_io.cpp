// Tests for file_io.cpp: one reader with one error behaviour, one atomic writer (D12: a full disk leaves
// the old file intact), and filter/suppress.cpp's .keygateignore writer that uses it.
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "core/error.hpp"
#include "filter/suppress.hpp"
#include "support/repo.hpp"
#include "util/file_io.hpp"

using namespace keygate;
using keygate::test::TempDir;
using keygate::test::write_file;

TEST_CASE("read_file reads bytes exactly; a missing file is an Error naming it") {
  TempDir dir;
  write_file(dir / "a", std::string("x\0y\r\n", 5));
  CHECK(load_file(dir / "a") == std::string("x\0y\r\n", 5));
  CHECK_THROWS_WITH(load_file(dir / "missing"), Catch::Contains("missing: cannot read: No such file"));
}

TEST_CASE("load_file_if_exists: absent is nullopt, anything else unreadable is an Error") {
  TempDir dir;
  CHECK_FALSE(load_file_if_exists(dir / "missing").has_value());
  CHECK_FALSE(load_file_if_exists(dir / "missing/below").has_value());
  std::filesystem::create_directory(dir / "a-directory");
  CHECK_THROWS_AS(load_file_if_exists(dir / "a-directory"), Error);
}

TEST_CASE("write_file_atomic replaces the content and keeps the mode; no temporary file is left") {
  TempDir dir;
  write_file(dir / "f", "old\n");
  std::filesystem::permissions(dir / "f", std::filesystem::perms(0600));
  write_file_atomic(dir / "f", "new\n");
  CHECK(load_file(dir / "f") == "new\n");
  CHECK((std::filesystem::status(dir / "f").permissions() & std::filesystem::perms::all) ==
        std::filesystem::perms(0600));
  CHECK(std::distance(std::filesystem::directory_iterator(dir.path()),
                      std::filesystem::directory_iterator()) == 1);
}

TEST_CASE("D12: keygate ignore on a full disk leaves .keygateignore intact") {
  TempDir dir;
  const std::string path = dir / ".keygateignore";
  const std::string before = "# kept\nrule:a.txt:0123456789abcdef\n";
  write_file(path, before);
  std::vector<Finding> findings;
  for (int i = 0; i < 200; ++i) {
    Finding f;
    f.rule_id = "rule";
    f.file = "file" + std::to_string(i) + ".txt";
    f.line = i + 1;
    f.fingerprint = "rule:" + f.file + ":" + std::to_string(1000000 + i);
    findings.push_back(f);
  }
  // A child process whose files cannot grow past 1 KB: the disk is "full" after that.
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    const rlimit limit{1024, 1024};
    ::setrlimit(RLIMIT_FSIZE, &limit);
    try {
      add_to_ignore_file(path, findings);
    } catch (const Error& e) {
      const bool named =
          std::string(e.what()).find(".keygateignore: cannot write: File too large") != std::string::npos;
      ::_exit(named ? 0 : 3);
    }
    ::_exit(1);  // it claimed success
  }
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(load_file(path) == before);
  CHECK(std::distance(std::filesystem::directory_iterator(dir.path()),
                      std::filesystem::directory_iterator()) == 1);
  // Without the limit the same call succeeds and keeps what was there.
  CHECK(add_to_ignore_file(path, findings) == findings.size());
  const std::string after = load_file(path);
  CHECK(after.rfind(before, 0) == 0);
  CHECK(parse_ignore_file(after).size() == findings.size() + 1);
}

TEST_CASE("write_file_atomic: FileMode::Executable gives 0755 whatever was there; `what` names the file") {
  TempDir dir;
  write_file(dir / "hook", "old");
  ::chmod((dir / "hook").c_str(), 0600);
  write_file_atomic(dir / "hook", "new", FileMode::Executable, "hook");
  CHECK(load_file(dir / "hook") == "new");
  struct stat st {};
  REQUIRE(::stat((dir / "hook").c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0755);
  CHECK_THROWS_WITH(write_file_atomic(dir / "missing-dir/hook", "x", FileMode::Executable, "hook"),
                    Catch::EndsWith("missing-dir/hook: cannot write hook: No such file or directory"));
  CHECK_THROWS_WITH(load_file(dir / "missing", "the existing hook"),
                    Catch::EndsWith("missing: cannot read the existing hook: No such file or directory"));
}
