// This file implements confidence levels (see confidence.hpp).
#include "core/confidence.hpp"

#include <fnmatch.h>

namespace keygate {

const char* confidence_name(Confidence c) {
  switch (c) {
    case Confidence::Low:
      return "low";
    case Confidence::Medium:
      return "medium";
    case Confidence::High:
      return "high";
  }
  return "high";
}

bool parse_confidence(std::string_view text, Confidence* out) {
  if (text == "low")
    *out = Confidence::Low;
  else if (text == "medium")
    *out = Confidence::Medium;
  else if (text == "high")
    *out = Confidence::High;
  else
    return false;
  return true;
}

const std::vector<std::string>& default_demote_paths() {
  static const std::vector<std::string> paths = {
      "test/",     "tests/",     "t/",        "__tests__/", "spec/",    "specs/",    "fixtures/", "fixture/",
      "testdata/", "test_data/", "examples/", "example/",   "samples/", "sample/",   "docs/",     "doc/",
      "mocks/",    "*.md",       "*.rst",     "*.txt",      "*.adoc",   "*.example", "*.sample",  "*.dist",
      "test.*",    "test_*",     "*_test.*",  "*.test.*",   "*_spec.*",
  };
  return paths;
}

namespace {

// True iff `path` has a directory component equal to `dir`.
bool has_directory(std::string_view path, std::string_view dir) {
  std::size_t start = 0;
  while (true) {
    const std::size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) return false;  // the last component is the file name
    if (path.substr(start, slash - start) == dir) return true;
    start = slash + 1;
  }
}

}  // namespace

bool path_matches_demote(std::string_view path, const std::vector<std::string>& patterns) {
  const std::size_t slash = path.rfind('/');
  const std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
  for (const std::string& p : patterns) {
    if (p.empty()) continue;
    if (p.back() == '/') {
      if (has_directory(path, std::string_view(p).substr(0, p.size() - 1))) return true;
    } else if (p.find('*') != std::string::npos) {
      // A file-name pattern ("*.md", "test.*", "*_test.*"): '*' is any run of characters.
      if (::fnmatch(p.c_str(), std::string(base).c_str(), 0) == 0) return true;
    } else if (path == p || base == p || has_directory(path, p)) {
      return true;
    }
  }
  return false;
}

Confidence demoted(Confidence c) { return c == Confidence::High ? Confidence::Medium : Confidence::Low; }

}  // namespace keygate
