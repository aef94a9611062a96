// Tests for source/history.cpp: each secret is attributed to the commit that introduced it.
#include <catch2/catch.hpp>

#include "config/config.hpp"
#include "core/error.hpp"
#include "core/scanner.hpp"
#include "core/source.hpp"
#include "git/git.hpp"
#include "support/repo.hpp"

using namespace keygate;
using namespace keygate::test;

namespace {

std::vector<Finding> history(const TestRepo& repo, std::vector<std::string> ranges = {},
                             std::uint64_t max_size = 0, const RuleSet* custom = nullptr) {
  git::init();
  static const RuleSet defaults(default_config());
  const RuleSet& rules = custom != nullptr ? *custom : defaults;
  ScanSettings settings;
  settings.jobs = 2;
  settings.max_file_size = max_size;
  FindingCollector scanner_found;
  Scanner scanner(rules, settings, scanner_found);
  HistoryOptions options;
  options.ranges = std::move(ranges);
  read_history(repo.get(), options, scanner);
  auto found = scanner_found.take();
  std::sort(found.begin(), found.end(), [](const Finding& a, const Finding& b) {
    return std::tie(a.commit->date, a.file, a.line) < std::tie(b.commit->date, b.file, b.line);
  });
  return found;
}

}  // namespace

TEST_CASE("a key added in the first commit and deleted later is found, attributed to the first commit") {
  TestRepo repo;
  const std::string k = fake_together_key(1);
  repo.write("a.txt", "x\n" + k + "\n");
  repo.stage("a.txt");
  const std::string first = repo.commit("add");
  repo.write("a.txt", "x\n");
  repo.stage("a.txt");
  repo.commit("remove");
  const auto found = history(repo);
  REQUIRE(found.size() == 1);
  CHECK(found[0].commit->id == first);
  CHECK(found[0].commit->author == "Test Author");
  CHECK(found[0].commit->email == "author@example.invalid");
  CHECK(found[0].commit->summary == "add");
  CHECK(found[0].file == "a.txt");
  CHECK(found[0].line == 2);
}

TEST_CASE("later edits of the file do not re-report the key") {
  TestRepo repo;
  const std::string k = fake_together_key(2);
  repo.write("a.txt", k + "\n");
  repo.stage("a.txt");
  const std::string first = repo.commit("add");
  for (int i = 0; i < 3; ++i) {
    repo.write("a.txt", "edit " + std::to_string(i) + "\n" + k + "\n");
    repo.stage("a.txt");
    repo.commit("edit");
  }
  const auto found = history(repo);
  REQUIRE(found.size() == 1);
  CHECK(found[0].commit->id == first);
}

TEST_CASE("add, remove, re-add: each introduction is reported") {
  TestRepo repo;
  const std::string k = fake_together_key(3);
  repo.write("a.txt", k + "\n");
  repo.stage("a.txt");
  const std::string add = repo.commit("add");
  repo.write("a.txt", "gone\n");
  repo.stage("a.txt");
  repo.commit("remove");
  repo.write("a.txt", "back\n" + k + "\n");
  repo.stage("a.txt");
  const std::string readd = repo.commit("re-add");
  const auto found = history(repo);
  REQUIRE(found.size() == 2);
  CHECK(found[0].commit->id == add);
  CHECK(found[1].commit->id == readd);
  CHECK(found[1].line == 2);
}

TEST_CASE("a rename does not re-introduce the key") {
  TestRepo repo;
  const std::string k = fake_together_key(4);
  repo.write("old/a.txt", k + "\n");
  repo.stage("old/a.txt");
  const std::string add = repo.commit("add");
  repo.remove("old/a.txt");
  repo.unstage_removal("old/a.txt");
  repo.write("new/b.txt", "moved and edited\n" + k + "\n");
  repo.stage("new/b.txt");
  repo.commit("rename");
  const auto found = history(repo);
  REQUIRE(found.size() == 1);
  CHECK(found[0].commit->id == add);
  CHECK(found[0].file == "old/a.txt");
}

