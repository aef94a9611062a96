// Tests for help.cpp: the help texts, the nearest-name suggestion, and that the man page source and the
// completion scripts name exactly the options of the help table.
#include <catch2/catch.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "cli.hpp"
#include "help.hpp"
#include "support/repo.hpp"

using namespace keygate;

namespace {

std::string source_file(const std::string& relative) {
  return test::read_file(std::string(KEYGATE_SOURCE_DIR) + "/" + relative);
}

// Every "--name" in `text`.
std::set<std::string> long_options_in(const std::string& text) {
  std::set<std::string> out;
  const std::regex option(R"((^|[^a-z0-9-])(--[a-z][a-z-]*[a-z]))");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), option); it != std::sregex_iterator(); ++it) {
    out.insert((*it)[2]);
  }
  return out;
}

// The table's named options ("--" ends the options; it is documented, not completed).
std::set<std::string> table_options() {
  std::set<std::string> out;
  for (const OptionHelp& o : help_options()) {
    if (o.name != "--") out.insert(std::string(o.name));
  }
  return out;
}

Options parse(std::vector<std::string> words) {
  words.insert(words.begin(), "keygate");
  std::vector<char*> argv;
  for (std::string& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);
  return parse_options(static_cast<int>(words.size()), argv.data());
}

// A value of the kind `o.value` names, that parse_options accepts.
std::string sample_value(const OptionHelp& o) {
  if (o.value == "FORMAT") return "json";
  if (o.value == "WHEN") return "never";
  if (o.value == "N") return "2";
  if (o.value == "SHA") return "HEAD";
  return ".";  // DIR, FILE
}

}  // namespace

TEST_CASE("every command has help with options and examples") {
  for (const CommandHelp& c : help_commands()) {
    const auto text = command_help_text(c.name);
    REQUIRE(text);
    CHECK(text->find("usage: keygate " + std::string(c.name)) == 0);
    CHECK(text->find("examples:\n  keygate") != std::string::npos);
  }
  CHECK_FALSE(command_help_text("nosuch"));
  CHECK(usage_text().find("--format FORMAT") != std::string::npos);
}

TEST_CASE("a mistyped option or command suggests the nearest one") {
  CHECK(closest_name("--show-secret") == "--show-secrets");
  CHECK(closest_name("--fromat=json") == "--format");
  CHECK(closest_name("--colour") == "--color");
  CHECK(closest_name("--zzzzzzzzzzzz").empty());
  CHECK(closest_name("histroy", true) == "history");
  CHECK(closest_name("frobnicate", true).empty());
}

TEST_CASE("the man page source and the help table list the same options") {
  CHECK(long_options_in(source_file("docs/keygate.1.scd")) == table_options());
  CHECK(source_file("docs/keygate.1.scd").find("\n*--*\n") != std::string::npos);
}

TEST_CASE("the command line accepts every option of the help table for each command it lists") {
  for (const OptionHelp& o : help_options()) {
    for (std::string_view command : o.commands) {
      std::vector<std::string> words{std::string(command)};
      if (command == "ignore") words.push_back("history");  // which scan (--since-commit needs history)
      if (o.name == "--") {
        words.insert(words.end(), {"--", "--verbose"});
      } else {
        words.push_back(std::string(o.name));
        if (!o.value.empty()) words.push_back(sample_value(o));
      }
      INFO(o.name << " with " << command);
      Options options;
      REQUIRE_NOTHROW(options = parse(words));
      if (o.name == "--help") CHECK(options.command == Command::Help);
      if (o.name == "--") CHECK((options.args == std::vector<std::string>{"--verbose"} && !options.verbose));
    }
  }
}

TEST_CASE("each completion script offers exactly the options of the help table, and every format") {
  for (const char* script :
       {"completions/keygate.bash", "completions/_keygate", "completions/keygate.fish"}) {
    INFO(script);
    std::string text = source_file(script);
    std::set<std::string> options = long_options_in(text);
    if (std::string(script).find("fish") != std::string::npos) {
      // fish names long options without their dashes, in `complete ... -l name` lines.
      const std::regex option(R"(^complete .* -l ([a-z][a-z-]*))");
      std::istringstream lines(text);
      std::smatch m;
      for (std::string line; std::getline(lines, line);) {
        if (std::regex_search(line, m, option)) options.insert("--" + m[1].str());
      }
    }
    options.erase("--version");  // `keygate --version` is a command spelling, offered at the first word
    CHECK(options == table_options());
    for (std::string_view format : format_names()) CHECK(text.find(format) != std::string::npos);
    for (const CommandHelp& c : help_commands()) CHECK(text.find(c.name) != std::string::npos);
  }
}
