// Tests for source/staged.cpp: only what is staged counts, only added lines count, through real
// repositories built with libgit2 (and the git CLI where a case needs git's own index).
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdio>
#include <tuple>

#include "config/config.hpp"
#include "core/scanner.hpp"
#include "core/source.hpp"
#include "git/git.hpp"
#include "git/index_file.hpp"
#include "support/repo.hpp"

using namespace keygate;
using namespace keygate::test;

namespace {

std::vector<Finding> staged(const TestRepo& repo, const std::string& index_path = "") {
  git::init();
  static const RuleSet rules(default_config());
  FindingCollector scanner_found;
  Scanner scanner(rules, ScanSettings{}, scanner_found);
  read_staged_changes(repo.get(), index_path, scanner);
  return scanner_found.take();
}

// The same, through libgit2's index and git_diff_tree_to_index (the fallback path).
std::vector<Finding> staged_by_libgit2(const TestRepo& repo) {
  git::init();
  static const RuleSet rules(default_config());
  FindingCollector scanner_found;
  Scanner scanner(rules, ScanSettings{}, scanner_found);
  read_staged_changes_with_libgit2(repo.get(), "", scanner);
  return scanner_found.take();
}

// With the given threads, and the bytes the calling thread reads before they join it.
std::vector<Finding> staged_with_jobs(const TestRepo& repo, unsigned jobs,
                                      std::uint64_t parallel_from_bytes) {
  git::init();
  static const RuleSet rules(default_config());
  FindingCollector scanner_found;
  ScanSettings settings;
  settings.jobs = jobs;
  settings.staged_parallel_from_bytes = parallel_from_bytes;
  Scanner scanner(rules, settings, scanner_found);
  read_staged_changes(repo.get(), "", scanner);
  std::vector<Finding> found = scanner_found.take();
  std::sort(found.begin(), found.end(), [](const Finding& a, const Finding& b) {
    return std::tie(a.file, a.line) < std::tie(b.file, b.line);
  });
  return found;
}

// A file name of the large change below, sorted as the index sorts it.
std::string numbered(int n) {
  char name[32];
  std::snprintf(name, sizeof name, "src/file-%03d.txt", n);
  return name;
}

// About 10 KB of prose lines, different for each file, with nothing key-shaped in it.
std::string filler(int file) {
  std::string text;
  for (int line = 0; line < 200; ++line) {
    text += "// note " + std::to_string(file * 1000 + line) + " about the build, nothing secret in here\n";
  }
  return text;
}

}  // namespace

TEST_CASE("first commit: a staged key is found against the empty tree") {
  TestRepo repo;
  const std::string k = fake_together_key(1);
  repo.write("config.py", "import os\nKEY = \"" + k + "\"\n");
  repo.stage("config.py");
  const auto found = staged(repo);
  REQUIRE(found.size() == 1);
  CHECK(found[0].file == "config.py");
  CHECK(found[0].line == 2);
  CHECK((found[0].secret == k));
}

TEST_CASE("clean changes pass") {
  TestRepo repo;
  repo.write("a.txt", "hello\n");
  repo.stage("a.txt");
  repo.commit("one");
  repo.write("a.txt", "hello\nworld\n");
  repo.stage("a.txt");
  CHECK(staged(repo).empty());
}

TEST_CASE("only the index counts: a key only in the work tree passes") {
  TestRepo repo;
  repo.write("a.txt", "hello\n");
  repo.stage("a.txt");
  repo.commit("one");
  repo.write("a.txt", "hello\n" + fake_together_key(2) + "\n");
  CHECK(staged(repo).empty());
}

TEST_CASE("only the index counts: a key staged then removed from the work tree is blocked") {
  TestRepo repo;
  repo.write("a.txt", "hello\n");
  repo.stage("a.txt");
  repo.commit("one");
  repo.write("a.txt", "hello\n" + fake_together_key(3) + "\n");
  repo.stage("a.txt");
  repo.write("a.txt", "hello\n");
  const auto found = staged(repo);
  REQUIRE(found.size() == 1);
  CHECK(found[0].line == 2);
}

