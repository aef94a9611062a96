// Tests for config/resolve.cpp: --config and .keygate.toml with their [extend] chains (B4), the project's
// files from the index or the work tree, and building the RuleSet the command line uses.
#include <unistd.h>

#include <catch2/catch.hpp>

#include "config/resolve.hpp"
#include "core/error.hpp"
#include "git/git.hpp"
#include "support/repo.hpp"

using namespace keygate;
using namespace keygate::test;

namespace {

std::string rule(const std::string& id) {
  return "[[rules]]\nid = \"" + id + "\"\nregex = '" + id + "_[0-9]{8}'\n";
}

bool has_rule(const Config& c, const std::string& id) {
  return std::any_of(c.rules.begin(), c.rules.end(), [&](const RuleSpec& r) { return r.id == id; });
}

const RuleSpec& rule_of(const Config& c, const std::string& id) {
  const auto it = std::find_if(c.rules.begin(), c.rules.end(), [&](const RuleSpec& r) { return r.id == id; });
  REQUIRE(it != c.rules.end());
  return *it;
}

std::string error_of(const std::string& path, const ProjectFiles& project = {}) {
  try {
    resolve_config(path, project);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("B4: --config follows an [extend] path chain a -> b -> c, each relative to the extending file") {
  TempDir dir;
  write_file(dir / "a.toml", "[extend]\npath = \"sub/b.toml\"\n" + rule("rule-a"));
  write_file(dir / "sub/b.toml", "[extend]\npath = \"../c.toml\"\n" + rule("rule-b"));
  write_file(dir / "c.toml", "[extend]\nuseDefault = true\n" + rule("rule-c"));
  const auto config = resolve_config(dir / "a.toml", ProjectFiles{});
  CHECK(has_rule(*config, "rule-a"));
  CHECK(has_rule(*config, "rule-b"));
  CHECK(has_rule(*config, "rule-c"));
  CHECK(config->rules.size() > default_config().rules.size());  // c's useDefault brought the defaults
}

TEST_CASE("B4: a cycle of [extend] paths is an error naming the place and the cycle") {
  TempDir dir;
  write_file(dir / "a.toml", "[extend]\npath = \"b.toml\"\n" + rule("rule-a"));
  write_file(dir / "b.toml", rule("rule-b") + "[extend]\npath = \"a.toml\"\n");
  const std::string e = error_of(dir / "a.toml");
  CHECK_THAT(e, Catch::Contains("b.toml:4: [extend] path: a cycle"));
  CHECK_THAT(e, Catch::Contains("a.toml -> "));
}

TEST_CASE("B4: a chain deeper than the limit is an error naming the place") {
  TempDir dir;
  for (int i = 0; i < kMaxExtendDepth + 3; ++i) {
    write_file(
        dir / ("c" + std::to_string(i) + ".toml"),
        "[extend]\npath = \"c" + std::to_string(i + 1) + ".toml\"\n" + rule("rule-" + std::to_string(i)));
  }
  write_file(dir / ("c" + std::to_string(kMaxExtendDepth + 3) + ".toml"), rule("last"));
  CHECK_THAT(error_of(dir / "c0.toml"), Catch::Contains("[extend] path: more than"));
}

TEST_CASE("B4: a missing extended file is an error naming it") {
  TempDir dir;
  write_file(dir / "a.toml", "[extend]\npath = \"nowhere.toml\"\n" + rule("rule-a"));
  CHECK_THAT(error_of(dir / "a.toml"), Catch::Contains("nowhere.toml: cannot read"));
}

TEST_CASE("B4: .keygate.toml follows its [extend] path inside the project, and keeps the defaults") {
  TestRepo repo;
  repo.write(".keygate.toml", "[extend]\npath = \"config/more.toml\"\n" + rule("rule-top"));
  repo.write("config/more.toml", "[extend]\npath = \"last.toml\"\n" + rule("rule-more"));
  repo.write("config/last.toml", rule("rule-last"));
  const auto config = resolve_config("", project_files(repo.get(), SourceKind::File, ""));
  CHECK(has_rule(*config, "rule-top"));
  CHECK(has_rule(*config, "rule-more"));
  CHECK(has_rule(*config, "rule-last"));
  // A chain never drops the defaults silently: only `useDefault = false` does.
  CHECK(has_rule(*config, default_config().rules.front().id));
}

TEST_CASE("#14: rules of .keygate.toml and of its whole [extend] chain are marked as the repository's") {
  // verify.cpp never uses their verifier: whoever controls the repository wrote them. The flag does not
  // depend on how the file is named in messages ("(staged)", a path inside the project, a path outside).
  TempDir outside;
  write_file(outside / "shared.toml", rule("rule-outside"));
  TestRepo repo;
  const std::string replaced = default_config().rules.front().id;
  repo.write(".keygate.toml", "[extend]\npath = \"config/more.toml\"\n" + rule("rule-top") + rule(replaced));
  repo.write("config/more.toml",
             "[extend]\npath = \"" + outside / "shared.toml" + "\"\n" + rule("rule-more"));
  const auto config = resolve_config("", project_files(repo.get(), SourceKind::File, ""));
  CHECK(rule_of(*config, "rule-top").from_repository);
  CHECK(rule_of(*config, "rule-more").from_repository);
  CHECK(rule_of(*config, "rule-outside").from_repository);
  CHECK(rule_of(*config, replaced).from_repository);  // a default rule the repository replaced
  CHECK_FALSE(rule_of(*config, default_config().rules.back().id).from_repository);

  // The same files passed with --config are the user's choice.
  const auto trusted = resolve_config(repo.dir() + "/.keygate.toml", ProjectFiles{});
  CHECK_FALSE(rule_of(*trusted, "rule-top").from_repository);
  CHECK_FALSE(rule_of(*trusted, "rule-outside").from_repository);
}

TEST_CASE("B4: .keygate.toml with useDefault = false and a chain has the chain's rules only") {
  TestRepo repo;
  repo.write(".keygate.toml", "[extend]\nuseDefault = false\npath = \"more.toml\"\n" + rule("rule-top"));
  repo.write("more.toml", rule("rule-more"));
  const auto config = resolve_config("", project_files(repo.get(), SourceKind::File, ""));
  CHECK(config->rules.size() == 2);
}

TEST_CASE("B4: the staged check reads the chain from the index, not the work tree") {
  git::init();
  TestRepo repo;
  repo.write(".keygate.toml", "[extend]\npath = \"more.toml\"\n" + rule("rule-top"));
  repo.write("more.toml", rule("rule-staged"));
  repo.stage(".keygate.toml");
  repo.stage("more.toml");
  repo.write("more.toml", rule("rule-unstaged"));
  const auto config = resolve_config("", project_files(repo.get(), SourceKind::Staged, ""));
  CHECK(has_rule(*config, "rule-staged"));
  CHECK_FALSE(has_rule(*config, "rule-unstaged"));
}

TEST_CASE("a relative --config and its [extend] path work from another directory (extend_path fixture)") {
  char previous[4096];
  REQUIRE(::getcwd(previous, sizeof previous) != nullptr);
  REQUIRE(::chdir(KEYGATE_TEST_FIXTURES) == 0);
  std::string error;
  try {
    build_rules(resolve_config("config/valid/extend_path.toml", ProjectFiles{}));
  } catch (const Error& e) {
    error = e.what();
  }
  REQUIRE(::chdir(previous) == 0);
  CHECK(error.empty());
}

TEST_CASE("without --config or .keygate.toml, the embedded defaults are used as they are") {
  TempDir dir;
  ProjectFiles project;
  project.root = dir.path() + "/";
  const auto config = resolve_config("", project);
  CHECK(config.get() == &default_config());
  CHECK(build_rules(config)->rules().size() == default_config().rules.size());
}

namespace {

git_oid oid_of(const std::string& hex) {
  git_oid id;
  git_oid_fromstr(&id, hex.c_str());
  return id;
}

}  // namespace

TEST_CASE("push: a pushed tip's files and [extend] chain come from its tree, over the server's config") {
  git::init();
  TestRepo repo;
  TempDir dir;
  write_file(dir / "server.toml", "[extend]\nuseDefault = true\n" + rule("rule-server"));
  repo.write(".keygate.toml", "[extend]\npath = \"more.toml\"\n" + rule("rule-top"));
  repo.write("more.toml", rule("rule-committed"));
  repo.stage(".keygate.toml");
  repo.stage("more.toml");
  const git_oid tip = oid_of(repo.commit("config"));
  repo.write("more.toml", rule("rule-work-tree"));
  const ProjectFiles files = project_files_at(repo.get(), tip, "refs/heads/main");
  REQUIRE(files.read(".keygate.toml"));
  CHECK(files.read(".keygate.toml")->name == "refs/heads/main:.keygate.toml");
  CHECK_FALSE(files.read(".keygateignore"));
  std::vector<std::string> refused;
  const auto config = resolve_server_config(dir / "server.toml", files, PushTrust{}, refused);
  CHECK(refused.empty());
  CHECK(has_rule(*config, "rule-top"));
  CHECK(has_rule(*config, "rule-committed"));
  CHECK(has_rule(*config, "rule-server"));
  CHECK_FALSE(has_rule(*config, "rule-work-tree"));
  CHECK(config->rules.size() > default_config().rules.size());
  // Without repository files, the server's config alone; without either, the defaults.
  CHECK_FALSE(has_rule(*resolve_server_config(dir / "server.toml", ProjectFiles{}, PushTrust{}, refused),
                       "rule-top"));
  const auto defaults = resolve_server_config("", ProjectFiles{}, PushTrust{}, refused);
  CHECK(defaults->rules == default_config().rules);
  CHECK_FALSE(defaults->inline_allow);  // pushed `keygate:allow` comments are not trusted by default
}

TEST_CASE(
    "push: an [extend] path that leaves the pushed tree is an error, not a read of the server's files") {
  git::init();
  TestRepo repo;
  TempDir dir;
  write_file(dir / "secret.toml", rule("rule-outside"));
  repo.write(".keygate.toml", "[extend]\npath = \"" + (dir / "secret.toml") + "\"\n");
  repo.stage(".keygate.toml");
  const ProjectFiles files = project_files_at(repo.get(), oid_of(repo.commit("config")), "refs/heads/x");
  std::string error;
  try {
    std::vector<std::string> refused;
    resolve_server_config("", files, PushTrust{}, refused);
  } catch (const Error& e) {
    error = e.what();
  }
  CHECK(error.find("refs/heads/x:.keygate.toml: [extend] path") != std::string::npos);
  CHECK(error.find("leaves the pushed commit's tree") != std::string::npos);
}

namespace {

// The default server config resolved under `trust` for a tip whose .keygate.toml is `pushed_toml`.
std::shared_ptr<const Config> pushed_config(const std::string& pushed_toml, const PushTrust& trust,
                                            std::vector<std::string>& refused) {
  git::init();
  TestRepo repo;
  repo.write(".keygate.toml", pushed_toml);
  repo.stage(".keygate.toml");
  const ProjectFiles files = project_files_at(repo.get(), oid_of(repo.commit("config")), "refs/heads/x");
  return resolve_server_config("", files, trust, refused);
}

bool refused_names(const std::vector<std::string>& refused, const std::string& what) {
  return std::any_of(refused.begin(), refused.end(), [&](const std::string& r) {
    return r.find(what) != std::string::npos && r.find("keygate.trustPushed") != std::string::npos;
  });
}

}  // namespace

TEST_CASE("push policy: a pushed config adds rules and tightens, but cannot weaken the server's (#23.1)") {
  const std::size_t defaults = default_config().rules.size();
  std::vector<std::string> refused;
  // Every way of weakening a pusher tried, each refused and named.
  const auto weak = pushed_config(
      "[extend]\nuseDefault = false\ndisabledRules = [\"together-api-key\"]\n" + rule("rule-new") +
          "[[rules]]\nid = \"together-api-key\"\nregex = 'never-matches-xyz'\n"
          "[[allowlists]]\npaths = ['.*']\n[[allowlists]]\nstopwords = [\"tgp_\"]\n"
          "[confidence]\nminimum = \"high\"\ndemote_paths = ['.*']\n[decode]\nmax_depth = 0\n",
      PushTrust{}, refused);
  CHECK(has_rule(*weak, "rule-new"));
  CHECK(weak->rules.size() == defaults + 1);
  const auto together = std::find_if(weak->rules.begin(), weak->rules.end(),
                                     [](const RuleSpec& r) { return r.id == "together-api-key"; });
  REQUIRE(together != weak->rules.end());
  CHECK(together->regex != "never-matches-xyz");
  CHECK(weak->allowlists == default_config().allowlists);
  CHECK_FALSE(weak->min_confidence);
  CHECK_FALSE(weak->demote_paths);
  CHECK_FALSE(weak->decode_max_depth);
  for (const char* what : {"useDefault", "disabledRules", "rule \"together-api-key\"", "[[allowlists]]",
                           "[confidence] minimum", "demote_paths", "max_depth"}) {
    CHECK(refused_names(refused, what));
  }
  // Tightening needs no trust: a lower minimum and deeper decoding apply.
  refused.clear();
  const auto tight =
      pushed_config("[confidence]\nminimum = \"low\"\n[decode]\nmax_depth = 5\n", PushTrust{}, refused);
  CHECK(tight->min_confidence == Confidence::Low);
  CHECK(tight->decode_max_depth == 5);
  CHECK(refused.empty());
  // The server's owner may trust each kind.
  refused.clear();
  const auto trusted = pushed_config(
      "[extend]\nuseDefault = false\n" + rule("rule-only") + "[[allowlists]]\npaths = ['fixtures/']\n",
      parse_push_trust("all", "test"), refused);
  CHECK(trusted->rules.size() == 1);
  CHECK(trusted->allowlists.size() == default_config().allowlists.size() + 1);
  CHECK(trusted->inline_allow);
  CHECK(refused.empty());
}

TEST_CASE("push policy: keygate.trustPushed words") {
  CHECK(parse_push_trust("", "x") == PushTrust{});
  CHECK(parse_push_trust("none", "x") == PushTrust{});
  const PushTrust some = parse_push_trust("ignore, inline allowlists", "x");
  CHECK(some.ignore_file);
  CHECK(some.inline_allow);
  CHECK(some.allowlists);
  CHECK_FALSE(some.rules);
  CHECK_FALSE(some.confidence);
  CHECK(parse_push_trust("all", "x") == PushTrust{true, true, true, true, true});
  std::string error;
  try {
    parse_push_trust("rules,everything", "git config keygate.trustPushed");
  } catch (const Error& e) {
    error = e.what();
  }
  CHECK(
      error ==
      "git config keygate.trustPushed: unknown kind \"everything\" (expected rules, allowlists, confidence, "
      "ignore, inline, all or none)");
}

TEST_CASE("push: a pushed [archive] table may tighten the server's limits, never weaken them") {
  git::init();
  TestRepo repo;
  TempDir dir;
  write_file(dir / "server.toml",
             "[extend]\nuseDefault = true\n[archive]\nmax_depth = 3\nmax_entries = 50\n");
  repo.write(".keygate.toml",
             "[archive]\nmax_depth = 0\nmax_entries = 10\nmax_ratio = 500\nunreadable = \"pass\"\n");
  repo.stage(".keygate.toml");
  const ProjectFiles files = project_files_at(repo.get(), oid_of(repo.commit("config")), "refs/heads/main");
  std::vector<std::string> refused;
  const auto config = resolve_server_config(dir / "server.toml", files, PushTrust{}, refused);
  CHECK(config->archive.max_depth == 3);     // 0 would turn the server's archive reading off
  CHECK(config->archive.max_entries == 10);  // lower: stricter, applied
  CHECK_FALSE(config->archive.max_ratio);    // higher than the default 100: refused
  CHECK_FALSE(config->archive.unreadable);   // "pass" refused: the server's "fail" stays
  REQUIRE(refused.size() == 3);
  CHECK(refused[0] ==
        "refs/heads/main:.keygate.toml: [archive] max_depth = 0 not applied: a pushed config "
        "may not weaken the server's archive limits");
  // Trusted with everything (pre-push on the pusher's own machine): the project's table applies as is.
  refused.clear();
  const auto trusted =
      resolve_server_config(dir / "server.toml", files, PushTrust{true, true, true, true, true}, refused);
  CHECK(trusted->archive.max_depth == 0);
  CHECK(trusted->archive.unreadable == UnreadableArchive::Pass);
  CHECK(refused.empty());
}
