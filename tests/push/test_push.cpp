// Tests for push/push.cpp, driven directly: git's hook input (a FILE*) -> the commits and objects new to
// the receiving side, grouped per tip by their own .keygate.toml -> the one pipeline -> a verdict, with
// the messages naming ref, path:line and rule. Real repositories (tests/support); the "new" commits are
// made and then left unreferenced, as git's quarantine holds them while pre-receive runs.
#include <catch2/catch.hpp>
#include <cstdio>

#include "core/error.hpp"
#include "core/finding.hpp"
#include "git/git.hpp"
#include "push/push.hpp"
#include "support/repo.hpp"
#include "support/stderr_capture.hpp"

using namespace keygate;
using namespace keygate::test;

namespace {

const std::string kZero(40, '0');

struct Verdict {
  int status;
  std::string err;  // what the check printed on stderr
};

// Runs the push check over `repo` with `input` as the hook's standard input.
Verdict push_check(const TestRepo& repo, const std::string& input, PushCheckOptions options = {}) {
  git::init();
  options.repo = repo.dir();
  // The watchdog ends the process at the budget: a slow (sanitizer) build must not end the test run.
  options.timeout_seconds = 600;
  std::FILE* in = std::tmpfile();
  REQUIRE(in != nullptr);
  std::fwrite(input.data(), 1, input.size(), in);
  std::rewind(in);
  StderrCapture capture;
  int status = -1;
  try {
    status = run_push_check(options, in);
  } catch (...) {
    std::fclose(in);
    throw;
  }
  std::fclose(in);
  return {status, capture.text()};
}

// Points `ref` at `commit_id` (force), as `git update-ref` does.
void set_ref(const TestRepo& repo, const std::string& ref, const std::string& commit_id) {
  git_oid id;
  REQUIRE(git_oid_fromstr(&id, commit_id.c_str()) == 0);
  git_reference* out = nullptr;
  REQUIRE(git_reference_create(&out, repo.get(), ref.c_str(), &id, 1, "test") == 0);
  git_reference_free(out);
}

// A repository whose main holds one clean commit; returns that commit's id in `base`.
std::string commit_base(const TestRepo& repo) {
  repo.write("README", "hello\n");
  repo.stage("README");
  return repo.commit("base");
}

// Commits `files` on top of main's tip, then moves main back: the commit exists, no ref reaches it (what
// a pushed commit is to the server's pre-receive). Returns its id.
std::string new_commit(const TestRepo& repo, const std::vector<std::pair<std::string, std::string>>& files,
                       const std::string& message = "new work") {
  git_oid head;
  REQUIRE(git_reference_name_to_id(&head, repo.get(), "refs/heads/main") == 0);
  const std::string old_tip = git_oid_tostr_s(&head);
  for (const auto& [path, content] : files) {
    repo.write(path, content);
    repo.stage(path);
  }
  const std::string id = repo.commit(message);
  set_ref(repo, "refs/heads/main", old_tip);
  return id;
}

std::string line(const std::string& old_id, const std::string& new_id, const std::string& ref) {
  return old_id + " " + new_id + " " + ref + "\n";
}

}  // namespace

TEST_CASE("push check: one new commit with a Together key is rejected, naming ref, path:line and rule") {
  TestRepo repo;
  const std::string base = commit_base(repo);
  const std::string key = fake_together_key(2210);
  const std::string tip = new_commit(repo, {{"conf/app.env", "A=1\nTOGETHER_API_KEY=" + key + "\n"}});
  const Verdict v = push_check(repo, line(base, tip, "refs/heads/main"));
  CHECK(v.status == 1);
  CHECK_THAT(v.err, Catch::Contains("push rejected: 1 secret(s) in 1 new commit(s)"));
  CHECK_THAT(v.err, Catch::Contains("refs/heads/main  commit " + tip.substr(0, 12)));
  CHECK_THAT(v.err, Catch::Contains("conf/app.env:2  rule together-api-key"));
  CHECK(v.err.find(key) == std::string::npos);  // redacted by default
}

TEST_CASE("push check: a clean new commit is accepted") {
  TestRepo repo;
  const std::string base = commit_base(repo);
  const std::string tip = new_commit(repo, {{"src/main.c", "int main(void) { return 0; }\n"}});
  PushCheckOptions options;
  options.verbose = true;
  const Verdict v = push_check(repo, line(base, tip, "refs/heads/main"), options);
  CHECK(v.status == 0);
  CHECK_THAT(v.err, Catch::Contains("pre-receive: 1 new commit(s) clean"));
}

TEST_CASE("push check: a deletion asks for nothing: accepted, nothing scanned") {
  TestRepo repo;
  const std::string base = commit_base(repo);
  PushCheckOptions options;
  options.verbose = true;  // a scan, even a clean one, would say so
  const Verdict v = push_check(repo, line(base, kZero, "refs/heads/gone"), options);
  CHECK(v.status == 0);
  CHECK(v.err.empty());
}

