// This file declares the options of `keygate purge` (the Options of the command line hold one) and what
// the command does: plan the history rewrite that removes the secrets a history scan found, run it when
// asked (--rewrite), or prove that none of them is left in the repository (--check).
#pragma once

#include <string>

namespace keygate {

enum class PurgeMode {
  Plan,   // write the rewriters' files and print the checklist
  Check,  // read every object and the git directory's files: exit 0 only if no form of a secret is left
};

enum class PurgeRewrite { No, Yes };  // --rewrite: run git filter-repo after writing the plan

struct PurgeOptions {
  PurgeMode mode = PurgeMode::Plan;
  PurgeRewrite rewrite = PurgeRewrite::No;
  std::string from;        // --from FILE: a keygate JSON report (--show-secrets) or a purge expressions file
  std::string output_dir;  // --output DIR; empty: <git dir>/keygate
};

}  // namespace keygate
