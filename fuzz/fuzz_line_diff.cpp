// Fuzz target: two texts (split at the first NUL) through the added-lines diff; every reported line must
// exist in the new text and ranges must be sorted and disjoint.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "git/line_diff.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view all(reinterpret_cast<const char*>(data), size);
  const std::size_t cut = all.find('\0');
  const std::string_view old_text = all.substr(0, cut == std::string_view::npos ? size / 2 : cut);
  const std::string_view new_text = all.substr(std::min(size, old_text.size() + 1));
  std::size_t lines = 0;
  for (std::size_t i = 0; i < new_text.size(); ++i) lines += new_text[i] == '\n';
  if (!new_text.empty() && new_text.back() != '\n') ++lines;
  int previous = 0;
  for (const keygate::LineRange& r : keygate::added_lines(old_text, new_text)) {
    if (r.first <= previous || r.last < r.first || static_cast<std::size_t>(r.last) > lines) __builtin_trap();
    previous = r.last;
  }
  return 0;
}
