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

TEST_CASE("issue 29: options anywhere on the line, as git, ripgrep and gitleaks read them") {
  const Options o = parse({"scan", ".", "--format", "json"});
  CHECK(o.format == Format::Json);
  CHECK(o.args == std::vector<std::string>{"."});
  const Options mixed = parse({"scan", "a.txt", "--jobs=2", "b.txt", "-v", "--min-confidence", "high"});
  CHECK(mixed.args == std::vector<std::string>{"a.txt", "b.txt"});
  CHECK(mixed.jobs == 2);
  CHECK(mixed.verbose);
  CHECK(mixed.min_confidence == Confidence::High);
  CHECK(parse({"history", "main..HEAD", "--format", "sarif"}).format == Format::Sarif);
  CHECK(parse({"redact", "in.log", "--mask", "X"}).redact.mask == "X");
  CHECK(parse({"commit-msg", "MSG", "--min-confidence", "low"}).args == std::vector<std::string>{"MSG"});
  CHECK(parse({"pre-push", "origin", "--timeout", "30"}).timeout == 30);
  CHECK(parse({"ignore", "scan", "a.txt", "--baseline", "b.json"}).baseline == "b.json");
  // Options before the command word too, values that look like command names included.
  const Options before = parse({"--format", "json", "-v", "scan", "."});
  CHECK(before.command == Command::Scan);
  CHECK(before.format == Format::Json);
  CHECK(before.verbose);
  CHECK(before.args == std::vector<std::string>{"."});
  CHECK(parse({"--config", "scan", "history", "main"}).config_file == "scan");
  CHECK(parse({"--format=sarif", "history"}).format == Format::Sarif);
  CHECK_THROWS_AS(parse({"--format", "json"}), Error);
  CHECK_THROWS_AS(parse({"--in-place", "scan"}), Error);  // an option the command does not take
  // --help anywhere asks for the command's help.
  CHECK(parse({"scan", ".", "--help"}).command == Command::Help);
  // An unknown option after a path is an error, not a path called "--bogus".
  CHECK_THROWS_AS(parse({"scan", ".", "--bogus"}), Error);
}

TEST_CASE("issue 29: -- ends the options: every later word is an operand") {
  const Options o = parse({"scan", "--", "--show-secrets", "a.txt", "--format"});
  CHECK(o.secrets == Secrets::Redacted);
  CHECK(o.format == Format::Text);
  CHECK(o.args == std::vector<std::string>{"--show-secrets", "a.txt", "--format"});
  // Options before it still count; a second -- is an operand.
  const Options p = parse({"scan", "--format", "json", "--", "--", "-v"});
  CHECK(p.format == Format::Json);
  CHECK_FALSE(p.verbose);
  CHECK(p.args == std::vector<std::string>{"--", "-v"});
  CHECK(parse({"pre-push", "--", "-weird-remote", "url"}).args ==
        std::vector<std::string>{"-weird-remote", "url"});
}

TEST_CASE(
    "E16 (issue 29): an option that is also a file here is refused: a glob may have put it on the line") {
  test::TempDir dir;
  test::write_file(dir / "--show-secrets", "x\n");
  test::write_file(dir / "--config=empty.toml", "x\n");
  test::write_file(dir / "--help", "x\n");
  test::write_file(dir / "a.txt", "x\n");
  in_directory(dir.path(), [] {
    // What `keygate scan *` expands to, in every position.
    for (const std::vector<std::string>& words :
         {std::vector<std::string>{"scan", "--show-secrets", "a.txt"},
          std::vector<std::string>{"scan", "a.txt", "--show-secrets"},
          std::vector<std::string>{"scan", "--config=empty.toml", "a.txt"},
          std::vector<std::string>{"scan", "--help", "a.txt"}, std::vector<std::string>{"history", "--help"},
          std::vector<std::string>{"redact", "a.txt", "--show-secrets"}}) {
      INFO(words[1]);
      try {
        parse(words);
        FAIL("accepted");
      } catch (const Error& e) {
        const std::string message = e.what();
        CHECK(message.find("is both an option and a file here") != std::string::npos);
        CHECK(message.find("\"./") != std::string::npos);  // how to name the file
        CHECK(message.find("\"--\"") != std::string::npos);
        CHECK(message.find('\n') == std::string::npos);
      }
    }
    // The ways out the message names: after --, or as ./NAME, the file is a path.
    CHECK(parse({"scan", "--", "--show-secrets", "a.txt"}).args ==
          std::vector<std::string>{"--show-secrets", "a.txt"});
    CHECK(parse({"scan", "./--show-secrets"}).secrets == Secrets::Redacted);
    // Options no file is named like still work here.
    CHECK(parse({"scan", "a.txt", "--format", "json"}).format == Format::Json);
  });
  // Elsewhere the option is honoured.
  CHECK(parse({"scan", "a.txt", "--show-secrets"}).secrets == Secrets::Shown);
}

TEST_CASE("E16 (issue 29): a dangling symbolic link named like an option is refused too") {
  test::TempDir dir;
  REQUIRE(::symlink("nowhere", (dir / "--show-secrets").c_str()) == 0);
  in_directory(dir.path(), [] { CHECK_THROWS_AS(parse({"scan", ".", "--show-secrets"}), Error); });
}

TEST_CASE("history: git's revision options are revisions wherever they stand") {
  const Options o = parse({"history", "--format", "json", "NEW", "--not", "--all"});
  CHECK(o.format == Format::Json);
  CHECK(o.args == std::vector<std::string>{"NEW", "--not", "--all"});
  CHECK(parse({"history", "--branches=main", "--not", "--tags", "--remotes=origin"}).args ==
        std::vector<std::string>{"--branches=main", "--not", "--tags", "--remotes=origin"});
  CHECK(parse({"ignore", "history", "NEW", "--not", "--all"}).args ==
        std::vector<std::string>{"NEW", "--not", "--all"});
  // Other options are options after a revision too (issue 29).
  const Options after = parse({"history", "NEW", "--not", "--all", "--format", "sarif"});
  CHECK(after.format == Format::Sarif);
  CHECK(after.args == std::vector<std::string>{"NEW", "--not", "--all"});
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