TEST_CASE("a key from a merged side branch is attributed to the side branch's commit, not the merge") {
  TestRepo repo;
  repo.write("base.txt", "base\n");
  repo.stage("base.txt");
  const std::string base = repo.commit("base");
  repo.write("main.txt", "main\n");
  repo.stage("main.txt");
  const std::string main_tip = repo.commit("main work");
  repo.branch("side", base);
  repo.checkout("side");
  const std::string k = fake_together_key(5);
  repo.write("side.txt", k + "\n");
  repo.stage("side.txt");
  const std::string side = repo.commit("side work");
  repo.checkout("main");
  repo.write("side.txt", k + "\n");
  repo.stage("side.txt");
  repo.commit("merge", {main_tip, side});
  const auto found = history(repo);
  REQUIRE(found.size() == 1);
  CHECK(found[0].commit->id == side);
}

TEST_CASE("an evil merge that adds a new key is attributed to the merge") {
  TestRepo repo;
  repo.write("a.txt", "a\n");
  repo.stage("a.txt");
  const std::string base = repo.commit("base");
  repo.branch("side", base);
  repo.checkout("side");
  repo.write("b.txt", "b\n");
  repo.stage("b.txt");
  const std::string side = repo.commit("side");
  repo.checkout("main");
  repo.write("b.txt", "b\n");
  repo.write("c.txt", fake_together_key(6) + "\n");
  repo.stage("b.txt");
  repo.stage("c.txt");
  const std::string merge = repo.commit("merge", {base, side});
  const auto found = history(repo);
  REQUIRE(found.size() == 1);
  CHECK(found[0].commit->id == merge);
}

TEST_CASE("ranges limit the commits scanned") {
  TestRepo repo;
  repo.write("a.txt", fake_together_key(7) + "\n");
  repo.stage("a.txt");
  const std::string one = repo.commit("one");
  repo.write("b.txt", fake_together_key(8) + "\n");
  repo.stage("b.txt");
  const std::string two = repo.commit("two");
  CHECK(history(repo).size() == 2);
  const auto recent = history(repo, {one + "..HEAD"});
  REQUIRE(recent.size() == 1);
  CHECK(recent[0].commit->id == two);
  CHECK(history(repo, {one}).size() == 1);
  CHECK(history(repo, {"HEAD", "^" + one}).size() == 1);  // what --since-commit passes
  CHECK_THROWS_AS(history(repo, {"no-such-branch"}), Error);
}

TEST_CASE("blobs over the size limit and binary blobs are skipped") {
  TestRepo repo;
  repo.write("big.txt", std::string(5000, 'x') + "\n" + fake_together_key(9) + "\n");
  repo.write("bin.dat", std::string("\0\0", 2) + fake_together_key(10));
  repo.stage("big.txt");
  repo.stage("bin.dat");
  repo.commit("one");
  CHECK(history(repo, {}, 1000).empty());
  CHECK(history(repo, {}, 0).size() == 1);
}

TEST_CASE("an empty repository has no history and no findings") {
  TestRepo repo;
  CHECK(history(repo).empty());
}

TEST_CASE(
    "a path-only rule reports a path once, with the commit that introduced it, however often it changes") {
  const RuleSet rules(parse_config(R"([[rules]]
id = "key-file"
path = '\.pem$'
)",
                                   "paths.toml"));
  TestRepo repo;
  repo.write("server.pem", "one\n");
  repo.stage("server.pem");
  const std::string first = repo.commit("add the key file");
  for (int i = 0; i < 3; ++i) {
    repo.write("server.pem", "version " + std::to_string(i) + "\n");
    repo.stage("server.pem");
    repo.commit("edit");
  }
  const auto found = history(repo, {}, 0, &rules);
  REQUIRE(found.size() == 1);
  CHECK(found[0].rule_id == "key-file");
  CHECK(found[0].file == "server.pem");
  CHECK(found[0].line == 0);
  REQUIRE(found[0].commit != nullptr);
  CHECK(found[0].commit->id == first);
  CHECK(found[0].kind == SourceKind::Commit);
}

