// This file implements the command line's reading (see cli.hpp: parse_options) by the command table
// (commands.hpp): the command word, the options before the first operand, and the checks of the operands.
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "cli/cli.hpp"
#include "cli/commands.hpp"
#include "cli/help.hpp"
#include "core/error.hpp"

namespace keygate {
namespace {

const CommandSpec& read_command_word(const std::string& word) {
  if (const CommandSpec* command = find_command(word)) return *command;
  const std::string near = closest_name(word, Names::Commands);
  throw Error("unknown command \"" + word + "\"" + (near.empty() ? "" : "; did you mean \"" + near + "\"?") +
              " (see keygate --help)");
}

// An option word matched against the table.
struct OptionWord {
  const OptionSpec* spec = nullptr;
  std::string spelled;               // the name as written ("--colour", "-j")
  std::optional<std::string> value;  // written as `--name=VALUE`
};

// The row of `command`'s option that `word` names. Throws Error for an unknown option, or one that
// `command` does not take.
OptionWord read_option_word(const std::string& word, const CommandSpec& command) {
  bool named = false;
  for (const OptionSpec& o : option_table()) {
    std::vector<std::string_view> names = o.spellings;
    names.insert(names.begin(), o.name);
    for (std::string_view name : names) {
      OptionWord match{&o, std::string(name), std::nullopt};
      const bool with_value = !o.value.empty() && name.substr(0, 2) == "--" && word.size() > name.size() &&
                              word.compare(0, name.size(), name) == 0 && word[name.size()] == '=';
      if (word != name && !with_value) continue;
      if (with_value) match.value = word.substr(name.size() + 1);
      named = true;
      if (o.commands.contains(command.command)) return match;
    }
  }
  if (named) {
    throw Error("option \"" + word.substr(0, word.find('=')) + "\" does not apply to " +
                std::string(command.name) + " (see keygate help " + std::string(command.name) + ")");
  }
  const std::string near = closest_name(word, Names::Options);
  throw Error("unknown option \"" + word + "\"" + (near.empty() ? "" : "; did you mean \"" + near + "\"?") +
              " (see keygate help " + std::string(command.name) + ")");
}

// The command whose operands `args` holds, and how many words before them name it: `ignore`'s first word
// names the scan it runs (that word is no operand), else it runs the staged scan; other commands own theirs.
struct OperandOwner {
  const CommandSpec& command;
  std::size_t leading;  // 1 for `ignore`'s scan word and `report`'s action, else 0
};

OperandOwner operand_owner(const CommandSpec& command, const std::vector<std::string>& args) {
  // `report`'s first word names its action (`merge`, the only one so far); its options may follow it.
  if (command.command == Command::Report)
    return {command, !args.empty() && args.front() == "merge" ? 1u : 0u};
  if (command.operands != Operands::Scan) return {command, 0};
  const CommandSpec* scan = args.empty() ? nullptr : find_command(args.front());
  if (scan != nullptr && scan->name == args.front() && kIgnoreScans.contains(scan->command))
    return {*scan, 1};
  return {command_spec(Command::Staged), 0};
}

// True iff the command table lets `command` take the option called `name`.
bool takes_option(Command command, std::string_view name) {
  return std::any_of(option_table().begin(), option_table().end(),
                     [&](const OptionSpec& o) { return o.name == name && o.commands.contains(command); });
}

// True iff `word` is one of git's revision options (`--branches=main` too).
bool is_revision_word(const std::string& word) {
  return std::any_of(revision_words().begin(), revision_words().end(), [&](const RevisionWord& r) {
    return word == r.word || (r.pattern && word.rfind(std::string(r.word) + "=", 0) == 0);
  });
}

// Throws Error when `args` are not what `command` takes.
void check_operands(const CommandSpec& command, const std::vector<std::string>& args) {
  std::size_t most = args.size();
  switch (command.operands) {
    case Operands::None:
    case Operands::Scan:
      most = 0;
      break;
    case Operands::MessageFile:
      if (args.size() != 1) {
        throw Error(std::string(command.name) +
                    " needs one argument: the commit message file (see keygate --help)");
      }
      break;
    case Operands::RemoteAndUrl:  // git passes the remote's name and URL
      most = 2;
      break;
    case Operands::CommandName:
      most = 1;
      break;
    case Operands::Paths:
    case Operands::Revisions:
      break;
  }
  if (args.size() > most) throw Error("unexpected argument \"" + args[most] + "\" (see keygate --help)");
}

}  // namespace

Options parse_options(int argc, char** argv) {
  Options o;
  o.program = argc > 0 ? argv[0] : "keygate";
  if (argc < 2) {
    o.no_command = true;
    return o;
  }
  const CommandSpec& command = read_command_word(argv[1]);
  o.command = command.command;
  bool operands_only = false;
  for (int i = 2; i < argc; ++i) {
    const std::string word = argv[i];
    // Options go before the first operand (commands.hpp: Operands); `ignore`'s scan word is not one.
    const OperandOwner owner = operand_owner(command, o.args);
    const bool past_options = operands_only || o.args.size() > owner.leading;
    // history's operands are revisions in git's syntax, whose own options (`NEW --not --all`) are
    // revisions too, wherever they stand.
    const bool revision = owner.command.operands == Operands::Revisions && is_revision_word(word);
    if (past_options || revision || word == "-" || word.empty() || word[0] != '-') {
      o.args.push_back(word);
      continue;
    }
    const OptionWord option = read_option_word(word, command);
    std::string value;
    if (option.value) {
      value = *option.value;
    } else if (!option.spec->value.empty()) {
      if (i + 1 >= argc) throw Error(option.spelled + " needs a value");
      value = argv[++i];
    }
    if (option.spec->set != nullptr) option.spec->set(o, option.spec->name, value);
    if (option.spec->after == AfterOption::StopParsing) return o;
    if (option.spec->after == AfterOption::OperandsOnly) operands_only = true;
  }
  if (o.in_place && (o.args.empty() || o.args == std::vector<std::string>{"-"}))
    throw Error("--in-place needs FILEs (standard input cannot be rewritten)");
  const OperandOwner owner = operand_owner(command, o.args);
  if (command.command == Command::Report && owner.leading == 0)
    throw Error("report: expected `report merge FILE|DIR...` (see keygate help report)");
  o.args.erase(o.args.begin(), o.args.begin() + static_cast<std::ptrdiff_t>(owner.leading));
  o.source = owner.command.source;
  check_operands(owner.command, o.args);
  o.verify.verbose = o.verbose;
  check_verify_settings(o.verify, takes_option(o.command, "--verify"));
  if (!o.since_commit.empty()) {
    // The table lets history and ignore take it; `ignore staged` and `ignore scan` have no commits.
    if (o.source != SourceKind::Commit) throw Error("--since-commit only applies to history");
    // The commits after SHA: of the given revisions, or of HEAD.
    const bool has_tips =
        std::any_of(o.args.begin(), o.args.end(), [](const std::string& a) { return a[0] != '^'; });
    if (!has_tips) o.args.push_back("HEAD");
    o.args.push_back("^" + o.since_commit);
  }
  return o;
}

}  // namespace keygate
