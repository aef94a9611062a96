// This file declares what `purge --check` shares between reading the objects (check.cpp) and finding
// where the ones that still hold a secret are reachable from (reach.cpp): the ids an object names, and
// each place's description and remedy.
#pragma once

#include <git2.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "git/pack_reader.hpp"
#include "git/revisions.hpp"
#include "purge/check.hpp"
#include "purge/literal_search.hpp"

namespace keygate::purge {

// An object that holds literal `literal` of the search.
struct Hit {
  git_oid id;
  git_object_t type;
  std::size_t literal;
};

// What one reader thread saw.
struct Tally {
  std::uint64_t objects = 0, bytes = 0;
  OidSet missing;  // ids objects name that are not in the database
  std::vector<std::string> missing_examples;
  std::vector<Hit> hits;
};

// Calls named(id) for each object `data` (of `type`) names: a commit's tree and parents, a tag's object, a
// tree's entries (not gitlinks: a submodule's commits are another repository's). Stops quietly at the
// first malformed line or entry (the search has read the whole object anyway).
template <typename Named>
void for_each_named_id(git_object_t type, std::string_view data, Named&& named) {
  git_oid id;
  if (type == GIT_OBJECT_TREE) {
    for (std::size_t at = 0; at < data.size();) {
      const std::size_t nul = data.find('\0', at);
      if (nul == std::string_view::npos || nul + 21 > data.size()) return;
      const bool gitlink = data.compare(at, 7, "160000 ") == 0;
      std::memcpy(id.id, data.data() + nul + 1, 20);
      if (!gitlink) named(id);
      at = nul + 21;
    }
    return;
  }
  if (type != GIT_OBJECT_COMMIT && type != GIT_OBJECT_TAG) return;
  // The header lines, up to the blank line before the message.
  for (std::size_t at = 0; at < data.size();) {
    const std::size_t end = std::min(data.find('\n', at), data.size());
    const std::string_view line = data.substr(at, end - at);
    if (line.empty()) return;
    for (const std::string_view key :
         {std::string_view("tree "), std::string_view("parent "), std::string_view("object ")}) {
      if (line.size() == key.size() + GIT_OID_HEXSZ && line.compare(0, key.size(), key) == 0 &&
          git_oid_fromstrn(&id, line.data() + key.size(), GIT_OID_HEXSZ) == 0) {
        named(id);
      }
    }
    at = end + 1;
  }
}

// "line N of the purge file (M bytes, ends "…abcd")": which form was found, without printing it.
std::string describe_form(const LiteralSearch& search, std::size_t literal);

// For each hit, where its object is: reachable from a ref (refs/original, refs/replace, notes and the stash
// named as such), only from a reflog, from the index, or unreachable (loose, or packed in which pack, or
// in an alternate object store); with the command that removes it.
std::vector<Survivor> locate(git_repository* repo, const PackSet& packs, const std::vector<Hit>& hits,
                             const LiteralSearch& search);

}  // namespace keygate::purge
