// Tests for the incidents model: grouping by secret, no secret in the JSON, the strict reader, the audit key,
// triage marks, and merge's associativity and order independence (issue #27, item "report merge").
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>

#include "core/error.hpp"
#include "report/incidents.hpp"
#include "report/merge.hpp"
#include "report/sample_findings.hpp"
#include "support/repo.hpp"
#include "verify/revoke.hpp"

using namespace keygate;

namespace {

AuditKey test_key() { return AuditKey{std::string(32, '\x07')}; }

Finding found(const std::string& secret, const std::string& file, int line, const std::string& commit,
              const std::string& date) {
  Finding f;
  f.rule_id = "together-api-key";
  f.description = "Together AI API key";
  f.file = file;
  f.line = line;
  f.column = 5;
  f.secret = secret;
  f.fingerprint = fingerprint(f.rule_id, file, secret);
  auto info = std::make_shared<CommitInfo>();
  info->id = commit;
  info->author = "Ann";
  info->email = "ann@example.invalid";
  info->date = date;
  f.commit = info;
  return f;
}

Incidents result_of(const std::string& repository, const std::vector<Finding>& findings) {
  Incidents r;
  r.tool = "keygate test";
  r.generated = "2026-01-01T00:00:00Z";
  r.key_id = test_key().id();
  r.repositories.push_back({repository, RepositoryStatus::Ok, "", 3, 100, std::string(64, 'a')});
  r.incidents = group_findings(findings, repository, test_key());
  return r;
}

}  // namespace

TEST_CASE("incidents: one incident per secret, with every place, first and last seen in UTC", "[incidents]") {
  const std::string key = test::fake_together_key(1), other = test::fake_together_key(2);
  const std::vector<Finding> findings = {
      found(key, "a.env", 1, std::string(40, '1'), "2024-03-01T10:00:00+02:00"),
      found(key, "b.env", 7, std::string(40, '2'), "2024-03-01T09:30:00+00:00"),
      found(other, "a.env", 2, std::string(40, '1'), "2024-03-01T10:00:00+02:00")};
  const std::vector<Incident> incidents = group_findings(findings, "repo", test_key());
  REQUIRE(incidents.size() == 2);
  const auto it = std::find_if(incidents.begin(), incidents.end(),
                               [&](const Incident& i) { return i.id == secret_id(test_key(), key); });
  REQUIRE(it != incidents.end());
  CHECK(it->places.size() == 2);
  CHECK(it->first_seen == "2024-03-01T08:00:00Z");
  CHECK(it->last_seen == "2024-03-01T09:30:00Z");
  CHECK(it->places[0].author == "Ann <ann@example.invalid>");
  CHECK(it->id.size() == 64);
}

TEST_CASE("incidents: the JSON holds no secret and reads back to the same bytes", "[incidents]") {
  const std::string key = test::fake_together_key(3);
  Incidents r =
      result_of("repo \"quoted\"", {found(key, "dir/x.py", 4, std::string(40, 'c'), "2024-01-01T00:00:00Z")});
  r.incidents[0].identity["account"] = "ann";
  const std::string json = incidents_json(r);
  CHECK(json.find(key) == std::string::npos);
  CHECK(json.find(key.substr(8, 16)) == std::string::npos);
  const Incidents back = parse_incidents(json, "r.json");
  CHECK(incidents_json(back) == json);
  CHECK(back.incidents.at(0).identity.at("account") == "ann");
}

