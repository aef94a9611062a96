// This file implements confidence levels: how sure keygate is that a finding is a live credential, and
// the rule that lowers generic findings in test fixtures, examples and documentation by one level.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace keygate {

// Ordered: a finding is reported iff its confidence is at least the run's minimum.
enum class Confidence { Low = 0, Medium = 1, High = 2 };

// "low", "medium", "high".
const char* confidence_name(Confidence c);

// Parses "low", "medium" or "high" (exactly). Returns false for anything else.
bool parse_confidence(std::string_view text, Confidence* out);

// The paths where generic findings drop a level when the config names none: test and example
// directories and documentation files.
const std::vector<std::string>& default_demote_paths();

// True iff `path` matches one of `patterns`. A pattern ending in "/" matches a directory of that name at
// any depth ("tests/" matches "a/tests/b.py"); "*.md" matches a file name suffix; any other pattern matches
// a path component exactly or the whole path.
bool path_matches_demote(std::string_view path, const std::vector<std::string>& patterns);

// One level lower, Low staying Low.
Confidence demoted(Confidence c);

}  // namespace keygate
