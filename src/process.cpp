// This file implements the process-wide set-up (see process.hpp).
#include "process.hpp"

#include <signal.h>

#include "config.hpp"
#include "git.hpp"

namespace keygate {

void init_process() {
  ::signal(SIGPIPE, SIG_IGN);
  git::take_work_tree_from_env();
}

const KeywordIndex& builtin_keyword_index() {
  static const KeywordIndex index = KeywordIndex::deserialize(default_keyword_index_bytes(), true);
  return index;
}

}  // namespace keygate