TEST_CASE("incidents: the strict reader names the file and why", "[incidents]") {
  const auto error_of = [](const std::string& text) {
    try {
      parse_incidents(text, "bad.json");
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(error_of("not json").rfind("bad.json: not a keygate incidents file:", 0) == 0);
  CHECK(error_of("[]").find("bad.json") == 0);
  CHECK(error_of(R"({"schema": "other", "repositories": [], "incidents": []})").find("schema") !=
        std::string::npos);
  CHECK(error_of(R"({"schema": "keygate-incidents/1", "repositories": []})").find("missing") !=
        std::string::npos);
  CHECK(error_of(R"({"schema": "keygate-incidents/1", "repositories": [{"name": 3}], "incidents": []})")
            .find("/repositories/0/name is not a string") != std::string::npos);
  CHECK(
      error_of(
          R"({"schema": "keygate-incidents/1", "repositories": [], "incidents": [{"id": "x", "rule": "r"}]})")
          .find("64 hex") != std::string::npos);
  CHECK(error_of(R"({"schema": "keygate-incidents/1", "repositories": [], "incidents": [], "extra": 1})")
            .find("unknown field /extra") != std::string::npos);
  CHECK(error_of(R"({"schema": "keygate-incidents/1", "repositories": [], "incidents": []})") == "no error");
}

TEST_CASE("incidents: merging is associative and order-independent, byte for byte", "[incidents]") {
  const std::string k1 = test::fake_together_key(11), k2 = test::fake_together_key(12),
                    k3 = test::fake_together_key(13);
  std::vector<Incidents> parts = {
      result_of("r1", {found(k1, "a", 1, std::string(40, '1'), "2024-01-01T00:00:00Z"),
                       found(k2, "b", 2, std::string(40, '1'), "2024-01-01T00:00:00Z")}),
      result_of("r2", {found(k1, "a", 1, std::string(40, '2'), "2023-05-01T00:00:00Z")}),
      result_of("r3", {found(k3, "c", 3, std::string(40, '3'), "2025-01-01T00:00:00Z"),
                       found(k1, "z", 9, std::string(40, '3'), "2025-02-01T00:00:00Z")}),
      result_of("r2", {found(k1, "a", 1, std::string(40, '2'), "2023-05-01T00:00:00Z")}),  // a rerun's file
  };
  parts[1].repositories[0].status = RepositoryStatus::Failed;
  parts[1].repositories[0].error = "clone failed";
  std::vector<int> order = {0, 1, 2, 3};
  std::string expected;
  do {
    Incidents left;  // ((a b) c) d
    for (int i : order) merge_incidents(left, parts[i]);
    Incidents right = parts[order[3]];  // a (b (c d))
    for (int i = 2; i >= 0; --i) {
      Incidents step = parts[order[i]];
      merge_incidents(step, std::move(right));
      right = std::move(step);
    }
    const std::string a = incidents_json(left), b = incidents_json(right);
    CHECK(a == b);
    if (expected.empty()) expected = a;
    CHECK(a == expected);
  } while (std::next_permutation(order.begin(), order.end()));
  const Incidents merged = parse_incidents(expected, "merged");
  CHECK(merged.repositories.size() == 3);
  CHECK(merged.repositories[1].status == RepositoryStatus::Ok);  // the later, complete run wins
  CHECK(merged.incidents.size() == 3);
  const auto k1_incident = std::find_if(merged.incidents.begin(), merged.incidents.end(),
                                        [&](const Incident& i) { return i.id == secret_id(test_key(), k1); });
  REQUIRE(k1_incident != merged.incidents.end());
  CHECK(k1_incident->places.size() == 3);
  CHECK(k1_incident->first_seen == "2023-05-01T00:00:00Z");
  CHECK(k1_incident->last_seen == "2025-02-01T00:00:00Z");
}

TEST_CASE("incidents: results made with different keys do not merge", "[incidents]") {
  Incidents a = result_of("r1", {found(test::fake_together_key(5), "a", 1, std::string(40, '1'), "")});
  Incidents b = a;
  b.key_id = AuditKey{std::string(32, '\x09')}.id();
  CHECK_THROWS_AS(merge_incidents(a, b), Error);
}

TEST_CASE("incidents: the audit key is created once, mode 0600, and reused; KEYGATE_AUDIT_KEY wins",
          "[incidents]") {
  test::TempDir dir;
  ::unsetenv("KEYGATE_AUDIT_KEY");
  const AuditKey first = load_audit_key(dir.path());
  struct stat st {};
  REQUIRE(::stat((dir.path() + "/.keygate-key").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK(first.bytes.size() == 32);
  CHECK(load_audit_key(dir.path()).bytes == first.bytes);
  ::setenv("KEYGATE_AUDIT_KEY", std::string(64, 'a').c_str(), 1);
  CHECK(load_audit_key(dir.path()).bytes == std::string(32, '\xaa'));
  ::setenv("KEYGATE_AUDIT_KEY", "zz", 1);
  CHECK_THROWS_AS(load_audit_key(dir.path()), Error);
  ::unsetenv("KEYGATE_AUDIT_KEY");
}

TEST_CASE("incidents: triage marks apply by id or by a place's fingerprint; a bad file names itself",
          "[incidents]") {
  const std::string k1 = test::fake_together_key(21), k2 = test::fake_together_key(22);
  Incidents r = result_of(
      "r", {found(k1, "a", 1, std::string(40, '1'), ""), found(k2, "b", 1, std::string(40, '1'), "")});
  const std::string fp = fingerprint("together-api-key", "b", k2);
  apply_triage(r,
               R"({"schema": "keygate-triage/1", "marks": [{"id": ")" + secret_id(test_key(), k1) +
                   R"(", "mark": "revoked", "note": "rotated"}, {"fingerprints": [")" + fp +
                   R"("], "mark": "false_positive"}]})",
               "triage.json");
  for (const Incident& i : r.incidents)
    CHECK(i.triage == (i.id == secret_id(test_key(), k1) ? "revoked" : "false_positive"));
  CHECK_THROWS_WITH(
      apply_triage(r, R"({"schema": "keygate-triage/1", "marks": [{"mark": "maybe"}]})", "t.json"),
      Catch::StartsWith("t.json: not a keygate triage file"));
}

