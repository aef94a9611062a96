// This file implements the suppression filter (see filter_suppress.hpp).
#include "filter_suppress.hpp"

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

void SuppressionFilter::add(Finding finding) {
  if (fingerprints_.count(finding.fingerprint) != 0) return;
  next_.add(std::move(finding));
}

}  // namespace keygate
