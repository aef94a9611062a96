// This file declares the decoder that runs inside the detector (matcher.cpp): it finds spans of a text that
// look encoded (base64, hex, percent-encoding, \u/\x/U+ escapes, HTML entities, JSON string escapes), decodes
// those that turn out to be text, recursively, and says where in the original text each decoded piece came
// from. Lines of one width that continue a base64 run (wrapped base64) are joined and decoded as one span.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace keygate {

// One encoding step. The chain of a span (outermost first) packs one Encoding per 4 bits.
enum class Encoding : std::uint8_t { None = 0, Base64, Hex, Percent, Unicode, HexEscape, Json, Html };

inline constexpr int kDefaultDecodeDepth = 3;
inline constexpr int kMaxDecodeDepth = 8;  // the chain packs 8 steps into 32 bits

// A text is decoded region by region (RegionDecoder): a region is the candidates that start in one part of
// the text, up to region_bytes of their encoded bytes; it is decoded at every depth, scanned and dropped
// before the next. The bounds hold per region, so decodable junk in one part of a text cannot use up what
// another part is owed, and the memory of decoding is bounded by them whatever the text's size. A run
// longer than 64 KiB is decoded in overlapping 64 KiB pieces.
struct DecodeLimits {
  int max_depth = kDefaultDecodeDepth;  // 0: nothing is decoded
  std::size_t region_bytes = 128u << 10;
  // Decoded bytes per region, all depths together. Decoding never yields more bytes than it reads: depth 1
  // stops at half of this, so only deeper decoding of text that decodes again and again reaches it.
  std::size_t max_bytes = 2u << 20;
  std::size_t max_spans = 1u << 16;  // spans and places per region
};

// Where a decoded piece came from: a span of the original text. `root` is the index of the depth-1 span it
// belongs to (a span whose bytes occur again elsewhere in the text is decoded once and gets one place per
// occurrence).
struct EncodedPlace {
  std::size_t offset;
  std::size_t length;
  std::uint32_t root;
};

struct DecodedSpan {
  std::size_t begin, end;  // the decoded bytes, in DecodedText::text
  std::uint32_t root;      // see EncodedPlace
  std::uint32_t chain;     // Encoding steps, outermost in the low 4 bits
};

struct DecodedText {
  // The decoded spans one after another, each followed by '\n' (so that a regex's match cannot run from
  // one span into the next without crossing a line end). Spans are in order of `begin`.
  std::string text;
  std::vector<DecodedSpan> spans;
  std::vector<EncodedPlace> places;
  // A bound (bytes or spans) stopped decoding early: content was left undecoded, and a scan that used
  // this is incomplete (the matcher says so through ScanGaps).
  bool cut = false;
};

// Decodes a text one region at a time (see DecodeLimits): the way to decode a text of any size in bounded
// memory. Linear in the text's size plus the decoded bytes; decoded output that is not text is dropped.
// `text` must outlive the RegionDecoder.
class RegionDecoder {
 public:
  RegionDecoder(std::string_view text, const DecodeLimits& limits);
  ~RegionDecoder();
  // Replaces `out` with the next region's decoded spans (offsets of places are into the whole text);
  // returns false, `out` empty, when no candidate is left.
  bool next(DecodedText& out);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Every region of `text` decoded (RegionDecoder), in one DecodedText: for short texts and the tests.
DecodedText decode_text(std::string_view text, const DecodeLimits& limits);

// "base64>percent": the chain of a span, outermost first.
std::string chain_name(std::uint32_t chain);

// The byte bound for a fragment of `size` bytes: 4x its size, at most 1 MiB.
inline std::size_t decode_byte_bound(std::size_t size) {
  return size < (256u << 10) ? size * 4 : std::size_t{1} << 20;
}

// ---- the single decoders (decode_codecs.cpp), exposed for the unit tests ----
// Each appends what it decodes to `out` and returns false (leaving `out` as it may have grown) when the
// input is not that encoding. They decode at most `max_out` bytes.

// The value (0-63) of a base64 character of either alphabet ('+' and '-' are 62, '/' and '_' 63), or -1.
int base64_value(char c);
// Standard or URL-safe alphabet, with or without '=' padding. A trailing group of one character is ignored.
bool decode_base64(std::string_view in, std::string& out, std::size_t max_out);
// An even number of hex digits (an odd last digit is ignored).
bool decode_hex(std::string_view in, std::string& out, std::size_t max_out);
// %XX sequences; other bytes are copied. False when there is no valid %XX.
bool decode_percent(std::string_view in, std::string& out, std::size_t max_out);
// \uXXXX (with surrogate pairs), \xXX, U+XXXX, JSON's \n \t \r \b \f \" \\ \/ \', HTML entities (numeric
// and the common named ones); other bytes are copied. Returns the strongest kind seen (Unicode, HexEscape,
// Html, Json) or Encoding::None when nothing was decoded.
Encoding decode_escapes(std::string_view in, std::string& out, std::size_t max_out);

// True iff `s` reads as text: no NUL, and at most 1 byte in 20 a control character or invalid UTF-8.
bool looks_like_text(std::string_view s);

}  // namespace keygate
