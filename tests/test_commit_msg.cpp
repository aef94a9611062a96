// Tests for commit_msg.cpp: what git keeps of a message file, and findings in messages (issue #11).
#include <catch2/catch.hpp>

#include "commit_msg.hpp"
#include "config.hpp"
#include "support/repo.hpp"

using namespace keygate;
using keygate::test::fake_together_key;

TEST_CASE("commit_message_text blanks git's comment lines and stops at the scissors line") {
  const std::string text =
      "subject\n# a comment\nbody\n# ------------------------ >8 ------------------------\ndiff\n";
  CHECK(commit_message_text(text) == "subject\n\nbody\n");
  CHECK(commit_message_text("no newline at the end") == "no newline at the end");
  CHECK(commit_message_text("#only a comment") == "");
}

TEST_CASE("scan_message: findings with kind, empty file, the commit, and the line in the message") {
  static const RuleSet rules(default_config());
  const std::string k = fake_together_key(21);
  auto info = std::make_shared<CommitInfo>();
  info->id = "0123456789abcdef0123456789abcdef01234567";
  const auto found = scan_message(rules, "subject\n\nold key: " + k + "\n", "commit-message", info);
  REQUIRE(found.size() == 1);
  CHECK(found[0].rule_id == "together-api-key");
  CHECK(found[0].kind == "commit-message");
  CHECK(found[0].file.empty());
  CHECK(found[0].line == 3);
  CHECK(found[0].column == 10);
  CHECK(found[0].commit == info);
  CHECK(scan_message(rules, "subject\n\nkeygate:allow " + k + "\n", "commit-message", nullptr).empty());
}
