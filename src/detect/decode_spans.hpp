// This file declares where the decoder (decode.cpp) looks in a text: the candidate spans of base64 and hex
// runs (lines of wrapped base64 joined), percent-encoded tokens and escaped tokens, found by one pass each
// and handed out in order of their place. A run or token longer than 64 KiB comes in overlapping pieces.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "detect/decode.hpp"

namespace keygate {

// A span worth decoding: its place in the text, and its bytes (the place's own, or a wrapped run's lines
// joined without what is between them).
struct DecodeCandidate {
  std::size_t offset = 0, length = 0;
  Encoding kind = Encoding::None;  // Base64, Hex, Percent; Json for escapes (decode_escapes tells which)
  bool wrapped = false;            // `joined` holds the lines of a wrapped run
  std::string joined;
  // The bytes to decode; `text` is the text the candidate came from.
  std::string_view bytes(std::string_view text) const {
    return wrapped ? std::string_view(joined) : text.substr(offset, length);
  }
};

// The candidates of one text, in order of offset. Each pass reads the text once: linear in its size.
// `text` must outlive the DecodeCandidates.
class DecodeCandidates {
 public:
  explicit DecodeCandidates(std::string_view text);
  ~DecodeCandidates();
  // Sets `c` to the next candidate; false when none is left.
  bool next(DecodeCandidate& c);
  // `c`, the last candidate, was wrapped and did not decode to text: its lines come again one by one.
  void unjoin(const DecodeCandidate& c);

 private:
  struct Passes;
  std::unique_ptr<Passes> passes_;
};

}  // namespace keygate
