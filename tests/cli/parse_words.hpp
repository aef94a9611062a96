// This file implements the tests' way to run the command-line parser on words, as a shell would pass them.
#pragma once

#include <string>
#include <vector>

#include "cli/cli.hpp"

namespace keygate::test {

// parse_options on `keygate WORDS...`.
inline Options parse(std::vector<std::string> words) {
  words.insert(words.begin(), "keygate");
  std::vector<char*> argv;
  for (std::string& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);
  return parse_options(static_cast<int>(words.size()), argv.data());
}

}  // namespace keygate::test
