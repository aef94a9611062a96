// This file declares the command table: every command and every option of keygate's command line, each
// declared once with its help text, the commands that take it and what it sets in Options, and for a command
// the function that runs it. The parser (options.cpp), run() (cli.cpp), the help (help.cpp) and the tests of
// the man page and the completion scripts all read it; nothing else lists commands or options.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "cli/cli.hpp"

namespace keygate {

// A set of commands: those an option applies to.
class CommandSet {
 public:
  constexpr CommandSet(std::initializer_list<Command> commands) {
    for (Command c : commands) bits_ |= bit(c);
  }
  // Every command there is, and any added later.
  static constexpr CommandSet every() { return CommandSet(~std::uint32_t{0}); }

  constexpr CommandSet operator|(CommandSet other) const { return CommandSet(bits_ | other.bits_); }
  constexpr bool contains(Command c) const { return (bits_ & bit(c)) != 0; }

 private:
  constexpr explicit CommandSet(std::uint32_t bits) : bits_(bits) {}
  static constexpr std::uint32_t bit(Command c) { return std::uint32_t{1} << static_cast<unsigned>(c); }
  std::uint32_t bits_ = 0;
};

// What a command takes besides its options. Options and operands mix in any order up to `--`; after it
// every word is an operand. A word that reads as an option and names a file in the current directory is
// refused (options.cpp), so that a file named like an option (`keygate scan *` in a folder holding
// "--show-secrets") cannot change what keygate does.
enum class Operands {
  None,          // nothing
  Paths,         // files and directories, "-" for standard input; any number
  Revisions,     // git revisions, any number; git's revision options (revision_words) wherever they stand
  MessageFile,   // exactly one file
  RemoteAndUrl,  // at most two: what git passes to the pre-push hook
  CommandName,   // at most one: the command to explain
  Scan,          // `ignore`: a first word naming one of kIgnoreScans, then that scan's operands;
                 // without it, the staged scan (and nothing else)
};

// The scans `ignore` runs, named by its first operand.
constexpr CommandSet kIgnoreScans{Command::Staged, Command::Scan, Command::History};

struct CommandSpec {
  Command command;
  std::string_view name;                    // "scan"
  std::vector<std::string_view> spellings;  // other words for it, in first place only ("--version")
  std::string_view synopsis;                // "scan [options] [--] [PATH...|-]"
  std::string_view description;             // its first sentence is the overview's summary line
  std::vector<std::string_view> examples;   // shell lines, two or three
  Operands operands;
  SourceKind source;  // what it sets in Options::source (`ignore` takes its scan's)
  // Runs the command whose options are parsed; returns the exit code (runners.hpp).
  int (*run)(const Options& options);
};

// What the parser does after an option.
enum class AfterOption {
  Continue,      // the next word
  StopParsing,   // nothing more is read (--help)
  OperandsOnly,  // every later word is an operand (--)
};

// Applies an option's value (empty for a flag) to `options`; `name` is the option's name. Throws Error,
// one line beginning with the name, for a bad value.
using OptionSetter = void (*)(Options& options, std::string_view name, const std::string& value);

struct OptionSpec {
  std::string_view name;         // "--format": given as `--format V` or `--format=V`
  std::string_view value;        // its value's placeholder in the help ("FORMAT"); empty: a flag
  std::string_view description;  // one line
  CommandSet commands;           // the commands that take it; any other refuses it
  OptionSetter set;              // nullptr only for "--", which sets nothing
  std::vector<std::string_view> choices = {};  // every value it accepts, when they are a fixed list
  std::vector<std::string_view> spellings =
      {};  // other names for it ("-v", "--colour"); `=V` only after "--"
  AfterOption after = AfterOption::Continue;
};

// Every command, in the order `--help` lists them.
const std::vector<CommandSpec>& command_table();

// Every option. A name has two rows when its values differ by command (--format: reports, and redact's
// input); then no command is in both rows.
const std::vector<OptionSpec>& option_table();

// The command called `word` (a name or one of its spellings), or nullptr.
const CommandSpec* find_command(std::string_view word);

// `command`'s row. Every Command has one.
const CommandSpec& command_spec(Command command);

// git's revision options that `history` (and `ignore history`) takes as revisions, not as options:
// documented in history's description, offered by the completions, not in the option table.
struct RevisionWord {
  std::string_view word;  // "--branches"
  bool pattern;           // also `--branches=PATTERN`
};
const std::vector<RevisionWord>& revision_words();

}  // namespace keygate
