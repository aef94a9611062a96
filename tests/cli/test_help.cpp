// Tests for help.cpp: the help texts and the nearest-name suggestion; and that the man page source and the
// completion scripts name exactly the commands and options of the command table (commands.hpp), with each
// completion script offering each command its own options and each option its values.
#include <catch2/catch.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "cli/cli.hpp"
#include "cli/commands.hpp"
#include "cli/help.hpp"
#include "support/repo.hpp"

using namespace keygate;

namespace {

std::string source_path(const std::string& relative) {
  return std::string(KEYGATE_SOURCE_DIR) + "/" + relative;
}

std::string source_file(const std::string& relative) { return test::read_file(source_path(relative)); }

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
  for (const OptionSpec& o : option_table()) {
    if (o.name != "--") out.insert(std::string(o.name));
  }
  return out;
}

std::set<std::string> table_commands() {
  std::set<std::string> out;
  for (const CommandSpec& c : command_table()) out.insert(std::string(c.name));
  return out;
}

// Long options the man page and completions name that are not keygate's options: git's revision words
// (history takes them as revisions).
std::set<std::string> table_and_revision_words() {
  std::set<std::string> out = table_options();
  for (const RevisionWord& w : revision_words()) out.insert(std::string(w.word));
  return out;
}

// What the completion script at `script` offers after `line` (words separated by spaces; a trailing space
// starts a new, empty word), one per line, by running its shell.
std::set<std::string> completions(const std::string& script, const std::string& line) {
  test::TempDir dir;
  const std::string out = dir / "out";
  std::string command;
  if (script.find("fish") != std::string::npos) {
    command = "fish -c 'source " + source_path(script) + "; complete -C \"" + line + "\"' | cut -f1 > " + out;
  } else {
    std::string words;
    std::size_t count = 0;
    std::istringstream in(line);
    for (std::string w; in >> w; ++count) words += "\"" + w + "\" ";
    if (line.back() == ' ') words += "\"\"", ++count;
    command = "bash -c 'source " + source_path(script) + "; COMP_WORDS=(" + words +
              "); COMP_CWORD=" + std::to_string(count - 1) +
              "; _keygate; printf \"%s\\n\" \"${COMPREPLY[@]}\"' > " + out;
  }
  REQUIRE(test::run_shell(command) == 0);
  std::set<std::string> offered;
  std::istringstream lines(test::read_file(out));
  for (std::string l; std::getline(lines, l);) {
    if (!l.empty()) offered.insert(l);
  }
  return offered;
}

bool have(const char* program) {
  return test::run_shell(std::string("command -v ") + program + " >/dev/null") == 0;
}

}  // namespace

TEST_CASE("every command has help with options and examples") {
  for (const CommandSpec& c : command_table()) {
    const auto text = command_help_text(c.name);
    REQUIRE(text);
    CHECK(text->find("usage: keygate " + std::string(c.name)) == 0);
    CHECK(text->find("examples:\n  keygate") != std::string::npos);
    CHECK(usage_text().find("\n  " + std::string(c.name) + " ") != std::string::npos);
  }
  CHECK_FALSE(command_help_text("nosuch"));
  CHECK(usage_text().find("--format FORMAT") != std::string::npos);
}

TEST_CASE("a command's help lists exactly the options the table gives it") {
  for (const CommandSpec& c : command_table()) {
    std::set<std::string> listed;
    std::istringstream lines(*command_help_text(c.name));
    for (std::string line; std::getline(lines, line);) {
      if (line.rfind("  -", 0) == 0) listed.insert(line);
    }
    std::set<std::string> expected;
    for (const OptionSpec& o : option_table()) {
      if (!o.commands.contains(c.command)) continue;
      const std::string column = std::string(o.name) + (o.value.empty() ? "" : " " + std::string(o.value));
      expected.insert("  " + column + std::string(column.size() < 24 ? 24 - column.size() : 0, ' ') + " " +
                      std::string(o.description));
    }
    INFO(c.name);
    CHECK(listed == expected);
  }
}

