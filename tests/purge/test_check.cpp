// Tests for check.cpp and reach.cpp on real repositories: a secret in a committed blob is named with the
// ref that reaches it, in a commit message too, one written to the object database but never committed is
// unreachable and loose, and a repository without the secret passes; packed objects are read (git gc).
#include <git2.h>

#include <catch2/catch.hpp>

#include "purge/check.hpp"
#include "support/repo.hpp"

using namespace keygate;
using namespace keygate::purge;
using namespace keygate::test;

namespace {

bool has_place(const CheckResult& r, const std::string& object_type, const std::string& where) {
  for (const Survivor& s : r.survivors) {
    if (s.object.rfind(object_type, 0) == 0 && s.where.find(where) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("purge_check: a committed secret is named with the ref that reaches it", "[purge]") {
  TestRepo repo;
  const std::string secret = fake_together_key(11);
  repo.write("README", "hello\n");
  repo.stage("README");
  repo.commit("clean");
  CHECK(check_repository(repo.get(), {secret}, 2).survivors.empty());
  repo.write(".env", "KEY=" + secret + "\n");
  repo.stage(".env");
  repo.commit("add " + secret.substr(0, 10));
  const CheckResult r = check_repository(repo.get(), {secret, secret.substr(0, 10)}, 2);
  CHECK(has_place(r, "blob", "reachable from refs/heads/"));
  CHECK(has_place(r, "commit", "reachable from refs/heads/"));
  CHECK(r.missing == 0);
  for (const Survivor& s : r.survivors) CHECK(s.form.find(secret) == std::string::npos);
}

TEST_CASE("purge_check: an object never committed is unreachable, loose, then packed", "[purge]") {
  TestRepo repo;
  repo.write("README", "hello\n");
  repo.stage("README");
  repo.commit("clean");
  const std::string secret = fake_together_key(12);
  git_oid id;
  REQUIRE(git_blob_create_from_buffer(&id, repo.get(), secret.data(), secret.size()) == 0);
  const CheckResult loose = check_repository(repo.get(), {secret}, 1);
  REQUIRE(loose.survivors.size() == 1);
  CHECK(loose.survivors[0].where == "unreachable, loose");
  CHECK(loose.survivors[0].remedy.find("git gc --prune=now") != std::string::npos);
  // Packed and unreachable (as a gc keeps recent ones): read from the pack, named by it.
  REQUIRE(run_shell("cd '" + repo.dir() + "' && echo " + git_oid_tostr_s(&id) +
                    " | git pack-objects -q .git/objects/pack/pack >/dev/null") == 0);
  REQUIRE(run_shell("git -C '" + repo.dir() + "' prune-packed") == 0);
  const CheckResult packed = check_repository(repo.get(), {secret}, 2);
  REQUIRE(packed.survivors.size() == 1);
  CHECK(packed.survivors[0].where.rfind("unreachable, packed in pack-", 0) == 0);
  REQUIRE(run_shell("git -C '" + repo.dir() + "' gc -q --prune=now") == 0);
  CHECK(check_repository(repo.get(), {secret}, 2).survivors.empty());
}