TEST_CASE("incidents: another scanner's finding of the same secret joins keygate's incident", "[incidents]") {
  const std::string key = test::fake_together_key(31);
  Incidents ours = result_of("r", {found(key, "a.env", 1, std::string(40, '1'), "2024-01-01T00:00:00Z")});
  interop::PeerFinding theirs;
  theirs.tool = "gitleaks";
  theirs.rule = "generic-api-key";
  theirs.file = "old/a.env";
  theirs.commit = std::string(40, '9');
  theirs.secret = key;
  theirs.fingerprint = theirs.commit + ":old/a.env:generic-api-key:4";
  theirs.date = "2023-01-01T00:00:00Z";
  theirs.line = 4;
  interop::PeerFinding unknown_secret;
  unknown_secret.tool = "detect-secrets";
  unknown_secret.rule = "Secret Keyword";
  unknown_secret.file = "b.py";
  unknown_secret.fingerprint = std::string(40, 'f');
  unknown_secret.triage = "false_positive";
  const Incidents peer = peer_incidents({theirs, unknown_secret, theirs}, test_key(), "gitleaks.json");
  REQUIRE(peer.incidents.size() == 2);
  merge_incidents(ours, peer);
  REQUIRE(ours.incidents.size() == 2);
  const auto joined = std::find_if(ours.incidents.begin(), ours.incidents.end(),
                                   [&](const Incident& i) { return i.id == secret_id(test_key(), key); });
  REQUIRE(joined != ours.incidents.end());
  CHECK(joined->places.size() == 2);
  CHECK(joined->first_seen == "2023-01-01T00:00:00Z");
  CHECK(incidents_json(ours).find(key) == std::string::npos);
  const auto other = std::find_if(ours.incidents.begin(), ours.incidents.end(),
                                  [&](const Incident& i) { return i.id != secret_id(test_key(), key); });
  CHECK(other->triage == "false_positive");
  CHECK(other->places.at(0).repository == "gitleaks.json");
}

TEST_CASE("incidents: each carries its provider's revocation advice, as keygate revoke gives it (issue 27)",
          "[incidents]") {
  Finding together =
      found(test::fake_together_key(3), "a.env", 1, std::string(40, '1'), "2024-03-01T10:00:00Z");
  Finding github = together;
  github.rule_id = "github-pat";
  github.secret = test::fake_together_key(4);  // the rule decides the advice, not the secret's shape
  const std::vector<Incident> incidents = group_findings({together, github}, "repo", test_key());
  REQUIRE(incidents.size() == 2);
  for (const Incident& i : incidents) {
    CHECK(i.advice.find(revocation_steps(i.rule)) != std::string::npos);
    // A provider with a revocation API: keygate revoke is named first.
    CHECK((i.advice.starts_with("`keygate revoke`")) == can_revoke(i.rule));
  }
}
