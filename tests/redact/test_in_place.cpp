// Tests for in_place.cpp and FileReplacement (util/file_io.hpp): `redact --in-place` either replaces the
// file whole or leaves it as it was, refuses what it cannot rewrite safely, and leaves no file behind.
#include <dirent.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <csignal>

#include "config/config.hpp"
#include "core/error.hpp"
#include "core/scanner.hpp"
#include "redact/default_scanner.hpp"
#include "redact/redact.hpp"
#include "support/repo.hpp"
#include "util/file_io.hpp"

using namespace keygate;
using keygate::test::fake_together_key;

namespace {

Scanner& scanner() { return test::default_scanner(); }

// The names in `dir` that do not contain `keep`, each followed by a space.
std::string others_in(const test::TempDir& dir, const std::string& keep) {
  std::string out;
  DIR* d = ::opendir(dir.path().c_str());
  if (d == nullptr) return "(unreadable)";
  while (const dirent* e = ::readdir(d)) {
    const std::string name = e->d_name;
    if (name != "." && name != ".." && name.find(keep) == std::string::npos) out += name + " ";
  }
  ::closedir(d);
  return out;
}

}  // namespace

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
  CHECK(others_in(dir, "app.log").empty());
}

TEST_CASE("#23 item 8: a symbolic link is followed and its target rewritten; the link stays a link") {
  test::TempDir dir;
  const std::string k = fake_together_key(31);
  test::write_file(dir / "real.log", "key " + k + "\n");
  REQUIRE(::symlink("real.log", (dir / "link.log").c_str()) == 0);
  RedactStats stats;
  redact_file_in_place(scanner(), {}, dir / "link.log", stats);
  struct stat st {};
  REQUIRE(::lstat((dir / "link.log").c_str(), &st) == 0);
  CHECK(S_ISLNK(st.st_mode));
  CHECK(test::read_file(dir / "real.log").find(k) == std::string::npos);
  CHECK(stats.secrets == 1);
}

TEST_CASE("#23 item 8: a file with a second hard link, a FIFO and a device are refused, unchanged") {
  test::TempDir dir;
  const std::string k = fake_together_key(32);
  const std::string content = "key " + k + "\n";
  test::write_file(dir / "a.log", content);
  REQUIRE(::link((dir / "a.log").c_str(), (dir / "b.log").c_str()) == 0);
  RedactStats stats;
  CHECK_THROWS_WITH(redact_file_in_place(scanner(), {}, dir / "a.log", stats),
                    Catch::Contains("2 hard links"));
  CHECK(test::read_file(dir / "a.log") == content);
  REQUIRE(::mkfifo((dir / "fifo").c_str(), 0600) == 0);
  // Opening a FIFO with no writer would wait forever: refused at once.
  CHECK_THROWS_WITH(redact_file_in_place(scanner(), {}, dir / "fifo", stats), Catch::Contains("a FIFO"));
  CHECK_THROWS_WITH(redact_file_in_place(scanner(), {}, "/dev/null", stats),
                    Catch::Contains("a character device"));
  CHECK_THROWS_WITH(redact_file_in_place(scanner(), {}, dir.path(), stats), Catch::Contains("a directory"));
  CHECK(others_in(dir, ".log").find("keygate") == std::string::npos);
}

TEST_CASE("#23 item 8: a file open for writing by another process is refused, unchanged") {
  test::TempDir dir;
  const std::string k = fake_together_key(33);
  test::write_file(dir / "live.log", "key " + k + "\n");
  int ready[2];
  REQUIRE(::pipe(ready) == 0);
  const pid_t writer = ::fork();
  if (writer == 0) {
    const int fd = ::open((dir / "live.log").c_str(), O_WRONLY | O_APPEND);
    (void)!::write(ready[1], "x", 1);
    ::pause();
    ::_exit(fd >= 0 ? 0 : 1);
  }
  char c;
  REQUIRE(::read(ready[0], &c, 1) == 1);
  RedactStats stats;
  CHECK_THROWS_WITH(redact_file_in_place(scanner(), {}, dir / "live.log", stats),
                    Catch::Contains("open for writing by another process"));
  ::kill(writer, SIGKILL);
  ::waitpid(writer, nullptr, 0);
  ::close(ready[0]);
  ::close(ready[1]);
  CHECK(test::read_file(dir / "live.log") == "key " + k + "\n");
}

TEST_CASE("#23 item 8: past the file size limit the rewrite fails, the file and directory unchanged") {
  test::TempDir dir;
  const std::string k = fake_together_key(34);
  std::string content;
  while (content.size() < 300000) content += "line " + k + " and some more text\n";
  test::write_file(dir / "big.log", content);
  const pid_t child = ::fork();
  if (child == 0) {
    const rlimit limit{100000, 100000};
    ::setrlimit(RLIMIT_FSIZE, &limit);
    RedactStats stats;
    try {
      redact_file_in_place(scanner(), {}, dir / "big.log", stats);
    } catch (const Error& e) {
      ::_exit(std::string(e.what()).find("File too large") != std::string::npos ? 3 : 4);
    }
    ::_exit(0);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  REQUIRE(WIFEXITED(status));  // not killed by SIGXFSZ
  CHECK(WEXITSTATUS(status) == 3);
  CHECK(test::read_file(dir / "big.log") == content);
  CHECK(others_in(dir, "big.log").empty());
}

TEST_CASE("FileReplacement: nothing is visible before commit, the file replaced after; discarded on error") {
  test::TempDir dir;
  test::write_file(dir / "f", "old");
  {
    FileReplacement r(dir / "f");
    REQUIRE(::write(r.fd(), "new", 3) == 3);
    CHECK(others_in(dir, "f").empty());  // no name until commit (O_TMPFILE here)
    r.keep_attributes(0600, ::geteuid(), ::getegid());
    r.commit();
  }
  CHECK(test::read_file(dir / "f") == "new");
  {
    FileReplacement r(dir / "f");
    REQUIRE(::write(r.fd(), "lost", 4) == 4);
  }
  CHECK(test::read_file(dir / "f") == "new");
  CHECK(others_in(dir, "f").empty());
}