TEST_CASE("push check: only the new commits are scanned, not those an existing ref already reaches") {
  TestRepo repo;
  // The server already has a key in its history (on main): a push on top must not be blamed for it.
  repo.write("old.env", "TOGETHER_API_KEY=" + fake_together_key(2211) + "\n");
  repo.stage("old.env");
  const std::string old_tip = repo.commit("old key, already on the server");
  const std::string tip = new_commit(repo, {{"new.txt", "clean\n"}});
  PushCheckOptions options;
  options.verbose = true;
  const Verdict v = push_check(repo, line(old_tip, tip, "refs/heads/main"), options);
  CHECK(v.status == 0);
  CHECK_THAT(v.err, Catch::Contains("1 new commit(s) clean"));
  // A new branch (old id zero) at the same tip: the walk still stops at what refs reach.
  CHECK(push_check(repo, line(kZero, tip, "refs/heads/topic"), options).status == 0);
}

TEST_CASE("push check: each tip is judged with its own .keygate.toml") {
  TestRepo repo;
  commit_base(repo);
  const std::string token = "token INTERNAL-" + random_string(2212, 8, "0123456789") + "\n";
  // Tip x brings a rule of its own that flags its token; tip y carries the same token, but no such rule.
  const std::string x = new_commit(
      repo, {{".keygate.toml", "[[rules]]\nid = \"internal-token\"\nregex = 'INTERNAL-[0-9]{8}'\n"},
             {"x.txt", token}});
  repo.remove(".keygate.toml");
  repo.unstage_removal(".keygate.toml");
  const std::string y = new_commit(repo, {{"y.txt", token}});
  const Verdict v = push_check(repo, line(kZero, x, "refs/heads/x") + line(kZero, y, "refs/heads/y"));
  CHECK(v.status == 1);
  CHECK_THAT(v.err, Catch::Contains("push rejected: 1 secret(s) in 2 new commit(s)"));
  CHECK_THAT(v.err, Catch::Contains("refs/heads/x  commit " + x.substr(0, 12)));
  CHECK_THAT(v.err, Catch::Contains("x.txt:1  rule internal-token"));
  CHECK(v.err.find("refs/heads/y") == std::string::npos);
  // y alone passes: x's rule is x's.
  CHECK(push_check(repo, line(kZero, y, "refs/heads/y")).status == 0);
}

TEST_CASE("push check: a tag of a blob holding a key is rejected") {
  TestRepo repo;
  commit_base(repo);
  const std::string text = "TOGETHER_API_KEY=" + fake_together_key(2213) + "\n";
  git_oid blob;
  REQUIRE(git_blob_create_from_buffer(&blob, repo.get(), text.data(), text.size()) == 0);
  const Verdict v = push_check(repo, line(kZero, git_oid_tostr_s(&blob), "refs/tags/just-a-blob"));
  CHECK(v.status == 1);
  CHECK_THAT(v.err, Catch::Contains("the pushed tags and objects"));
  CHECK_THAT(v.err, Catch::Contains("refs/tags/just-a-blob"));
  CHECK_THAT(v.err, Catch::Contains("rule together-api-key"));
}

TEST_CASE("push check: an annotated tag whose message holds a key is rejected") {
  TestRepo repo;
  const std::string base = commit_base(repo);
  git_oid base_id;
  REQUIRE(git_oid_fromstr(&base_id, base.c_str()) == 0);
  git_object* target = nullptr;
  REQUIRE(git_object_lookup(&target, repo.get(), &base_id, GIT_OBJECT_COMMIT) == 0);
  git_signature* tagger = nullptr;
  REQUIRE(git_signature_new(&tagger, "Tagger", "tagger@example.invalid", 1700000000, 0) == 0);
  const std::string message = "release 1\n\nTOGETHER_API_KEY=" + fake_together_key(2214) + "\n";
  git_oid tag;
  // The tag object only, no ref: on the server it is still in the quarantine.
  REQUIRE(git_tag_annotation_create(&tag, repo.get(), "v1", target, tagger, message.c_str()) == 0);
  git_signature_free(tagger);
  git_object_free(target);
  const Verdict v = push_check(repo, line(kZero, git_oid_tostr_s(&tag), "refs/tags/v1"));
  CHECK(v.status == 1);
  CHECK_THAT(v.err, Catch::Contains("refs/tags/v1"));
  CHECK_THAT(v.err, Catch::Contains("rule together-api-key"));
  // The tagged commit is on main already: no commit of it is blamed.
  CHECK_THAT(v.err, Catch::Contains("in 0 new commit(s) and the pushed tags and objects"));
}

TEST_CASE("push check: one pipeline: a low-confidence generic password in tests/ passes, as in `staged`") {
  TestRepo repo;
  const std::string base = commit_base(repo);
  const std::string tip = new_commit(repo, {{"tests/fixtures/db.py", fake_path_demoted_credential(2215)}});
  CHECK(push_check(repo, line(base, tip, "refs/heads/main")).status == 0);
  // It is found, below the default minimum: asking for low confidence rejects it.
  PushCheckOptions low;
  low.min_confidence = Confidence::Low;
  const Verdict v = push_check(repo, line(base, tip, "refs/heads/main"), low);
  CHECK(v.status == 1);
  CHECK_THAT(v.err, Catch::Contains("tests/fixtures/db.py:1"));
}

