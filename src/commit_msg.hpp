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

// `keygate commit-msg FILE`: pushes the message in FILE into `scanner` as one fragment whose origin is
// SourceKind::CommitMessage (no path, no commit yet). Throws Error naming FILE when it cannot be read.
void read_commit_message_file(const std::string& path, Scanner& scanner);

}  // namespace keygate
