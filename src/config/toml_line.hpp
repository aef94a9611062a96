// This file implements the line number of a toml11 value, for config.cpp's "file:line:" messages and
// rule places. toml11's location().line() counts the line breaks from the start of the file on every call,
// quadratic in the file's size: 8 ms of reading gitleaks' 100 KB config. Here they are listed once per file.
#pragma once

#include <algorithm>
#include <memory>
#include <toml.hpp>
#include <vector>

namespace keygate {

// The 1-based line where `v` starts in its file. Thread-safe (the list is per thread).
inline int toml_line(const toml::value& v) {
  // toml11 3.x keeps each value's place as a detail::region over the file's bytes; any other kind of place
  // (a value built in code) has its line answered by toml11 itself.
  const auto* region = dynamic_cast<const toml::detail::region*>(toml::detail::get_region(v));
  if (region == nullptr || !region->is_ok()) return static_cast<int>(v.location().line());
  // The file the list is of: a weak pointer, so that a new file at a freed file's address is not taken for
  // it.
  thread_local std::weak_ptr<const std::vector<char>> listed;
  thread_local std::vector<std::size_t> breaks;
  const auto& source = region->source();
  if (listed.lock() != source) {
    breaks.clear();
    for (std::size_t i = 0; i < source->size(); ++i) {
      if ((*source)[i] == '\n') breaks.push_back(i);
    }
    listed = source;
  }
  const auto offset = static_cast<std::size_t>(region->first() - region->begin());
  return static_cast<int>(std::lower_bound(breaks.begin(), breaks.end(), offset) - breaks.begin()) + 1;
}

}  // namespace keygate
