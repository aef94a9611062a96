// This file implements the commit-message source (see commit_msg.hpp): messages are pushed and mirrored like
// file contents, so the detector runs over them too, with the same rules and decoding.
#include "commit_msg.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "error.hpp"
#include "matcher.hpp"
#include "source.hpp"

namespace keygate {

std::string commit_message_text(std::string_view file_text) {
  std::string out;
  out.reserve(file_text.size());
  for (std::size_t pos = 0; pos < file_text.size();) {
    std::size_t end = file_text.find('\n', pos);
    end = end == std::string_view::npos ? file_text.size() : end + 1;
    const std::string_view line = file_text.substr(pos, end - pos);
    if (line.rfind("# ------------------------ >8 ------------------------", 0) == 0) break;
    if (!line.empty() && line[0] == '#') {
      if (line.back() == '\n') out += '\n';
    } else {
      out.append(line);
    }
    pos = end;
  }
  return out;
}

std::vector<Finding> scan_message(const RuleSet& rules, std::string_view message, std::string_view kind,
                                  std::shared_ptr<const CommitInfo> commit) {
  Fragment fragment;
  fragment.text = message;
  fragment.path = "";
  fragment.commit = std::move(commit);
  std::vector<Finding> found = scan(rules, fragment);
  for (Finding& f : found) f.kind = std::string(kind);
  return found;
}

void read_commit_message_file(const std::string& path, Scanner& scanner) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path + ": cannot read the commit message: " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw Error(path + ": cannot read the commit message");
  const std::string message = commit_message_text(text.str());
  std::vector<Finding> found = scan_message(scanner.rules(), message, "commit-message", nullptr);
  if (!found.empty()) scanner.add(std::move(found));
}

}  // namespace keygate
