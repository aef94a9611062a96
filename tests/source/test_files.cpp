// Tests for source/files.cpp: files and directories become fragments with their origin; binary files are
// skipped, UTF-16 files decoded, large files read in overlapping chunks; errors are warnings (exit 2).
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstring>
#include <thread>

#include "config/config.hpp"
#include "core/scanner.hpp"
#include "core/source.hpp"
#include "support/repo.hpp"

using namespace keygate;
using namespace keygate::test;

namespace {

struct Result {
  std::vector<Finding> findings;
  bool incomplete;
};

enum class Listing { Inline, Background };

// read_paths, or a PathListing walked on its own thread and read after it.
Result scan_paths(const std::vector<std::string>& paths, Listing listing = Listing::Inline) {
  static const RuleSet rules(default_config());
  FindingCollector found;
  ScanSettings settings;
  settings.jobs = 2;
  Scanner scanner(rules, settings, found);
  if (listing == Listing::Inline) {
    read_paths(paths, scanner);
  } else {
    PathListing(paths, true).read(scanner, false);
  }
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
  const Listing listing = GENERATE(Listing::Inline, Listing::Background);
  const auto r = scan_paths({dir / "missing", dir / "a.txt"}, listing);
  CHECK(r.incomplete);
  CHECK(r.findings.size() == 1);
}

TEST_CASE("PathListing: a tree listed on its own thread gives read_paths' findings; a dropped one stops") {
  TempDir dir;
  for (int i = 0; i < 40; ++i) {
    write_file(dir / ("d" + std::to_string(i) + "/f.txt"),
               i % 10 == 0 ? fake_together_key(80 + i) + "\n" : "x\n");
  }
  write_file(dir / "data.jsonl", "{\"text\": \"hi\"}\n");
  const auto inline_result = scan_paths({dir.path()}, Listing::Inline);
  const auto background = scan_paths({dir.path()}, Listing::Background);
  CHECK(inline_result.findings.size() == 4);
  CHECK(background.findings.size() == inline_result.findings.size());
  CHECK_FALSE(background.incomplete);
  // The dataset the walk noted reaches the Scanner.
  static const RuleSet rules(default_config());
  FindingCollector found;
  Scanner scanner(rules, ScanSettings{}, found);
  PathListing(std::vector<std::string>{dir.path()}, true).read(scanner, false);
  CHECK(scanner.datasets() == std::vector<std::string>{dir / "data.jsonl"});
  // A run that ends before reading (a bad config) destroys its listing: the walk stops, nothing is read.
  for (int i = 0; i < 20; ++i) PathListing(std::vector<std::string>{dir.path(), "/nonexistent"}, true);
}

TEST_CASE("a file over one chunk, and a pipe on stdin, are read whole: keys before, across and after 16 MB") {
  // The line of each key: one near the start, two around the first chunk's end, one at the very end.
  std::string text;
  std::vector<int> lines;
  int line = 1;
  auto add_key = [&](int seed) {
    text += "k=" + fake_together_key(seed) + "\n";
    lines.push_back(line++);
  };
  add_key(90);
  const std::string filler(99, 'x');
  while (text.size() < kChunkSize - 40) {
    text += filler + "\n";
    ++line;
  }
  add_key(91);
  add_key(92);
  while (text.size() < kChunkSize + 3 * kChunkOverlap) {
    text += filler + "\n";
    ++line;
  }
  add_key(93);
  auto lines_of = [](std::vector<Finding> findings) {
    std::vector<int> out;
    for (const Finding& f : findings) out.push_back(f.line);
    std::sort(out.begin(), out.end());
    return out;
  };
  TempDir dir;
  write_file(dir / "big.txt", text);
  const auto r = scan_paths({dir / "big.txt"});
  CHECK(lines_of(r.findings) == lines);
  CHECK_FALSE(r.incomplete);

  // stdin as a pipe: no size to go by, so the buffer grows from its smallest size as the bytes come.
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  const int saved = ::dup(STDIN_FILENO);
  REQUIRE(::dup2(fds[0], STDIN_FILENO) == STDIN_FILENO);
  ::close(fds[0]);
  std::thread writer([&] {
    for (std::size_t at = 0; at < text.size();) {
      const ssize_t n = ::write(fds[1], text.data() + at, text.size() - at);
      if (n <= 0) break;
      at += static_cast<std::size_t>(n);
    }
    ::close(fds[1]);
  });
  const auto piped = scan_paths({"-"});
  writer.join();
  ::dup2(saved, STDIN_FILENO);
  ::close(saved);
  CHECK(lines_of(piped.findings) == lines);
  CHECK_FALSE(piped.incomplete);
}

// #9 D10: special files and kernel pseudo-filesystems.

TEST_CASE("D10: a FIFO named on the command line is skipped with a warning, not waited on") {
  TempDir dir;
  REQUIRE(::mkfifo((dir / "pipe").c_str(), 0600) == 0);
  write_file(dir / "a.txt", fake_together_key(36) + "\n");
  const auto r = scan_paths({dir / "pipe", dir / "a.txt"});  // returns: no writer ever opens the pipe
  CHECK(r.incomplete);
  CHECK(r.findings.size() == 1);
}

TEST_CASE("D10: a directory holding a FIFO and a socket is walked without blocking or warnings") {
  TempDir dir;
  REQUIRE(::mkfifo((dir / "fifo").c_str(), 0600) == 0);
  const int sock = ::socket(AF_UNIX, SOCK_STREAM, 0);
  REQUIRE(sock >= 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  const std::string sock_path = dir / "sock";
  REQUIRE(sock_path.size() < sizeof(addr.sun_path));
  std::memcpy(addr.sun_path, sock_path.c_str(), sock_path.size() + 1);
  REQUIRE(::bind(sock, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) == 0);
  write_file(dir / "app.env", fake_together_key(37) + "\n");
  const auto r = scan_paths({dir.path()});
  ::close(sock);
  CHECK(r.findings.size() == 1);
  CHECK_FALSE(r.incomplete);
}

TEST_CASE("D10: a /proc/sys file (size 0, content on read) named alone is read without a false error") {
  if (::access("/proc/sys/kernel/ostype", R_OK) != 0) return;  // no /proc/sys here
  const auto r = scan_paths({"/proc/sys/kernel/ostype", "/proc/self/status"});
  CHECK_FALSE(r.incomplete);
}

TEST_CASE("D10: /proc/self named is not walked: one warning, nothing read") {
  if (::access("/proc/self/status", R_OK) != 0) return;  // no /proc here
  const auto r = scan_paths({"/proc/self"});
  CHECK(r.incomplete);
  CHECK(r.findings.empty());
}
