// Fuzz target: git's delta format (pack_reader.cpp apply_delta): any delta against any base must be applied
// or refused without a crash, a hang or a leak, and an applied one yields exactly the size it announced.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "pack_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  const std::size_t split = size == 0 ? 0 : data[0] % (size + 1);
  const std::string_view base = std::string_view(input).substr(0, split);
  const std::string_view delta = std::string_view(input).substr(split);
  std::string out;
  if (keygate::apply_delta(base, delta, out) && out.size() > (std::size_t{1} << 40)) std::abort();
  return 0;
}
