// Tests for redact_text.cpp: free text holding a secret (commit messages, authors, error echoes) comes out
// redacted, and text without one comes out unchanged (issue 9, E14).
#include <catch2/catch.hpp>

#include "config/config.hpp"
#include "report/redact_text.hpp"
#include "rules/rules.hpp"
#include "support/repo.hpp"

using namespace keygate;
using keygate::test::fake_together_key;

namespace {
const RuleSet& defaults() {
  static const RuleSet rules(default_config());
  return rules;
}
}  // namespace

TEST_CASE("E14 a key in a commit message is redacted; an ordinary message is not") {
  const std::string k = fake_together_key(91);
  const std::string message = "rotate key " + k + " (old one leaked)";
  const std::string out = redact_secrets_in(message, defaults());
  CHECK(out.find(k) == std::string::npos);
  CHECK(out == "rotate key " + redacted(k) + " (old one leaked)");
  CHECK(redact_secrets_in("Fix the parser", defaults()) == "Fix the parser");
  CHECK(redact_secrets_in("", defaults()).empty());
}

TEST_CASE("E14 an author name holding a secret found elsewhere is redacted") {
  const std::string known = "s3cr3t-value-from-a-file-0123";
  CHECK(redact_secrets_in("Dev " + known, defaults(), {known}) == "Dev " + redacted(known));
  CHECK(redact_secrets_in("Ada Lovelace", defaults(), {known}) == "Ada Lovelace");
}

TEST_CASE("E14 commits shared by findings get one redacted copy") {
  const std::string k = fake_together_key(92);
  auto commit = std::make_shared<CommitInfo>(CommitInfo{"abc", "Ann", "ann@example.invalid", "", "add " + k});
  Finding a, b;
  a.secret = b.secret = k;
  a.commit = b.commit = commit;
  std::vector<Finding> findings{a, b};
  redact_commit_texts(findings, defaults());
  CHECK(findings[0].commit == findings[1].commit);
  CHECK(findings[0].commit->summary == "add " + redacted(k));
  CHECK(findings[0].commit->author == "Ann");
  CHECK(commit->summary == "add " + k);  // the original is not changed under other readers
}

TEST_CASE("E14 a bad regex's echo is redacted, its place is not") {
  const std::string k = fake_together_key(93);
  const std::string message =
      "/tmp/keygate-e2e-AbC123456789xyz/rules.toml:3: rule \"bad\": invalid regex: missing ): (" + k;
  const std::string out = redact_regex_errors(message);
  CHECK(out.find(k) == std::string::npos);
  CHECK(out.rfind("/tmp/keygate-e2e-AbC123456789xyz/rules.toml:3: rule \"bad\": invalid regex: missing ): (",
                  0) == 0);
  CHECK(redact_key_shaped("missing ): (abc") == "missing ): (abc");
}
