// This file declares the UTF-16 streams of `keygate redact`: a UTF-16 input is read as UTF-8 (as `scan` reads
// it, util/utf16.hpp), redacted, and written back as UTF-16 in the same byte order, every code unit that is
// not part of a secret unchanged (surrogate pairs and lone surrogates included).
#pragma once

#include <string>
#include <string_view>

#include "util/utf16.hpp"

namespace keygate {

// UTF-16 bytes in, UTF-8 out. Pairs become 4-byte sequences; a lone surrogate becomes its 3-byte
// generalized UTF-8 form (ED A0..BF xx), which Utf16Encoder turns back into the same unit.
class Utf16Decoder {
 public:
  explicit Utf16Decoder(Utf16Order order) : order_(order) {}
  // Appends the text of `in` (any split of the input) to `out`.
  void feed(std::string_view in, std::string& out);
  // The end of the input: a high surrogate left waiting is written; returns a trailing odd byte ("" or one
  // byte), which the output must end with unchanged.
  std::string finish(std::string& out);

 private:
  void unit(unsigned u, std::string& out);
  Utf16Order order_;
  std::string carry_;     // an odd byte waiting for its pair
  unsigned pending_ = 0;  // a high surrogate waiting for a low one; 0 when none
};

// UTF-8 (as Utf16Decoder makes it, with ASCII replacements) in, UTF-16 bytes out.
class Utf16Encoder {
 public:
  explicit Utf16Encoder(Utf16Order order) : order_(order) {}
  // Appends the UTF-16 form of `in` (any split) to `out`. A byte that is not part of a sequence becomes
  // U+FFFD (only a rule that cuts a character in two could leave one).
  void feed(std::string_view in, std::string& out);
  // Writes what is left (an unfinished sequence, as U+FFFD).
  void finish(std::string& out);

 private:
  void unit(unsigned u, std::string& out) const;
  bool sequence(std::string_view s, std::size_t& i, std::string& out) const;
  Utf16Order order_;
  std::string carry_;  // the start of a sequence split by the caller
};

}  // namespace keygate
