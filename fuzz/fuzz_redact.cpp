// Fuzz target: `keygate redact` (redact/redact.hpp) on any input, in every format, with a key made at run
// time spliced in (plain or encoded) when the first byte asks: the redactor must not crash, hang or leak,
// the detector must find in its output none of the secrets it found in the input, and with nothing to
// redact (text format, no finding) the output must be the input, byte for byte.
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "core/error.hpp"
#include "core/scanner.hpp"
#include "redact/redact.hpp"
#include "util/utf16.hpp"

namespace {

keygate::Scanner& scanner() {
  static const keygate::RuleSet rules(keygate::default_config());
  static keygate::FindingCollector unused;
  static keygate::Scanner scanner(rules, keygate::ScanSettings{}, unused);
  return scanner;
}

// A Together-shaped key from a seeded generator (never a literal in the source).
std::string made_key(std::uint32_t seed) {
  static const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
  std::mt19937 rng(seed);
  std::string key = std::string("tgp_") + "v1_";
  for (int i = 0; i < 43; ++i) key += alphabet[rng() % alphabet.size()];
  return key;
}

std::string encoded(const std::string& line, unsigned how) {
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (const char c : line) {
    const auto b = static_cast<unsigned char>(c);
    switch (how % 4) {
      case 0:
        out += c;
        break;
      case 1:
        out += hex[b >> 4];
        out += hex[b & 15];
        break;
      case 2:
        out += "\\u00";
        out += hex[b >> 4];
        out += hex[b & 15];
        break;
      default:
        out += '%';
        out += hex[b >> 4];
        out += hex[b & 15];
        break;
    }
  }
  return out;
}

std::vector<std::string> secrets_in(const std::string& bytes) {
  std::string decoded;
  const std::string& text = keygate::decode_utf16(bytes, decoded) ? decoded : bytes;
  std::vector<std::string> out;
  for (const keygate::Finding& f : scanner().detect_text(text, keygate::Origin{})) out.push_back(f.secret);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const unsigned control = data[0];
  std::string input(reinterpret_cast<const char*>(data) + 2, size - 2);
  if ((control & 8) != 0) {
    const std::string line = "TOGETHER_API_KEY=" + made_key(data[1]);
    input.insert(std::min<std::size_t>(data[1] * 7u % (input.size() + 1), input.size()),
                 encoded(line, control >> 4));
  }
  keygate::RedactOptions options;
  options.format = static_cast<keygate::RedactFormat>(control & 3);
  const bool live = (control & 4) != 0;

  const int in = ::memfd_create("in", 0), out = ::memfd_create("out", 0);
  if (in < 0 || out < 0) std::abort();
  if (::write(in, input.data(), input.size()) != static_cast<ssize_t>(input.size())) std::abort();
  ::lseek(in, 0, SEEK_SET);
  keygate::RedactStats stats;
  try {
    keygate::redact_stream(scanner(), options, in, out, "fuzz", live, stats);
  } catch (const keygate::Error&) {
    // A refusal (an archive: redact does not rewrite them) must come before a single byte is written.
    if (::lseek(out, 0, SEEK_END) != 0) std::abort();
    ::close(in);
    ::close(out);
    return 0;
  }
  std::string output(static_cast<std::size_t>(::lseek(out, 0, SEEK_END)), '\0');
  if (::pread(out, output.data(), output.size(), 0) != static_cast<ssize_t>(output.size())) std::abort();
  ::close(in);
  ::close(out);

  const std::vector<std::string> before = secrets_in(input);
  for (const std::string& s : secrets_in(output)) {
    if (std::find(before.begin(), before.end(), s) != before.end()) std::abort();  // a secret survived
  }
  // Nothing to redact: nothing may change.
  if (options.format == keygate::RedactFormat::Text && before.empty() && stats.secrets == 0 &&
      output != input) {
    std::abort();
  }
  return 0;
}
