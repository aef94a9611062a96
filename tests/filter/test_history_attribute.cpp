// Tests for filter/history_attribute.cpp through the one pipeline (core/pipeline.hpp), as `history` and the
// push checks run it: each finding names the commit that introduced it, across a key's whole life (added,
// kept, moved, deleted, re-added) and across merges; and the judgement's minimum decides what is kept.
#include <catch2/catch.hpp>

#include "config/config.hpp"
#include "core/pipeline.hpp"
#include "core/source.hpp"
#include "git/git.hpp"
#include "support/repo.hpp"

using namespace keygate;
using namespace keygate::test;

namespace {

// The findings `history` reports over every commit of `repo`, judged at `minimum`.
std::vector<Finding> attributed(const TestRepo& repo, Confidence minimum = Confidence::Low) {
  git::init();
  static const RuleSet rules(default_config());
  ScanSettings settings;
  settings.jobs = 2;
  Pipeline pipeline(rules, Judgement{minimum, {}}, settings);
  read_history(repo.get(), HistoryOptions{}, pipeline.scanner());
  return pipeline.finish();
}

// "commit-id path:line rule" for each finding, sorted: what attribution decides.
std::vector<std::string> places(const std::vector<Finding>& findings) {
  std::vector<std::string> out;
  for (const Finding& f : findings) {
    out.push_back((f.commit ? f.commit->id : std::string("?")) + " " + f.file + ":" + std::to_string(f.line) +
                  " " + f.rule_id);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

std::string commit_file(const TestRepo& repo, const std::string& path, const std::string& content,
                        const std::string& message) {
  repo.write(path, content);
  repo.stage(path);
  return repo.commit(message);
}

std::string commit_removal(const TestRepo& repo, const std::string& path, const std::string& message) {
  repo.remove(path);
  repo.unstage_removal(path);
  return repo.commit(message);
}

}  // namespace

TEST_CASE("history attribution: added in A, kept in B, moved in C, deleted in D, re-added in E: A and E") {
  TestRepo repo;
  const std::string key = "TOGETHER_API_KEY=" + fake_together_key(2250) + "\n";
  const std::string a = commit_file(repo, "app/config.env", "A=1\n" + key, "A: add the key");
  commit_file(repo, "app/config.env", "A=2\n" + key + "B=1\n", "B: edit around the key");
  // C: a move, edited on the way (a new blob at a new path, the old one deleted in the same commit).
  repo.remove("app/config.env");
  repo.unstage_removal("app/config.env");
  commit_file(repo, "conf/app.env", "# moved\nA=2\n" + key + "B=1\n", "C: move the file");
  commit_removal(repo, "conf/app.env", "D: delete the file");
  const std::string e = commit_file(repo, "conf/app.env", "back=1\nagain=1\n" + key, "E: re-add the key");
  CHECK(places(attributed(repo)) == sorted({a + " app/config.env:2 together-api-key",  //
                                            e + " conf/app.env:3 together-api-key"}));
}

TEST_CASE("history attribution: a copy that keeps the original introduces the key at its new path") {
  TestRepo repo;
  const std::string key = "TOGETHER_API_KEY=" + fake_together_key(2251) + "\n";
  const std::string a = commit_file(repo, "one.env", key, "add");
  const std::string copy = commit_file(repo, "two.env", key, "copy");
  CHECK(places(attributed(repo)) ==
        sorted({a + " one.env:1 together-api-key", copy + " two.env:1 together-api-key"}));
}

TEST_CASE("history attribution: a second occurrence of a key already in the file is its commit's") {
  TestRepo repo;
  const std::string key = "TOGETHER_API_KEY=" + fake_together_key(2252) + "\n";
  const std::string a = commit_file(repo, "k.env", key, "once");
  const std::string twice = commit_file(repo, "k.env", key + "x=1\n" + key, "twice");
  CHECK(places(attributed(repo)) ==
        sorted({a + " k.env:1 together-api-key", twice + " k.env:3 together-api-key"}));
}

TEST_CASE("history attribution: a key merged in from a side branch names the side branch's commit") {
  TestRepo repo;
  const std::string base = commit_file(repo, "shared.txt", "one\ntwo\nthree\n", "base");
  const std::string main_tip = commit_file(repo, "main.txt", "main\n", "main work");
  repo.branch("side", base);
  repo.checkout("side");
  const std::string key = "TOGETHER_API_KEY=" + fake_together_key(2253) + "\n";
  const std::string side = commit_file(repo, "side.env", key, "side: add a key");
  // The side branch also edits a file that main has, so the merge's version of it is a blob of its own.
  const std::string side_edit =
      commit_file(repo, "shared.txt", "one\ntwo\nthree\n" + key, "side: edit shared");
  repo.checkout("main");
  repo.write("side.env", key);
  repo.write("shared.txt", "one (main)\ntwo\nthree\n" + key);
  repo.stage("side.env");
  repo.stage("shared.txt");
  const std::string merge = repo.commit("merge side", {main_tip, side_edit});
  const std::vector<std::string> found = places(attributed(repo));
  CHECK(found ==
        sorted({side + " side.env:1 together-api-key", side_edit + " shared.txt:4 together-api-key"}));
  for (const std::string& f : found) CHECK(f.rfind(merge, 0) == std::string::npos);
}

TEST_CASE("history attribution: the judgement's minimum decides whether a low-confidence finding counts") {
  TestRepo repo;
  const std::string a =
      commit_file(repo, "tests/fixtures/db.py", fake_path_demoted_credential(2254), "fixture");
  commit_file(repo, "tests/fixtures/db.py", "# edited\n" + fake_path_demoted_credential(2254), "edit");
  CHECK(places(attributed(repo, Confidence::Low)) ==
        std::vector<std::string>{a + " tests/fixtures/db.py:1 bcrypt-password-hash"});
  CHECK(attributed(repo, Confidence::Medium).empty());
}

// History scans each blob once, wherever the walk first sees it (source/history.cpp, BlobScanPool), but
// confidence depends on the path (demote_paths: tests/ is a level lower), so it is set for each path a
// finding is attributed at (adjust_for_path): the same blob copied from tests/ to src/ is reported in src/
// at medium, as `scan` and `staged` report src/db.py.
TEST_CASE(
    "history attribution: a fixture password copied from tests/ to src/ is judged at src/'s confidence") {
  TestRepo repo;
  commit_file(repo, "tests/fixtures/db.py", fake_path_demoted_credential(2255), "fixture");
  const std::string copy =
      commit_file(repo, "src/db.py", fake_path_demoted_credential(2255), "copy into src");
  const std::vector<Finding> found = attributed(repo, Confidence::Medium);
  REQUIRE(found.size() == 1);
  CHECK(found[0].commit->id == copy);
  CHECK(found[0].file == "src/db.py");
  CHECK(found[0].confidence == Confidence::Medium);
}