TEST_CASE("deleting a line that holds a key passes; keys already committed are not re-reported") {
  TestRepo repo;
  const std::string k = fake_together_key(4);
  repo.write("a.txt", "one\n" + k + "\nthree\n");
  repo.stage("a.txt");
  repo.commit("legacy");
  repo.write("a.txt", "one\nthree\n");
  repo.stage("a.txt");
  CHECK(staged(repo).empty());
  repo.write("b.txt", "x\n");
  repo.write("a.txt", "zero\none\n" + k + "\nthree\nfour\n");
  repo.stage("a.txt");
  repo.commit("back");
  repo.write("a.txt", "zero\none\n" + k + "\nthree\nfour\nfive\n");
  repo.stage("a.txt");
  CHECK(staged(repo).empty());
}

TEST_CASE("a key added to an existing file is reported at its line in the new file") {
  TestRepo repo;
  repo.write("src/app.js", "a\nb\nc\nd\n");
  repo.stage("src/app.js");
  repo.commit("one");
  repo.write("src/app.js", "a\nb\nconst k = '" + fake_together_key(5) + "';\nc\nd\n");
  repo.stage("src/app.js");
  const auto found = staged(repo);
  REQUIRE(found.size() == 1);
  CHECK(found[0].file == "src/app.js");
  CHECK(found[0].line == 3);
  CHECK(found[0].column == 12);
}

TEST_CASE("deep unchanged directories are skipped but a change deep inside is found") {
  TestRepo repo;
  for (int i = 0; i < 30; ++i) {
    repo.write("d" + std::to_string(i % 5) + "/e" + std::to_string(i % 3) + "/f" + std::to_string(i), "x\n");
    repo.stage("d" + std::to_string(i % 5) + "/e" + std::to_string(i % 3) + "/f" + std::to_string(i));
  }
  repo.commit("many");
  repo.write("d3/e1/new.env", "TOGETHER_API_KEY=" + fake_together_key(6) + "\n");
  repo.stage("d3/e1/new.env");
  const auto found = staged(repo);
  REQUIRE(found.size() == 1);
  CHECK(found[0].file == "d3/e1/new.env");
}

TEST_CASE("paths with spaces, unicode and quotes are reported exactly") {
  TestRepo repo;
  const std::string path = "dir with space/\xc3\xa9t\xc3\xa9 \"q\" 'x'.txt";
  repo.write(path, fake_together_key(7) + "\n");
  repo.stage(path);
  const auto found = staged(repo);
  REQUIRE(found.size() == 1);
  CHECK(found[0].file == path);
}

TEST_CASE("binary files are skipped") {
  TestRepo repo;
  repo.write("blob.bin", std::string("\0\x01\x02", 3) + fake_together_key(8));
  repo.stage("blob.bin");
  CHECK(staged(repo).empty());
}

TEST_CASE("an alternative index file (GIT_INDEX_FILE, as in git commit -a) is honoured") {
  TestRepo repo;
  repo.write("a.txt", "hello\n");
  repo.stage("a.txt");
  repo.commit("one");
  REQUIRE(run_shell("cd '" + repo.dir() + "' && cp .git/index .git/other-index") == 0);
  repo.write("a.txt", "hello " + fake_together_key(9) + "\n");
  REQUIRE(run_shell("cd '" + repo.dir() + "' && GIT_INDEX_FILE=.git/other-index git add a.txt") == 0);
  CHECK(staged(repo).empty());
  CHECK(staged(repo, repo.dir() + "/.git/other-index").size() == 1);
}

TEST_CASE(
    "issue 9 C8: a key staged in a split index is found; without its shared index, advice, never a pass") {
  TestRepo repo;
  repo.write("a.txt", fake_together_key(13) + "\n");
  repo.stage("a.txt");
  REQUIRE(run_shell("cd '" + repo.dir() + "' && git update-index --split-index") == 0);
  CHECK(staged(repo).size() == 1);
  REQUIRE(run_shell("rm -f '" + repo.dir() + "'/.git/sharedindex.*") == 0);
  CHECK_THROWS_WITH(staged(repo), Catch::Contains("split index") && Catch::Contains("--no-split-index"));
}

