// This file declares `purge --check`: the proof that a purge worked. It reads every object of the object
// database, reachable or not (loose, packed, in alternates), and the files beside it that can hold text
// (reflogs, packed-refs, the index, messages git left), looks for every form of every purged secret in one
// pass each (LiteralSearch), and names each place a form survives with the command that removes it.
#pragma once

#include <git2.h>

#include <cstdint>
#include <string>
#include <vector>

namespace keygate::purge {

// One place a purged secret survives.
struct Survivor {
  std::string object;  // "blob <40 hex>", "commit <40 hex>", ... or empty for a file
  std::string where;   // "reachable from refs/heads/main", "unreachable, loose", "file .git/logs/HEAD", ...
  std::string remedy;  // the command that removes it
  std::string form;    // which form was found, redacted ("as written", "encoded: 12 bytes")
};

struct CheckResult {
  std::vector<Survivor> survivors;
  std::uint64_t objects = 0;                  // objects read
  std::uint64_t bytes = 0;                    // their bytes
  std::uint64_t missing = 0;                  // objects named by others that are not in the database
  std::vector<std::string> missing_examples;  // a few of them, "<40 hex> (tree of commit <id>)"
  std::string missing_note;                   // why they may be missing (a partial clone), or empty
};

// Looks for `literals` in every object of `repo` and the files of its git directory. `jobs` threads read
// the packs. Throws Error when an object cannot be read (a damaged pack), naming it.
CheckResult check_repository(git_repository* repo, const std::vector<std::string>& literals, unsigned jobs);

}  // namespace keygate::purge
