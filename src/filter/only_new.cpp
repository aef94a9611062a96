// This file implements the "only new findings" stage (see filter/only_new.hpp).
#include "filter/only_new.hpp"

#include <map>
#include <string>
#include <utility>

namespace keygate {

std::vector<Finding> new_findings(const std::vector<Finding>& before, const std::vector<Finding>& now) {
  std::map<std::pair<std::string, std::string>, int> old_count, seen;
  for (const Finding& f : before) ++old_count[{f.rule_id, f.secret}];
  std::vector<Finding> out;
  for (const Finding& f : now) {
    const auto key = std::make_pair(f.rule_id, f.secret);
    const auto old = old_count.find(key);
    if (++seen[key] <= (old == old_count.end() ? 0 : old->second)) continue;
    out.push_back(f);
  }
  return out;
}

}  // namespace keygate