TEST_CASE("push check: a pushed .keygateignore is not trusted unless the server says so") {
  TestRepo repo;
  const std::string base = commit_base(repo);
  const std::string key = fake_together_key(2216);
  const std::string tip =
      new_commit(repo, {{"k.env", "TOGETHER_API_KEY=" + key + "\n"},
                        {".keygateignore", fingerprint("together-api-key", "k.env", key) + "\n"}});
  const std::string input = line(base, tip, "refs/heads/main");
  const Verdict refused = push_check(repo, input);
  CHECK(refused.status == 1);
  CHECK_THAT(refused.err, Catch::Contains(".keygateignore not applied"));
  CHECK_THAT(refused.err, Catch::Contains("k.env:1  rule together-api-key"));
  REQUIRE(run_shell("git -C '" + repo.dir() + "' config keygate.trustPushed ignore") == 0);
  const Verdict trusted = push_check(repo, input);
  CHECK(trusted.status == 0);
  CHECK(trusted.err.find("not applied") == std::string::npos);
}

TEST_CASE("push check: a malformed input line is an Error naming the hook") {
  TestRepo repo;
  const std::string base = commit_base(repo);
  CHECK_THROWS_WITH(push_check(repo, "garbage\n"), Catch::Contains("pre-receive: input line 1: expected"));
  CHECK_THROWS_AS(push_check(repo, line(base, "not-an-object-id", "refs/heads/main")), Error);
  // An id that names no object in the repository.
  CHECK_THROWS_AS(push_check(repo, line(base, std::string(40, '1'), "refs/heads/main")), Error);
}

TEST_CASE("push check: pre-push skips what the remote's tracking refs already have") {
  TestRepo repo;
  repo.write("old.env", "TOGETHER_API_KEY=" + fake_together_key(2217) + "\n");
  repo.stage("old.env");
  const std::string pushed_before = repo.commit("already on the remote");
  set_ref(repo, "refs/remotes/origin/main", pushed_before);
  repo.write("new.txt", "clean\n");
  repo.stage("new.txt");
  const std::string tip = repo.commit("new work");  // main moves: pre-push runs after the commit
  PushCheckOptions options;
  options.hook = PushHook::PrePush;
  options.remote = "origin";
  // <local-ref> <local-oid> <remote-ref> <remote-oid>
  const std::string input = "refs/heads/main " + tip + " refs/heads/main " + pushed_before + "\n";
  CHECK(push_check(repo, input, options).status == 0);
  // Without the tracking ref or the remote's id, the old key is new to the remote: rejected.
  const std::string first_push = "refs/heads/main " + tip + " refs/heads/main " + kZero + "\n";
  options.remote.clear();
  const Verdict v = push_check(repo, first_push, options);
  CHECK(v.status == 1);
  CHECK_THAT(v.err, Catch::Contains("pre-push: push rejected"));
  CHECK_THAT(v.err, Catch::Contains("old.env:1  rule together-api-key"));
}

// The push checks read new commits through the history source, which scans each blob once for every path
// it is at; confidence depends on the path (demote_paths), so it is set per path when a finding is
// attributed. One commit adding the same password file at examples/db.py (low) and src/db.py (medium) is
// rejected, as `staged` and `scan` reject src/db.py (see also tests/filter/test_history_attribute.cpp).
TEST_CASE(
    "push check: one pipeline: a password added at a demoted and a normal path is rejected as in `staged`") {
  TestRepo repo;
  const std::string base = commit_base(repo);
  const std::string tip = new_commit(repo, {{"examples/db.py", fake_path_demoted_credential(2218)},
                                            {"src/db.py", fake_path_demoted_credential(2218)}});
  const Verdict v = push_check(repo, line(base, tip, "refs/heads/main"));
  CHECK(v.status == 1);
  CHECK_THAT(v.err, Catch::Contains("src/db.py:1  rule bcrypt-password-hash"));
}

TEST_CASE(
    "push check: content over the size limit makes the check incomplete (2) unless the server allows it") {
  TestRepo repo;
  const std::string base = commit_base(repo);
  const std::string tip = new_commit(repo, {{"big.txt", std::string(4096, 'x') + "\n"}});
  PushCheckOptions options;
  options.max_file_size = 1024;
  const Verdict v = push_check(repo, line(base, tip, "refs/heads/main"), options);
  CHECK(v.status == 2);
  CHECK_THAT(v.err, Catch::Contains("big.txt"));
  CHECK_THAT(v.err, Catch::Contains("check is incomplete"));
  REQUIRE(run_shell("git -C '" + repo.dir() + "' config keygate.allowLargeBlobs true") == 0);
  CHECK(push_check(repo, line(base, tip, "refs/heads/main"), options).status == 0);
}
