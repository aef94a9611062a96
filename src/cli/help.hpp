// This file declares keygate's help: one table of commands and options that `--help`, `keygate help
// COMMAND`, the "did you mean" suggestion and the tests of the man page and completion scripts all read.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace keygate {

struct OptionHelp {
  std::string_view name;                   // "--format"
  std::string_view value;                  // "FORMAT", or empty for a flag
  std::string_view description;            // one line
  std::vector<std::string_view> commands;  // the commands it applies to
};

struct CommandHelp {
  std::string_view name;      // "scan"
  std::string_view synopsis;  // "scan [options] [PATH...|-]"
  std::string_view description;
  std::vector<std::string_view> examples;  // shell lines, two or three
};

// Every command, in the order `--help` lists them.
const std::vector<CommandHelp>& help_commands();

// Every option, with the commands it applies to. A name may have two rows when its values differ by
// command (--format: reports, and redact's input).
const std::vector<OptionHelp>& help_options();

// git's revision words that `history` (and `ignore history`) takes as revisions, not as options:
// documented in history's description, offered by the completions, not in the option table.
const std::vector<std::string_view>& revision_words();

// The values `--format` and `--color` accept.
const std::vector<std::string_view>& format_names();
const std::vector<std::string_view>& color_names();

// The overview `keygate --help` prints.
std::string usage_text();

// `keygate help COMMAND`: description, options, examples. nullopt for an unknown command.
std::optional<std::string> command_help_text(std::string_view command);

// The known option (or command, with `commands` true) nearest to `word` by edit distance, if one is close
// enough to be a likely typo; empty otherwise.
std::string closest_name(std::string_view word, bool commands = false);

// `keygate help [COMMAND]`, `keygate --help`, `keygate COMMAND --help`: prints to stdout and returns the
// exit code (2 when keygate was run with no command at all). Throws Error for an unknown COMMAND.
int print_help(const std::vector<std::string>& args, bool no_command);

}  // namespace keygate