TEST_CASE("a mistyped option or command suggests the nearest one") {
  CHECK(closest_name("--show-secret") == "--show-secrets");
  CHECK(closest_name("--fromat=json") == "--format");
  CHECK(closest_name("--colour") == "--color");
  CHECK(closest_name("--zzzzzzzzzzzz").empty());
  CHECK(closest_name("histroy", Names::Commands) == "history");
  CHECK(closest_name("frobnicate", Names::Commands).empty());
}

TEST_CASE("the man page source describes exactly the table's commands and options") {
  const std::string man = source_file("docs/keygate.1.scd");
  std::set<std::string> expected = table_and_revision_words();
  expected.insert("--no-verify");  // git's bypass, named in the hook commands' descriptions
  CHECK(long_options_in(man) == expected);
  // One entry per command under COMMANDS and per option under OPTIONS, each a line "*name* ...".
  const auto section = [&](const std::string& title) {
    const std::size_t start = man.find("\n# " + title + "\n");
    REQUIRE(start != std::string::npos);
    return man.substr(start, man.find("\n# ", start + 1) - start);
  };
  std::set<std::string> commands;
  std::set<std::string> options;
  const std::regex entry(R"(\n\*([a-z-]+)\*)");
  const std::string commands_text = section("COMMANDS");
  for (auto it = std::sregex_iterator(commands_text.begin(), commands_text.end(), entry);
       it != std::sregex_iterator(); ++it) {
    commands.insert((*it)[1]);
  }
  CHECK(commands == table_commands());
  std::istringstream lines(section("OPTIONS"));
  const std::regex name(R"(\*(--[a-z-]*)\*)");
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("*-", 0) != 0) continue;
    for (auto it = std::sregex_iterator(line.begin(), line.end(), name); it != std::sregex_iterator(); ++it)
      options.insert((*it)[1]);
  }
  std::set<std::string> all = table_options();
  all.insert("--");
  CHECK(options == all);
}

TEST_CASE("each completion script names exactly the table's commands and options, and every value") {
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
    for (const CommandSpec& c : command_table()) CHECK(text.find(c.name) != std::string::npos);
    for (const OptionSpec& o : option_table()) {
      for (std::string_view choice : o.choices) CHECK(text.find(choice) != std::string::npos);
    }
  }
}

TEST_CASE("bash and fish complete each command's own options, and each option's values") {
  for (const char* script : {"completions/keygate.bash", "completions/keygate.fish"}) {
    if (std::string(script).find("fish") != std::string::npos && !have("fish")) continue;
    INFO(script);
    CHECK(completions(script, "keygate ").count("history") == 1);
    for (const CommandSpec& c : command_table()) {
      INFO(c.name);
      CHECK(completions(script, "keygate ").count(std::string(c.name)) == 1);
      std::set<std::string> expected;
      for (const OptionSpec& o : option_table()) {
        if (o.commands.contains(c.command) && o.name != "--") expected.insert(std::string(o.name));
        if (!o.commands.contains(c.command) || o.choices.empty()) continue;
        INFO(o.name);
        const std::set<std::string> values(o.choices.begin(), o.choices.end());
        CHECK(completions(script, "keygate " + std::string(c.name) + " " + std::string(o.name) + " ") ==
              values);
      }
      if (c.operands == Operands::Revisions) {
        for (const RevisionWord& w : revision_words()) expected.insert(std::string(w.word));
      }
      std::set<std::string> offered;
      for (const std::string& s : completions(script, "keygate " + std::string(c.name) + " --")) {
        if (s.rfind("--", 0) == 0) offered.insert(s);
      }
      CHECK(offered == expected);
    }
  }
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
  CHECK(closest_name("pre-recieve", Names::Commands) == "pre-receive");
}
