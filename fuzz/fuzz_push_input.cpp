// Fuzz target: the push hooks' input parser (parse_push_input, push/push.hpp): any bytes git or a hostile
// wrapper could pipe in must parse or be refused with an Error, never crash or hang, and whatever parses
// names a ref and well-formed object ids.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/error.hpp"
#include "push/push.hpp"

namespace {

bool hex_id(const std::string& s) {
  return (s.size() == 40 || s.size() == 64) && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const keygate::PushHook hook : {keygate::PushHook::PreReceive, keygate::PushHook::PrePush}) {
    try {
      for (const keygate::PushLine& line : keygate::parse_push_input(text, hook)) {
        if (line.ref.empty() || !hex_id(line.new_id)) std::abort();
        if (hook == keygate::PushHook::PrePush && !hex_id(line.remote_id)) std::abort();
        if (line.ref.find_first_of(" \t\n") != std::string::npos) std::abort();
      }
    } catch (const keygate::Error&) {
    }
  }
  return 0;
}
