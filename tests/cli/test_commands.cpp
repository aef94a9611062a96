// Tests for commands.cpp: the command table is whole (each command and option once, each with what it runs
// or sets), and the parser reads it: every option works for the commands the table gives it, and only there.
#include <catch2/catch.hpp>
#include <set>
#include <utility>

#include "cli/cli.hpp"
#include "cli/commands.hpp"
#include "cli/parse_words.hpp"
#include "core/error.hpp"

using namespace keygate;
using keygate::test::parse;

namespace {

// A value `o` accepts: its first choice, or one of the kind its placeholder names.
std::string sample_value(const OptionSpec& o) {
  if (!o.choices.empty()) return std::string(o.choices.front());
  if (o.value == "TEXT") return "[REDACTED]";
  if (o.value == "N" || o.value == "S") return "2";
  if (o.value == "SHA") return "HEAD";
  if (o.value == "I/N") return "0/2";  // audit --shard
  return ".";                          // DIR, FILE
}

// The words of a command line that gives `command` the option `o` (with `value`, when it takes one) and
// whatever else the command needs to parse.
std::vector<std::string> command_line(const CommandSpec& command, const OptionSpec& o,
                                      const std::string& value) {
  std::vector<std::string> words{std::string(command.name)};
  if (command.command == Command::Ignore) words.push_back("history");  // which scan (--since-commit needs it)
  if (command.command == Command::Report) words.push_back("merge");    // its action
  if (o.name == "--only-verified") words.push_back("--verify");
  words.push_back(std::string(o.name));
  if (!o.value.empty()) words.push_back(value);
  if (o.name == "--in-place") words.push_back("dump.txt");
  if (command.operands == Operands::MessageFile) words.push_back("COMMIT_EDITMSG");
  return words;
}

}  // namespace

TEST_CASE("the command table holds each command once, with a runner") {
  std::set<std::string_view> names;
  std::set<Command> ids;
  for (const CommandSpec& c : command_table()) {
    INFO(c.name);
    CHECK(names.insert(c.name).second);
    for (std::string_view s : c.spellings) CHECK(names.insert(s).second);
    CHECK(ids.insert(c.command).second);
    CHECK(c.run != nullptr);
    CHECK(c.synopsis.substr(0, c.name.size()) == c.name);
    CHECK(&command_spec(c.command) == &c);
    CHECK(find_command(c.name) == &c);
    CHECK(parse({std::string(c.name), "--help"}).args == std::vector<std::string>{std::string(c.name)});
  }
  CHECK(find_command("--version") == &command_spec(Command::Version));
  CHECK(find_command("-h") == &command_spec(Command::Help));
  CHECK(find_command("nosuch") == nullptr);
}

TEST_CASE("the option table holds each option once per command, each with what it sets") {
  std::set<std::pair<std::string_view, Command>> taken;
  std::set<std::string_view> spellings;
  for (const OptionSpec& o : option_table()) {
    INFO(o.name);
    CHECK((o.set != nullptr) == (o.name != "--"));
    CHECK_FALSE(o.description.empty());
    if (o.value.empty()) CHECK(o.choices.empty());
    for (const CommandSpec& c : command_table()) {
      if (o.commands.contains(c.command)) CHECK(taken.insert({o.name, c.command}).second);
    }
    for (std::string_view s : o.spellings) CHECK(spellings.insert(s).second);
  }
  for (const OptionSpec& o : option_table()) CHECK(spellings.count(o.name) == 0);
}

TEST_CASE("the command line accepts every option of the table for each command that takes it") {
  for (const OptionSpec& o : option_table()) {
    for (const CommandSpec& c : command_table()) {
      if (!o.commands.contains(c.command) || o.name == "--") continue;
      INFO(o.name << " with " << c.name);
      Options options;
      REQUIRE_NOTHROW(options = parse(command_line(c, o, sample_value(o))));
      if (o.name == "--help") CHECK(options.command == Command::Help);
    }
  }
}

TEST_CASE("each value of an option's fixed list is accepted, and another value is refused naming it") {
  for (const OptionSpec& o : option_table()) {
    for (const CommandSpec& c : command_table()) {
      // --hook's values are checked by install itself, when it runs (install.hpp: hook_spec).
      if (!o.commands.contains(c.command) || o.choices.empty() || o.name == "--hook") continue;
      for (std::string_view choice : o.choices) {
        INFO(o.name << " " << choice << " with " << c.name);
        CHECK_NOTHROW(parse(command_line(c, o, std::string(choice))));
      }
      INFO(o.name << " with " << c.name);
      CHECK_THROWS_WITH(parse(command_line(c, o, "nosuch")), Catch::StartsWith(std::string(o.name) + ": "));
    }
  }
}

TEST_CASE("the command line refuses an option for each command the table does not give it, naming both") {
  for (const OptionSpec& o : option_table()) {
    for (const CommandSpec& c : command_table()) {
      const bool someone_takes_it = [&] {
        for (const OptionSpec& other : option_table()) {
          if (other.name == o.name && other.commands.contains(c.command)) return true;
        }
        return false;
      }();
      if (someone_takes_it) continue;
      INFO(o.name << " with " << c.name);
      std::vector<std::string> words{std::string(c.name), std::string(o.name)};
      if (!o.value.empty()) words.push_back(sample_value(o));
      CHECK_THROWS_WITH(parse(words), "option \"" + std::string(o.name) + "\" does not apply to " +
                                          std::string(c.name) + " (see keygate help " + std::string(c.name) +
                                          ")");
    }
  }
}

TEST_CASE("an option's other spellings work as its name does") {
  CHECK(parse({"scan", "-v"}).verbose);
  CHECK(parse({"scan", "-j", "3"}).jobs == 3);
  CHECK(parse({"scan", "--colour", "never"}).color == Color::Never);
  CHECK(parse({"scan", "--colour=always"}).color == Color::Always);
  CHECK(parse({"scan", "-h"}).command == Command::Help);
  CHECK(parse({"scan", "--jobs=4"}).jobs == 4);
  CHECK_THROWS_WITH(parse({"scan", "-j"}), "-j needs a value");
  CHECK_THROWS_WITH(parse({"scan", "--jobs", "0"}), "--jobs: not a thread count: \"0\"");
  CHECK_THROWS_WITH(parse({"scan", "--verbose=yes"}), Catch::StartsWith("unknown option \"--verbose=yes\""));
}

TEST_CASE("each command's operands are checked by the table's kind") {
  CHECK_THROWS_WITH(parse({"staged", "extra"}), "unexpected argument \"extra\" (see keygate --help)");
  CHECK_THROWS_WITH(parse({"commit-msg"}), Catch::StartsWith("commit-msg needs one argument"));
  CHECK_THROWS_WITH(parse({"help", "scan", "history"}), Catch::StartsWith("unexpected argument \"history\""));
  CHECK(parse({"pre-push", "origin", "https://example.invalid/x.git"}).args.size() == 2);
  CHECK_THROWS_AS(parse({"pre-push", "origin", "url", "more"}), Error);
  CHECK_THROWS_WITH(parse({"ignore", "foo"}), "unexpected argument \"foo\" (see keygate --help)");
  CHECK(parse({"ignore", "scan", "a", "b"}).args == std::vector<std::string>{"a", "b"});
  CHECK_THROWS_WITH(parse({"ignore", "scan", "--since-commit", "x"}),
                    "--since-commit only applies to history");
  CHECK(parse({"version"}).command == Command::Version);
  CHECK(parse({}).no_command);
}
