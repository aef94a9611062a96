// Fuzz target: the JSON walker (datasets, redact) and what is built on it: any input must be walked or
// refused without a crash, a hang or a leak, and every reported span lies inside the text.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "config/config.hpp"
#include "core/scanner.hpp"
#include "redact/redact.hpp"
#include "util/json_walk.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const bool valid = keygate::walk_json(text, [&](const keygate::JsonValue& v) {
    if (v.begin > v.end || v.end > text.size()) std::abort();
  });
  if (!valid) return 0;
  (void)keygate::json_pointer_at(text, size / 2);
  static const keygate::RuleSet rules(keygate::default_config());
  static keygate::FindingCollector unused;
  static keygate::Scanner scanner(rules, keygate::ScanSettings{}, unused);
  keygate::RedactOptions options;
  options.fields = {"a", "api_key", "b"};
  keygate::RedactStats stats;
  bool was_json = false;
  (void)keygate::redact_record(scanner, options, "", text, true, stats, &was_json);
  if (!was_json) std::abort();  // the walker said it is valid JSON
  return 0;
}
