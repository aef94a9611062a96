// This file implements the commit-message source (see commit_msg.hpp): messages are pushed and mirrored like
// file contents, so the detector runs over them too, with the same rules and decoding.
#include "source/commit_msg.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "cli/process.hpp"
#include "core/scanner.hpp"
#include "core/source.hpp"
#include "detect/decode.hpp"
#include "rules/keywords.hpp"
#include "util/file_io.hpp"

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

bool message_clean_under_default_rules(const std::string& path) {
  const std::string message = commit_message_text(load_file(path));
  if (message.size() >= (std::size_t{1} << 32)) return false;  // the matcher's whole-text path: not here
  std::vector<KeywordIndex::Hit> hits;
  builtin_keyword_index().find_all(message, hits);
  if (!hits.empty()) return false;
  DecodeLimits limits;
  limits.max_bytes = decode_byte_bound(message.size());
  const DecodedText decoded = decode_text(message, limits);
  return decoded.spans.empty() && !decoded.cut;
}

bool no_project_rules_here() {
  struct stat st;
  if (::stat(".keygate.toml", &st) == 0 || errno != ENOENT) return false;
  if (::stat(".keygateignore", &st) != 0) return errno == ENOENT;
  return S_ISREG(st.st_mode) && ::access(".keygateignore", R_OK) == 0;
}

void read_commit_message_file(const std::string& path, Scanner& scanner) {
  const std::string message = commit_message_text(load_file(path));
  Fragment fragment;
  fragment.text = message;
  fragment.origin.kind = SourceKind::CommitMessage;
  scanner.scan(fragment);
}

}  // namespace keygate
