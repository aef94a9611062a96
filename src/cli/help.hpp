// This file declares keygate's help: the texts `--help` and `keygate help COMMAND` print, and the
// "did you mean" suggestion, all made from the command table (commands.hpp).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace keygate {

// The overview `keygate --help` prints.
std::string usage_text();

// `keygate help COMMAND`: description, options and examples. nullopt for an unknown command.
std::optional<std::string> command_help_text(std::string_view command);

// Which names closest_name compares with.
enum class Names { Options, Commands };

// The option (or command) name nearest to `word` by edit distance, if one is close enough to be a likely
// typo; empty otherwise. Only the table's names count, not their other spellings.
std::string closest_name(std::string_view word, Names names = Names::Options);

// `keygate help [COMMAND]`, `keygate --help`, `keygate COMMAND --help`: prints to stdout and returns the
// exit code (2 when keygate was run with no command at all). Throws Error for an unknown COMMAND.
int print_help(const std::vector<std::string>& args, bool no_command);

}  // namespace keygate