TEST_CASE(
    "B1: a key in a UTF-16 file (with or without BOM, LE or BE) is found in history at its decoded line") {
  for (const bool little_endian : {true, false}) {
    for (const bool bom : {true, false}) {
      TestRepo repo;
      const std::string k = fake_together_key(50);
      repo.write("e.txt", utf16("Windows Registry Editor\r\nK=" + k + "\r\n", little_endian, bom));
      repo.stage("e.txt");
      const std::string first = repo.commit("add");
      repo.write("e.txt", utf16("Windows Registry Editor\r\nK=" + k + "\r\nmore\r\n", little_endian, bom));
      repo.stage("e.txt");
      repo.commit("edit");
      const auto found = history(repo);
      REQUIRE(found.size() == 1);  // the edit does not re-introduce it
      CHECK(found[0].commit->id == first);
      CHECK(found[0].file == "e.txt");
      CHECK(found[0].line == 2);
      CHECK((found[0].secret == k));
    }
  }
}

TEST_CASE("B3: a symlink whose target holds a key is found in history") {
  TestRepo repo;
  const std::string k = fake_together_key(51);
  repo.write("a.txt", "x\n");
  repo.stage("a.txt");
  repo.commit("one");
  // The git CLI stages and commits it (the libgit2 handle's cached index would not see git's `add`).
  REQUIRE(run_shell("cd '" + repo.dir() + "' && ln -s 'token=" + k +
                    "' creds && git add creds && git commit -q -m link") == 0);
  const auto found = history(repo);
  REQUIRE(found.size() == 1);
  CHECK(found[0].commit->summary == "link");
  CHECK(found[0].file == "creds");
  CHECK(found[0].line == 1);
  CHECK((found[0].secret == k));
}

TEST_CASE("a packed repository gives the same findings as the same history in loose objects") {
  TestRepo repo;
  std::string text;
  std::vector<std::string> keys;
  for (int version = 0; version < 40; ++version) {  // versions that git stores as deltas of each other
    for (int line = 0; line < 30; ++line)
      text += random_string(version * 100 + line, 50, "abcdef ghij") + "\n";
    if (version % 10 == 3) {
      keys.push_back(fake_together_key(100 + version));
      text += "TOGETHER_API_KEY=" + keys.back() + "\n";
    }
    repo.write("config/settings.txt", text);
    repo.stage("config/settings.txt");
    repo.write("dir" + std::to_string(version % 4) + "/f", text.substr(text.size() / 2));
    repo.stage("dir" + std::to_string(version % 4) + "/f");
    repo.commit("version " + std::to_string(version));
  }
  const auto summary = [](const std::vector<Finding>& found) {
    std::vector<std::string> out;
    for (const Finding& f : found)
      out.push_back(f.commit->id + " " + f.file + ":" + std::to_string(f.line) + " " + f.secret);
    std::sort(out.begin(), out.end());
    return out;
  };
  const auto loose = summary(history(repo));
  CHECK(loose.size() >= keys.size());
  REQUIRE(run_shell("cd '" + repo.dir() +
                    "' && git repack -adfq --depth=50 && git count-objects -v | grep -q '^count: 0'") == 0);
  CHECK(summary(history(repo)) == loose);
}

TEST_CASE("a damaged pack makes history incomplete (exit 2), never a crash or a silent pass") {
  TestRepo repo;
  for (int version = 0; version < 20; ++version) {
    std::string text;
    for (int line = 0; line < 200; ++line)
      text += random_string(version * 1000 + line, 60, "abcdefgh ij") + "\n";
    repo.write("f" + std::to_string(version % 3), text);
    repo.stage("f" + std::to_string(version % 3));
    repo.commit("v" + std::to_string(version));
  }
  REQUIRE(run_shell("cd '" + repo.dir() + "' && git repack -adfq && chmod u+w .git/objects/pack/*.pack") ==
          0);
  // Flip bytes across the second half of the pack, where the blobs are (commits and trees come first).
  REQUIRE(run_shell("cd '" + repo.dir() +
                    "' && p=$(ls .git/objects/pack/*.pack) && s=$(stat -c %s $p) && "
                    "for o in $(seq $((s / 2)) 997 $((s - 40))); do printf '\\377' | "
                    "dd of=$p bs=1 seek=$o conv=notrunc status=none; done") == 0);
  git::init();
  static const RuleSet rules(default_config());
  ScanSettings settings;
  settings.jobs = 2;
  FindingCollector found;
  Scanner scanner(rules, settings, found);
  HistoryOptions options;
  bool threw = false;
  try {
    read_history(repo.get(), options, scanner);
  } catch (const Error&) {
    threw = true;
  }
  CHECK((threw || scanner.incomplete()));
}
