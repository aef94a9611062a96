// This file implements the suppression filter (see filter/suppress.hpp).
#include "filter/suppress.hpp"

#include "report/report.hpp"
#include "util/file_io.hpp"
#include "util/utf8.hpp"

namespace keygate {

std::set<std::string> parse_ignore_file(std::string_view text) {
  std::set<std::string> out;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) {
      line.remove_suffix(1);
    }
    if (line.empty() || line[0] == '#') continue;
    out.emplace(line);
  }
  return out;
}

std::set<std::string> suppressed_fingerprints(const ProjectFiles& project, const std::string& baseline_path) {
  const std::optional<ProjectFiles::File> file = project.read(".keygateignore");
  std::set<std::string> suppressed = file ? parse_ignore_file(file->text) : std::set<std::string>();
  if (!baseline_path.empty()) {
    for (std::string& f : read_baseline_fingerprints(baseline_path)) suppressed.insert(std::move(f));
  }
  return suppressed;
}

std::size_t add_to_ignore_file(const std::string& path, const std::vector<Finding>& findings) {
  const std::string before = load_file_if_exists(path).value_or("");
  const std::set<std::string> known = parse_ignore_file(before);
  std::string added;
  std::set<std::string> written;
  for (const Finding& f : findings) {
    if (known.count(f.fingerprint) || !written.insert(f.fingerprint).second) continue;
    added.append("# ").append(f.rule_id).append(" at ").append(escape_control(full_path(f)));
    if (f.line > 0) added.append(":").append(std::to_string(f.line));
    added.append("\n").append(f.fingerprint).append("\n");
  }
  if (!added.empty()) {
    std::string after = before;
    if (!after.empty() && after.back() != '\n') after += '\n';
    after += added;
    write_file_atomic(path, after);
  }
  return written.size();
}

void SuppressionFilter::add(Finding finding) {
  if (!keeps(finding)) return;
  next_.add(std::move(finding));
}

}  // namespace keygate
