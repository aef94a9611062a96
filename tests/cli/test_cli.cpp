// Tests for cli.cpp: argv -> Options (which scan, where options may go) and the exit-code policy.
#include <fcntl.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "cli/cli.hpp"
#include "cli/parse_words.hpp"
#include "core/error.hpp"
#include "support/repo.hpp"

using namespace keygate;
using keygate::test::parse;

namespace {

// Runs `body` with the current directory set to `dir`, and restores it.
template <typename F>
void in_directory(const std::string& dir, F body) {
  char previous[4096];
  REQUIRE(::getcwd(previous, sizeof previous) != nullptr);
  REQUIRE(::chdir(dir.c_str()) == 0);
  try {
    body();
  } catch (...) {
    REQUIRE(::chdir(previous) == 0);
    throw;
  }
  REQUIRE(::chdir(previous) == 0);
}

}  // namespace

TEST_CASE("each command names its source kind") {
  CHECK(parse({"scan", "."}).source == SourceKind::File);
  CHECK(parse({"history"}).source == SourceKind::Commit);
  CHECK(parse({"staged"}).source == SourceKind::Staged);
  CHECK(parse({"ignore"}).source == SourceKind::Staged);
  CHECK(parse({"ignore", "history", "--since-commit", "abc"}).source == SourceKind::Commit);
  CHECK(parse({"ignore", "scan", "a.txt"}).source == SourceKind::File);
}

TEST_CASE("E16: a file named --show-secrets after a path is a path, not the option") {
  const Options o = parse({"scan", "a.txt", "--show-secrets", "b.txt"});
  CHECK(o.secrets == Secrets::Redacted);
  CHECK(o.args == std::vector<std::string>{"a.txt", "--show-secrets", "b.txt"});
}

TEST_CASE("E16: after --, a file named --show-secrets is a path") {
  const Options o = parse({"scan", "--", "--show-secrets", "a.txt"});
  CHECK(o.secrets == Secrets::Redacted);
  CHECK(o.args == std::vector<std::string>{"--show-secrets", "a.txt"});
}

TEST_CASE("E16: --show-secrets is refused when a glob may have put a file of that name first") {
  test::TempDir dir;
  test::write_file(dir / "--show-secrets", "x\n");
  in_directory(dir.path(), [] { CHECK_THROWS_AS(parse({"scan", "--show-secrets", "a.txt"}), Error); });
  CHECK(parse({"scan", "--show-secrets", "a.txt"}).secrets == Secrets::Shown);  // elsewhere it is honoured
}

TEST_CASE("history: git's revision options are revisions wherever they stand; other options go first") {
  const Options o = parse({"history", "--format", "json", "NEW", "--not", "--all"});
  CHECK(o.format == Format::Json);
  CHECK(o.args == std::vector<std::string>{"NEW", "--not", "--all"});
  CHECK(parse({"history", "--branches=main", "--not", "--tags", "--remotes=origin"}).args ==
        std::vector<std::string>{"--branches=main", "--not", "--tags", "--remotes=origin"});
  CHECK(parse({"ignore", "history", "NEW", "--not", "--all"}).args ==
        std::vector<std::string>{"NEW", "--not", "--all"});
  // After the first revision, anything else is a revision too (E16), and unknown to git's syntax.
  CHECK(parse({"history", "NEW", "--show-secrets"}).secrets == Secrets::Redacted);
  // Elsewhere --all is no option.
  CHECK_THROWS_AS(parse({"scan", "--all"}), Error);
}

TEST_CASE("options before the first path still work") {
  const Options o = parse({"scan", "--format", "json", "--jobs=2", "src"});
  CHECK(o.format == Format::Json);
  CHECK(o.jobs == 2);
  CHECK(o.args == std::vector<std::string>{"src"});
  CHECK_THROWS_AS(parse({"scan", "--bogus"}), Error);
  CHECK_THROWS_AS(parse({"staged", "extra"}), Error);
}

TEST_CASE("rules loads its rules as the other commands do, so it prints the config's warnings") {
  test::TempDir dir;
  const std::string config = dir / "rules.toml";
  test::write_file(config,
                   "[[rules]]\nid = \"demo\"\ndescription = \"demo\"\nregex = '''demo_[a-z]{8}'''\n"
                   "skipReport = true\n");
  const std::string err = dir / "err";
  const auto stderr_of = [&](std::vector<std::string> words) {
    words.insert(words.begin(), "keygate");
    std::vector<char*> argv;
    for (std::string& w : words) argv.push_back(w.data());
    std::fflush(stdout);
    std::fflush(stderr);
    const int saved_out = ::dup(STDOUT_FILENO);
    const int saved_err = ::dup(STDERR_FILENO);
    const int null = ::open("/dev/null", O_WRONLY);
    const int fd = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(null, STDOUT_FILENO);
    ::dup2(fd, STDERR_FILENO);
    ::close(null);
    ::close(fd);
    const int status = run(static_cast<int>(argv.size()), argv.data());
    std::fflush(stdout);
    std::fflush(stderr);
    ::dup2(saved_out, STDOUT_FILENO);
    ::dup2(saved_err, STDERR_FILENO);
    ::close(saved_out);
    ::close(saved_err);
    CHECK(status == 0);
    return test::read_file(err);
  };
  const std::string from_rules = stderr_of({"rules", "--config", config});
  CHECK(from_rules.find("keygate: warning: ") != std::string::npos);
  CHECK(from_rules.find("skipReport") != std::string::npos);
  in_directory(dir.path(), [&] {
    CHECK(stderr_of({"scan", "--config", config, "rules.toml"}) == from_rules);
  });
}