TEST_CASE("the cache-tree fast path and libgit2's diff agree") {
  TestRepo repo;
  for (int i = 0; i < 12; ++i) {
    repo.write("p" + std::to_string(i % 4) + "/f" + std::to_string(i), "line\n");
    repo.stage("p" + std::to_string(i % 4) + "/f" + std::to_string(i));
  }
  repo.commit("one");
  repo.write("p1/f5", "line\n" + fake_together_key(10) + "\n");
  repo.write("p2/new", fake_together_key(11) + "\n");
  repo.write("top", fake_together_key(12) + "\n");
  REQUIRE(run_shell("cd '" + repo.dir() + "' && git add -A") == 0);
  const auto fast = staged(repo);
  const auto slow = staged_by_libgit2(repo);
  REQUIRE(fast.size() == 3);
  REQUIRE(slow.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(fast[i].file == slow[i].file);
    CHECK(fast[i].line == slow[i].line);
  }
}

TEST_CASE("an index this reader does not know goes to libgit2's reader, which must not pass it silently") {
  TestRepo repo;
  repo.write("a.txt", fake_together_key(15) + "\n");
  repo.stage("a.txt");
  // Version 5 does not exist: the fast reader refuses it, the staged check falls back to libgit2 (whose
  // message then names the problem), and the result is an error, never an empty diff.
  std::string bytes = read_file(repo.dir() + "/.git/index");
  bytes[7] = 5;
  write_file(repo.dir() + "/.git/index-v5", bytes);
  REQUIRE_FALSE(read_index_file(repo.dir() + "/.git/index-v5").has_value());
  CHECK_THROWS_WITH(staged(repo, repo.dir() + "/.git/index-v5"), Catch::Contains("index"));
  // The same bytes with the real version number go through the fast reader and find the key.
  bytes[7] = 2;
  write_file(repo.dir() + "/.git/index-v2", bytes);
  CHECK(staged(repo, repo.dir() + "/.git/index-v2").size() == 1);
}

TEST_CASE("a file that only moved (git mv) adds nothing; moved and edited, only its added lines count") {
  TestRepo repo;
  const std::string k = fake_together_key(14);
  repo.write("old/a-b.txt", "x\n");
  repo.write("old/cfg.env", "KEY=" + k + "\n");
  repo.stage("old/a-b.txt");
  repo.stage("old/cfg.env");
  repo.commit("legacy key, from before keygate");
  REQUIRE(run_shell("cd '" + repo.dir() + "' && git mv old new") == 0);
  CHECK(staged(repo).empty());
  CHECK(staged_by_libgit2(repo).empty());
  REQUIRE(run_shell("cd '" + repo.dir() + "' && echo 'OTHER=" + fake_together_key(15) +
                    "' >> new/cfg.env && git add new/cfg.env") == 0);
  // Moved and edited: only the added line counts (the file keeps its name).
  const auto found = staged(repo);
  REQUIRE(found.size() == 1);
  CHECK(found[0].line == 2);
  CHECK(staged_by_libgit2(repo).size() == 1);
}

TEST_CASE("a large staged file (a 20 MB dataset) is scanned whole; only the keys it adds count") {
  TestRepo repo;
  std::string data;
  while (data.size() < (20u << 20)) data += "{\"prompt\": \"hello\", \"completion\": \"world\"}\n";
  const std::string old_key = fake_together_key(220), new_key = fake_together_key(221);
  repo.write("train.jsonl", data + "{\"note\": \"" + old_key + "\"}\n");
  repo.stage("train.jsonl");
  const auto first = staged(repo);
  REQUIRE(first.size() == 1);
  CHECK((first[0].secret == old_key));
  repo.commit("dataset with a key, from before keygate");
  repo.write("train.jsonl", "{\"note\": \"" + new_key + "\"}\n" + data + "{\"note\": \"" + old_key + "\"}\n");
  repo.stage("train.jsonl");
  const auto second = staged(repo);
  REQUIRE(second.size() == 1);
  CHECK((second[0].secret == new_key));
  CHECK(second[0].line == 1);
}

TEST_CASE(
    "B1: a key in a UTF-16 file (with or without BOM, LE or BE) is found at its line in the decoded text") {
  for (const bool little_endian : {true, false}) {
    for (const bool bom : {true, false}) {
      TestRepo repo;
      const std::string k = fake_together_key(40);
      repo.write("e.txt", utf16("Windows Registry Editor\r\nK=" + k + "\r\n", little_endian, bom));
      repo.stage("e.txt");
      for (const auto& found : {staged(repo), staged_by_libgit2(repo)}) {
        REQUIRE(found.size() == 1);
        CHECK(found[0].file == "e.txt");
        CHECK(found[0].line == 2);
        CHECK((found[0].secret == k));
      }
    }
  }
}

