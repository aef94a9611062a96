// Tests for commit_msg.cpp: what git keeps of a message file, and findings in messages (issue #11).
#include <catch2/catch.hpp>

#include "config/config.hpp"
#include "core/scanner.hpp"
#include "core/sink.hpp"
#include "detect/matcher.hpp"
#include "source/commit_msg.hpp"
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

TEST_CASE("the commit-msg shortcut's premise: every default rule that can apply to a message has keywords") {
  // A rule without keywords runs everywhere its path allows; a message has no path, so only a rule with a
  // path condition (a credential file's name) may go without.
  const RuleSet rules(default_config());
  for (const std::size_t i : rules.unconditional()) CHECK_FALSE(rules.rules()[i]->spec().path.empty());
}

TEST_CASE("message_clean_under_default_rules: no keyword and no encoded span, or false") {
  TempDir dir;
  auto clean = [&](const std::string& text) {
    write_file(dir / "MSG", text);
    return message_clean_under_default_rules(dir / "MSG");
  };
  CHECK(clean("Fix the parser for empty input\n\nIt crashed on a blank line.\n"));
  CHECK(clean("# Please enter the commit message\nsubject\n"));
  CHECK_FALSE(clean("subject\n\nkey " + fake_together_key(23) + "\n"));
  CHECK_FALSE(clean("subject\n\nthe new password is in the vault\n"));
  CHECK_FALSE(clean("subject\n\n" + std::string("dGhpcyBpcyBvbmx5IGEgdGVzdCBzdHJpbmc=") + "\n"));  // base64
  CHECK_THROWS_WITH(message_clean_under_default_rules(dir / "none"), Catch::Contains("none"));
}

TEST_CASE("message_clean_under_default_rules never passes a message in which the scan finds something") {
  // Every default rule's own examples (kept in the embedded patterns.toml text), each as a message.
  static const RuleSet rules(default_config());
  const Config full = parse_config(default_config_text(), kBuiltInConfigName);
  TempDir dir;
  int checked = 0;
  for (const RuleSpec& spec : full.rules) {
    for (const std::string& example : spec.examples) {
      Fragment fragment;
      const std::string message = "subject\n\n" + example + "\n";
      fragment.text = message;
      fragment.origin.kind = SourceKind::CommitMessage;
      if (detect(rules, fragment).empty()) continue;
      write_file(dir / "MSG", message);
      INFO(spec.id);
      CHECK_FALSE(message_clean_under_default_rules(dir / "MSG"));
      ++checked;
    }
  }
  CHECK(checked > 100);
}
