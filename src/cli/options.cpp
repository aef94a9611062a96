// This file implements the command line's reading (see cli.hpp: parse_options) by the command table
// (commands.hpp): the command word, then options and operands in any order up to `--`, then the checks of
// the operands.
#include <sys/stat.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "cli/cli.hpp"
#include "cli/commands.hpp"
#include "cli/help.hpp"
#include "cli/process.hpp"
#include "core/error.hpp"

namespace keygate {
namespace {

const CommandSpec& read_command_word(const std::string& word) {
  if (const CommandSpec* command = find_command(word)) return *command;
  if (word.size() > 1 && word[0] == '-') {  // an option before the command that no command has
    const std::string near = closest_name(word, Names::Options);
    throw Error("unknown option \"" + word + "\"" + (near.empty() ? "" : "; did you mean \"" + near + "\"?") +
                " (see keygate --help)");
  }
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

// Throws Error when `word`, which reads as an option, is also the name of something in the current
// directory. A shell glob (`keygate scan *`) puts every name of the directory on the line, and with options
// read anywhere a file called "--show-secrets", "--config=x.toml", "--help" or "--in-place" would change
// what keygate does, print keys whole, or end the scan early with exit 0 without having read anything.
// Every option is refused, not a list of dangerous ones: nearly every option can weaken a check or print
// more, and a list would go stale as options are added. Only words in the current directory can come from
// a bare glob (`dir/*` gives "dir/--x"), and lstat also catches a dangling symbolic link of that name.
void refuse_option_named_like_a_file(const std::string& word) {
  struct stat st {};
  if (::lstat(word.c_str(), &st) != 0) return;
  throw Error("\"" + word +
              "\" is both an option and a file here, so a shell glob may have put it on the line: to read "
              "the file, write \"./" +
              word + "\" or put it after \"--\"; to use the option, run keygate where no file has that name");
}

// True iff `word` is one of git's revision options (`--branches=main` too).
bool is_revision_word(const std::string& word) {
  return std::any_of(revision_words().begin(), revision_words().end(), [&](const RevisionWord& r) {
    return word == r.word || (r.pattern && word.rfind(std::string(r.word) + "=", 0) == 0);
  });
}

// Throws Error when `args` are not what `command` takes.
void check_operands(const CommandSpec& command, const std::vector<std::string>& args) {
  // An argument of verify or revoke is most likely a key: never echoed, and refused.
  if (!args.empty() && (command.command == Command::Verify || command.command == Command::Revoke)) {
    throw Error(std::string(command.name) +
                " reads keys from standard input, never from the command line (ps and the shell's history "
                "keep it there): keygate " +
                std::string(command.name) + " --rule ID < FILE");
  }
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

// Where the command word is: first, or after options that come before it (`keygate --format json scan .`,
// as cobra-style tools such as gitleaks take them). A word there that is neither a command nor an option
// is taken for the command word, and refused as one; options without a command are refused.
int command_word_at(int argc, char** argv) {
  int at = 1;
  while (at < argc) {
    const std::string word = argv[at];
    if (find_command(word) != nullptr || word.size() < 2 || word[0] != '-' || word == "--") return at;
    const OptionSpec* option = nullptr;
    for (const OptionSpec& o : option_table()) {
      const bool named = word == o.name || word.rfind(std::string(o.name) + "=", 0) == 0 ||
                         std::find(o.spellings.begin(), o.spellings.end(), word) != o.spellings.end();
      if (named) option = &o;
    }
    if (option == nullptr) return at;
    const bool value_follows = !option->value.empty() && word.find('=') == std::string::npos;
    at += value_follows ? 2 : 1;
  }
  throw Error("options but no command (see keygate --help)");
}

}  // namespace

Options parse_options(int argc, char** argv) {
  Options o;
  o.program = argc > 0 ? argv[0] : "keygate";
  if (argc < 2) {
    o.no_command = true;
    return o;
  }
  const int command_at = command_word_at(argc, argv);
  const CommandSpec& command = read_command_word(argv[command_at]);
  o.command = command.command;
  // A hook script passes git's arguments only (a remote's name and URL, the message file): none of them is
  // an option, even one named like an option. Hooks from before the template's `--` are read so too.
  const bool by_hook = run_by_hook();
  bool operands_only = by_hook;
  for (int i = 1; i < argc; ++i) {
    if (i == command_at) continue;
    const std::string word = argv[i];
    if (by_hook && i == command_at + 1 && word == "--") continue;  // the template's own `--`
    // Options and operands mix in any order, as in git, ripgrep and gitleaks; after `--` every word is an
    // operand. history's operands are revisions in git's syntax, whose own options (`NEW --not --all`) are
    // revisions too, wherever they stand.
    const OperandOwner owner = operand_owner(command, o.args);
    const bool revision = owner.command.operands == Operands::Revisions && is_revision_word(word);
    if (operands_only || revision || word == "-" || word.empty() || word[0] != '-') {
      o.args.push_back(word);
      continue;
    }
    // "--" itself is the way out of the refusal below, so it is never refused.
    if (word != "--") refuse_option_named_like_a_file(word);
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