TEST_CASE("B1: in a UTF-16 file already committed, only the lines the commit adds count (both decoded)") {
  TestRepo repo;
  const std::string old_key = fake_together_key(41);
  repo.write("e.reg", utf16("A=" + old_key + "\r\n", true, true));
  repo.stage("e.reg");
  repo.commit("one");
  repo.write("e.reg", utf16("A=" + old_key + "\r\nb=2\r\n", true, true));
  repo.stage("e.reg");
  CHECK(staged(repo).empty());
  const std::string k = fake_together_key(42);
  repo.write("e.reg", utf16("A=" + old_key + "\r\nb=2\r\nC=" + k + "\r\n", true, true));
  repo.stage("e.reg");
  const auto found = staged(repo);
  REQUIRE(found.size() == 1);
  CHECK(found[0].line == 3);
  CHECK((found[0].secret == k));
}

TEST_CASE("B3: a symlink whose target holds a key is blocked (its target text is what gets pushed)") {
  TestRepo repo;
  const std::string k = fake_together_key(43);
  REQUIRE(run_shell("cd '" + repo.dir() + "' && ln -s 'token=" + k + "' creds && git add creds") == 0);
  for (const auto& found : {staged(repo), staged_by_libgit2(repo)}) {
    REQUIRE(found.size() == 1);
    CHECK(found[0].file == "creds");
    CHECK(found[0].line == 1);
    CHECK((found[0].secret == k));
  }
}

TEST_CASE("#16: a large staged change scanned by several threads reports exactly the keys it adds") {
  TestRepo repo;
  // HEAD holds files 0-74; file 10 already has a key, which the change keeps.
  const std::string old_key = fake_together_key(100);
  for (int n = 0; n < 75; ++n) {
    repo.write(numbered(n), filler(n) + (n == 10 ? "OLD = \"" + old_key + "\"\n" : ""));
    repo.stage(numbered(n));
  }
  repo.commit("base");
  // The change: every old file edited (lines appended), 75 new files; keys added in five of them.
  std::vector<std::tuple<std::string, int, std::string>> expected;  // (file, line, key)
  for (int n = 0; n < 150; ++n) {
    std::string text =
        n < 75 ? filler(n) + (n == 10 ? "OLD = \"" + old_key + "\"\n" : "") + "// edited\n" : filler(n);
    if (n == 0 || n == 20 || n == 75 || n == 111 || n == 149) {
      const std::string k = fake_together_key(200 + static_cast<std::uint64_t>(n));
      text += "KEY = \"" + k + "\"\n";
      expected.emplace_back(numbered(n), n < 75 ? 202 : 201, k);  // after "// edited" in an old file
    }
    repo.write(numbered(n), text);
    repo.stage(numbered(n));
  }
  const auto one_thread = staged_with_jobs(repo, 1, 0);
  // Helpers from the first file; and with the default threshold (the change is 1.5 MB, over it).
  for (const auto& found : {one_thread, staged_with_jobs(repo, 4, 0),
                            staged_with_jobs(repo, 2, ScanSettings{}.staged_parallel_from_bytes)}) {
    REQUIRE(found.size() == expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
      CHECK(found[i].file == std::get<0>(expected[i]));
      CHECK(found[i].line == std::get<1>(expected[i]));
      CHECK((found[i].secret == std::get<2>(expected[i])));
    }
  }
}

TEST_CASE(
    "#16: an unreadable blob in a change scanned by several threads: the first one in index order is named") {
  TestRepo repo;
  for (int n = 0; n < 40; ++n) {
    repo.write(numbered(n), filler(n));
    repo.stage(numbered(n));
  }
  // Two staged blobs lost from the object database.
  for (const int n : {12, 31}) {
    REQUIRE(run_shell("cd '" + repo.dir() + "' && id=$(git rev-parse ':" + numbered(n) +
                      "') && rm -f .git/objects/$(echo $id | cut -c1-2)/$(echo $id | cut -c3-)") == 0);
  }
  for (int attempt = 0; attempt < 5; ++attempt) {
    try {
      staged_with_jobs(repo, 4, 0);
      FAIL("a missing blob was not reported");
    } catch (const Error& e) {
      CHECK_THAT(e.what(), Catch::Contains(numbered(12) + ": cannot read staged blob"));
    }
  }
}
