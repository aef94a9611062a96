// Fuzz target: arbitrary bytes as a git index file. The reader must accept it, refuse it, or throw Error
// (split/sparse index); never read out of bounds.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/error.hpp"
#include "git/index_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const auto index = keygate::parse_index(std::string_view(reinterpret_cast<const char*>(data), size));
    if (index) {
      std::size_t total = 0;
      for (const auto& e : index->entries) total += e.path.size();
      (void)total;
    }
  } catch (const keygate::Error&) {
  }
  return 0;
}
