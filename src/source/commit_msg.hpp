// This file declares the commit-message source: the message file of `keygate commit-msg` (what git's
// commit-msg hook runs) and the messages of commits and annotated tags that `history` reads.
#pragma once

#include <string>
#include <string_view>

namespace keygate {

class Scanner;

// The message git will record from the text of a message file: lines starting with '#' are blanked (kept
// empty, so that line numbers stay those of the file) and everything from git's scissors line
// ("# ------------------------ >8 ------------------------", `git commit -v`) on is dropped.
std::string commit_message_text(std::string_view file_text);

// True iff the message in FILE cannot produce a finding under the embedded default rules, so that a
// commit-msg run that uses nothing else (cli.cpp says when) can end, clean, without loading them (0.3 ms
// of the hook's 1.2): none of their keywords occurs in it (every default rule that can apply to a message
// runs only around its keywords; tests/source/test_commit_msg.cpp holds the defaults to that) and the decoder
// finds no encoded span in it. Throws Error naming FILE when it cannot be read, as the scan would.
bool message_clean_under_default_rules(const std::string& path);

// True iff the current directory (a commit-msg hook's: the work tree's top) holds no ./.keygate.toml and
// no ./.keygateignore other than a readable file: then a commit-msg run without options uses the default
// rules alone, and could not fail on the project's files when it finds nothing.
bool no_project_rules_here();

// `keygate commit-msg FILE`: pushes the message in FILE into `scanner` as one fragment whose origin is
// SourceKind::CommitMessage (no path, no commit yet). Throws Error naming FILE when it cannot be read.
void read_commit_message_file(const std::string& path, Scanner& scanner);

}  // namespace keygate
