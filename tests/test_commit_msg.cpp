// Tests for commit_msg.cpp: what git keeps of a message file, and findings in messages (issue #11).
#include <catch2/catch.hpp>

#include "commit_msg.hpp"
#include "config.hpp"
#include "scanner.hpp"
#include "sink.hpp"
#include "support/repo.hpp"

using namespace keygate;
using keygate::test::fake_together_key;
using keygate::test::TempDir;
using keygate::test::write_file;

TEST_CASE("commit_message_text blanks git's comment lines and stops at the scissors line") {
  const std::string text =
      "subject\n# a comment\nbody\n# ------------------------ >8 ------------------------\ndiff\n";
  CHECK(commit_message_text(text) == "subject\n\nbody\n");
  CHECK(commit_message_text("no newline at the end") == "no newline at the end");
  CHECK(commit_message_text("#only a comment") == "");
}

TEST_CASE("a message fragment: findings with its kind, no file, the commit, and the line in the message") {
  static const RuleSet rules(default_config());
  const std::string k = fake_together_key(21);
  auto info = std::make_shared<CommitInfo>();
  info->id = "0123456789abcdef0123456789abcdef01234567";
  FindingCollector collector;
  Scanner scanner(rules, ScanSettings{}, collector);
  const std::string message = "subject\n\nold key: " + k + "\n";
  Fragment fragment;
  fragment.text = message;
  fragment.origin.kind = SourceKind::CommitMessage;
  fragment.origin.commit = info;
  const auto found = scanner.detect(fragment);
  REQUIRE(found.size() == 1);
  CHECK(found[0].rule_id == "together-api-key");
  CHECK(found[0].kind == SourceKind::CommitMessage);
  CHECK(found[0].file.empty());
  CHECK(found[0].line == 3);
  CHECK(found[0].column == 10);
  CHECK(found[0].commit == info);
  const std::string allowed = "subject\n\nkeygate:allow " + k + "\n";
  fragment.text = allowed;
  CHECK(scanner.detect(fragment).empty());
}

TEST_CASE(
    "read_commit_message_file: the message git keeps goes through the Scanner; a missing file is an Error") {
  static const RuleSet rules(default_config());
  const std::string k = fake_together_key(22);
  TempDir dir;
  write_file(dir / "MSG", "subject\n# " + k + " in a comment\nbody " + k + "\n");
  FindingCollector collector;
  Scanner scanner(rules, ScanSettings{}, collector);
  read_commit_message_file(dir / "MSG", scanner);
  const std::vector<Finding> found = collector.take();
  REQUIRE(found.size() == 1);
  CHECK(found[0].kind == SourceKind::CommitMessage);
  CHECK(found[0].line == 3);
  CHECK(found[0].commit == nullptr);
  CHECK_THROWS_WITH(read_commit_message_file(dir / "none", scanner), Catch::Contains("none"));
}
