// This file implements the reuse step (see env_reuse.hpp): environments named by path words, and the
// grouping of findings by secret across them.
#include "filter/env_reuse.hpp"

#include <map>
#include <set>

#include "util/ascii.hpp"

namespace keygate {
namespace {

struct EnvironmentWord {
  std::string_view word;
  std::string_view environment;
};

constexpr EnvironmentWord kWords[] = {
    {"dev", "development"},
    {"develop", "development"},
    {"development", "development"},
    {"local", "development"},
    {"test", "test"},
    {"testing", "test"},
    {"qa", "test"},
    {"stage", "staging"},
    {"staging", "staging"},
    {"stg", "staging"},
    {"preprod", "staging"},
    {"uat", "staging"},
    {"prod", "production"},
    {"production", "production"},
    {"prd", "production"},
    {"live", "production"},
};

}  // namespace

std::string environment_of(std::string_view path) {
  std::string found;
  std::string word;
  const auto end_word = [&] {
    for (const EnvironmentWord& w : kWords) {
      if (word == w.word) found = std::string(w.environment);
    }
    word.clear();
  };
  for (const char c : path) {
    if (c == '/' || c == '.' || c == '_' || c == '-' || c == '\\') {
      end_word();
    } else {
      word += lower(c);
    }
  }
  end_word();
  return found;
}

void annotate_reuse(std::vector<Finding>& findings) {
  struct Group {
    std::size_t first = 0;
    std::set<std::string> environments;
    std::set<std::pair<std::string, std::string>> seen;  // environment, file
    std::vector<std::string> places;
  };
  std::map<std::string, Group> by_secret;
  for (std::size_t i = 0; i < findings.size(); ++i) {
    const Finding& f = findings[i];
    if (f.file.empty()) continue;  // a commit message is for no environment
    const std::string environment = environment_of(f.file);
    if (environment.empty()) continue;
    const auto [it, added] = by_secret.try_emplace(f.secret);
    Group& g = it->second;
    if (added) g.first = i;
    g.environments.insert(environment);
    if (g.seen.emplace(environment, f.file).second)
      g.places.push_back(environment + ": " + f.file + ":" + std::to_string(f.line));
  }
  for (auto& [secret, g] : by_secret) {
    if (g.environments.size() >= 2) findings[g.first].reuse = std::move(g.places);
  }
}

}  // namespace keygate
