// This file implements keygate's help (see help.hpp): the texts printed from the command table, and the
// nearest-name suggestion for a mistyped option or command.
#include "cli/help.hpp"

#include <fmt/core.h>

#include <algorithm>

#include "cli/commands.hpp"
#include "core/error.hpp"

namespace keygate {

namespace {

std::string option_column(const OptionSpec& o) {
  return o.value.empty() ? std::string(o.name) : fmt::format("{} {}", o.name, o.value);
}

// Levenshtein distance, small strings only.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

std::string usage_text() {
  std::string out = "usage: keygate <command> [options]\n\ncommands:\n";
  for (const CommandSpec& c : command_table()) {
    std::string summary(c.description.substr(0, c.description.find(". ")));
    if (!summary.empty() && summary.back() == '.') summary.pop_back();
    out += fmt::format("  {:<12} {}\n", c.name, summary);
  }
  out += "\noptions:\n";
  for (const OptionSpec& o : option_table())
    out += fmt::format("  {:<24} {}\n", option_column(o), o.description);
  out +=
      "\nkeygate help COMMAND (or keygate COMMAND --help) shows a command's options and examples; man "
      "keygate "
      "has the rest.\n"
      "exit status: 0 nothing found, 1 secrets found, 2 error (the scan could not finish)\n";
  return out;
}

std::optional<std::string> command_help_text(std::string_view command) {
  const auto& commands = command_table();
  const auto it =
      std::find_if(commands.begin(), commands.end(), [&](const CommandSpec& c) { return c.name == command; });
  if (it == commands.end()) return std::nullopt;
  std::string out = fmt::format("usage: keygate {}\n\n{}\n", it->synopsis, it->description);
  std::string options;
  for (const OptionSpec& o : option_table()) {
    if (!o.commands.contains(it->command)) continue;
    options += fmt::format("  {:<24} {}\n", option_column(o), o.description);
  }
  if (!options.empty()) out += "\noptions:\n" + options;
  out += "\nexamples:\n";
  for (std::string_view e : it->examples) out += fmt::format("  {}\n", e);
  return out;
}

std::string closest_name(std::string_view word, Names kind) {
  std::vector<std::string_view> names;
  if (kind == Names::Commands) {
    for (const CommandSpec& c : command_table()) names.push_back(c.name);
  } else {
    for (const OptionSpec& o : option_table()) names.push_back(o.name);
  }
  const std::string_view bare = word.substr(0, word.find('='));
  std::string_view best;
  std::size_t best_distance = 0;
  for (std::string_view name : names) {
    if (name.size() < 3) continue;  // "--" is no one's typo
    const std::size_t d = edit_distance(bare, name);
    if (best.empty() || d < best_distance) best = name, best_distance = d;
  }
  // A third of the name's length is a typo or two; more is a different word.
  if (best.empty() || best_distance > std::max<std::size_t>(2, best.size() / 3)) return {};
  return std::string(best);
}

int print_help(const std::vector<std::string>& args, bool no_command) {
  if (args.empty()) {
    fmt::print("{}", usage_text());
    return no_command ? 2 : 0;
  }
  const std::optional<std::string> text = command_help_text(args[0]);
  if (!text) {
    const std::string near = closest_name(args[0], Names::Commands);
    throw Error("help: unknown command \"" + args[0] + "\"" +
                (near.empty() ? "" : "; did you mean \"" + near + "\"?"));
  }
  fmt::print("{}", *text);
  return 0;
}

}  // namespace keygate
