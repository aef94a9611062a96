// This file implements `keygate rules --test`: every rule must report each of its `examples` and none of
// its `lookalikes`, scanned the way a file is.
#pragma once

#include <cstdio>

#include "rules/rules.hpp"

namespace keygate {

// Prints one line per failure and a summary; returns true iff every example behaved.
bool test_rules(const RuleSet& rules, std::FILE* out);

}  // namespace keygate
