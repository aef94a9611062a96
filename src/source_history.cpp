// This file implements the history source (placeholder until the history scan lands).
#include "error.hpp"
#include "source.hpp"

namespace keygate {

void read_history(git_repository*, const HistoryOptions&, Scanner&) { throw Error("history: not implemented yet"); }

}  // namespace keygate
