// Fuzz target: arbitrary bytes through the detector with the default rules, as a whole file, as added
// lines of a staged file, and as a chunk of a larger one.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "config.hpp"
#include "matcher.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const keygate::RuleSet rules(keygate::default_config());
  keygate::Fragment f;
  f.text = std::string_view(reinterpret_cast<const char*>(data), size);
  f.origin.path = "fuzz.env";
  for (const keygate::Finding& finding : keygate::scan(rules, f)) {
    if (finding.line < 1 || finding.column < 1 || finding.secret.empty()) __builtin_trap();
  }
  const std::vector<keygate::LineRange> added = {{1, 1}, {3, 5}};
  f.added_lines = &added;
  f.report_from = size / 3;
  f.report_to = size - size / 3;
  (void)keygate::scan(rules, f);
  return 0;
}
