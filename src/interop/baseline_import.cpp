// This file implements the matching of peer findings with keygate's (see baseline_import.hpp).
#include "interop/baseline_import.hpp"

#include <fmt/core.h>

#include <set>

namespace keygate::interop {
namespace {

std::string_view without_dot_slash(std::string_view path) {
  while (path.rfind("./", 0) == 0) path.remove_prefix(2);
  return path;
}

bool same_file(std::string_view peer, std::string_view ours) {
  peer = without_dot_slash(peer);
  ours = without_dot_slash(ours);
  if (peer == ours) return true;
  // An absolute path (a directory scan's) ends with the repository path.
  return peer.size() > ours.size() && peer.compare(peer.size() - ours.size(), ours.size(), ours) == 0 &&
         peer[peer.size() - ours.size() - 1] == '/';
}

bool same_secret(std::string_view peer, std::string_view ours) {
  return !ours.empty() &&
         (peer.find(ours) != std::string_view::npos || ours.find(peer) != std::string_view::npos);
}

bool covers_line(const PeerFinding& p, const Finding& f) {
  if (p.line == 0 || p.line < f.line || p.line > std::max(f.line, f.end_line)) return false;
  // Both name the commit that added it when both read history; a directory scan names none.
  return p.commit.empty() || f.commit == nullptr || p.commit == f.commit->id;
}

std::string describe(const PeerFinding& p) {
  return fmt::format("{} {} at {}{}{}", p.tool, p.rule.empty() ? "finding" : p.rule,
                     p.file.empty() ? "(no file)" : p.file, p.line > 0 ? fmt::format(":{}", p.line) : "",
                     p.commit.empty() ? "" : " in " + p.commit.substr(0, 12));
}

}  // namespace

ImportResult map_to_keygate(const std::vector<PeerFinding>& peers, const std::vector<Finding>& ours) {
  ImportResult result;
  std::set<std::size_t> chosen;
  for (const PeerFinding& p : peers) {
    bool in_file = false, matched = false;
    for (std::size_t i = 0; i < ours.size(); ++i) {
      const Finding& f = ours[i];
      if (!same_file(p.file, f.file)) continue;
      in_file = true;
      if (p.secret.empty() ? covers_line(p, f) : same_secret(p.secret, f.secret)) {
        chosen.insert(i);
        matched = true;
      }
    }
    if (matched) {
      ++result.peers_mapped;
    } else if (p.file.empty()) {
      result.unmapped.push_back(describe(p) + ": it names no file");
    } else if (!in_file) {
      result.unmapped.push_back(
          describe(p) +
          ": keygate finds nothing in that file (no keygate rule for it, the file is gone "
          "from the history scanned, or .keygateignore accepts it already)");
    } else {
      result.unmapped.push_back(fmt::format("{}: keygate finds other secrets in that file, not {}",
                                            describe(p), p.secret.empty() ? "on that line" : "that one"));
    }
  }
  for (const std::size_t i : chosen) result.mapped.push_back(ours[i]);
  return result;
}

}  // namespace keygate::interop
