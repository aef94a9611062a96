// Fuzz target: patterns.toml text -> Config -> compiled rules. Any input must give a Config or an Error,
// never a crash, a hang or a leak.
#include <cstddef>
#include <cstdint>
#include <string>

#include "config/config.hpp"
#include "core/error.hpp"
#include "rules/rules.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    keygate::Config config =
        keygate::parse_config(std::string(reinterpret_cast<const char*>(data), size), "fuzz.toml");
    keygate::validate_config(config);
    (void)keygate::serialize_config(config);
  } catch (const keygate::Error&) {
  }
  return 0;
}
