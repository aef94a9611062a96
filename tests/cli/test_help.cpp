// Tests for help.cpp: the help texts, the nearest-name suggestion, and that the man page source and the
// completion scripts name exactly the options of the help table.
#include <catch2/catch.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "cli/cli.hpp"
#include "cli/help.hpp"
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

// Long options the man page and completions name that are not keygate's options: git's revision words
// (history takes them as revisions) and, in the man page, git's own bypass option.
std::set<std::string> table_and_revision_words() {
  std::set<std::string> out = table_options();
  for (std::string_view w : revision_words()) out.insert(std::string(w));
  return out;
}

// Every whole string literal "--name" in `text` (the option names a parser compares with).
std::set<std::string> option_literals_in(const std::string& text) {
  std::set<std::string> out;
  const std::regex literal(R"re("(--[a-z][a-z-]*[a-z])")re");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), literal); it != std::sregex_iterator();
       ++it) {
    out.insert((*it)[1]);
  }
  return out;
}

// A value of the kind `o.value` names, that parse_options accepts.
std::string sample_value(const OptionHelp& o) {
  if (o.name == "--rules") return "pii";
  if (o.name == "--on-timeout") return "accept";
  if (o.value == "FORMAT") return "json";
  if (o.value == "LEVEL") return "low";
  if (o.value == "TEXT") return "[REDACTED]";
  if (o.value == "WHEN") return "never";
  if (o.value == "N" || o.value == "S") return "2";
  if (o.value == "NAME") return "pre-push";
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
  std::set<std::string> expected = table_and_revision_words();
  expected.insert("--no-verify");  // git's bypass, named in the hook commands' descriptions
  CHECK(long_options_in(source_file("docs/keygate.1.scd")) == expected);
  CHECK(source_file("docs/keygate.1.scd").find("\n*--*\n") != std::string::npos);
}

TEST_CASE("the command line accepts every option of the help table for each command it lists") {
  for (const OptionHelp& o : help_options()) {
    for (std::string_view command : o.commands) {
      std::vector<std::string> words{std::string(command)};
      if (command == "ignore") words.push_back("history");  // which scan (--since-commit needs history)
      if (o.name == "--only-verified") words.push_back("--verify");
      if (o.name == "--") {
        words.insert(words.end(), {"--", "--verbose"});
      } else {
        words.push_back(std::string(o.name));
        if (!o.value.empty()) words.push_back(sample_value(o));
        if (o.name == "--in-place") words.push_back("dump.txt");
        if (command == "commit-msg") words.push_back("COMMIT_EDITMSG");  // its one argument
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
    CHECK(options == table_and_revision_words());
    for (std::string_view format : format_names()) CHECK(text.find(format) != std::string::npos);
    for (const CommandHelp& c : help_commands()) CHECK(text.find(c.name) != std::string::npos);
  }
}

TEST_CASE("the help table names every option and command the command line parses, and no other") {
  // Every "--name" literal of the parsers (cli/options.cpp and verify.cpp's parse_verify_option), less
  // spellings that are not options of their own.
  std::set<std::string> parsed = option_literals_in(source_file("src/cli/options.cpp"));
  for (const std::string& o : option_literals_in(source_file("src/verify/verify.cpp"))) parsed.insert(o);
  for (std::string_view w : revision_words()) CHECK(parsed.erase(std::string(w)) == 1);
  CHECK(parsed.erase("--colour") == 1);   // --color's British spelling
  CHECK(parsed.erase("--version") == 1);  // a command spelling
  CHECK(parsed == table_options());

  std::set<std::string> commands;
  const std::string cli = source_file("src/cli/options.cpp");
  const std::regex command(R"re(word == "([a-z][a-z-]*)")re");
  for (auto it = std::sregex_iterator(cli.begin(), cli.end(), command); it != std::sregex_iterator(); ++it) {
    commands.insert((*it)[1]);
  }
  std::set<std::string> table;
  for (const CommandHelp& c : help_commands()) table.insert(std::string(c.name));
  CHECK(commands == table);
}

TEST_CASE("the help says that --verify is the only way anything is sent") {
  const std::string usage = usage_text();
  CHECK(usage.find("--verify ") != std::string::npos);
  CHECK(usage.find("nothing is sent anywhere without this option") != std::string::npos);
  CHECK(command_help_text("history")->find("--not, --all") != std::string::npos);
  CHECK(command_help_text("redact")->find("--format FORMAT") != std::string::npos);
  CHECK(command_help_text("redact")->find("jsonl") != std::string::npos);
  CHECK(command_help_text("scan")->find("jsonl") == std::string::npos);
  CHECK(closest_name("--verfy") == "--verify");
  CHECK(closest_name("pre-recieve", true) == "pre-receive");
}
