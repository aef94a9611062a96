// This file implements RegionDecoder and decode_text (see decode.hpp): it takes the candidate spans of a
// text (decode_spans.cpp), hands them to the single decoders (decode_codecs.cpp) and keeps the decoded text,
// region by region, within the region's bounds, depth by depth.
#include "detect/decode.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
#include <memory>
#include <unordered_map>

#include "detect/decode_spans.hpp"

namespace keygate {
namespace {

// Decoded text shorter than this is not worth scanning.
constexpr std::size_t kMinDecoded = 8;
// Base64 candidates are first decoded this far and given up unless that much is text: a 100 KB PNG in a
// data: URL costs 24 characters of decoding, not 100 KB.
constexpr std::size_t kBase64Probe = 24;

std::uint64_t hash_of(Encoding kind, std::string_view s) {
  std::uint64_t h = 1469598103934665603ull ^ static_cast<std::uint64_t>(kind);
  for (const char c : s) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  return h ^ s.size();
}

class Decoder {
 public:
  Decoder(const DecodeLimits& limits, DecodedText& out) : limits_(limits), out_(out) {}

  // Decodes candidates of the original text (depth 1, places recorded) until `candidates` has none left
  // or the region is full: region_bytes of encoded bytes, or half of a bound (the other half is for the
  // deeper depths). Returns false when there was no candidate.
  bool decode_region(std::string_view text, DecodeCandidates& candidates) {
    depth_ = 1;
    parent_ = nullptr;
    std::size_t encoded = 0;
    bool any = false;
    DecodeCandidate c;
    while (!stopped() && candidates.next(c)) {
      any = true;
      encoded += c.length;
      if (!consider(text, c) && c.wrapped) candidates.unjoin(c);
      if (encoded >= limits_.region_bytes || decoded_bytes_ >= limits_.max_bytes / 2 ||
          out_.spans.size() + out_.places.size() >= limits_.max_spans / 2) {
        break;
      }
    }
    return any;
  }

  // Decodes every candidate of `text`, which was decoded from `parent`, at `depth`.
  void decode_all(std::string_view text, int depth, const DecodedSpan* parent) {
    depth_ = depth;
    parent_ = parent;
    DecodeCandidates candidates(text);
    DecodeCandidate c;
    while (!stopped() && candidates.next(c)) {
      if (!consider(text, c) && c.wrapped) candidates.unjoin(c);
    }
  }

  bool stopped() const { return out_.cut; }

 private:
  // Decodes one candidate; true iff it became a span (or a place of one decoded before).
  bool consider(std::string_view s, const DecodeCandidate& c) {
    const std::string_view encoded = c.bytes(s);
    Encoding kind = c.kind;
    std::uint64_t key = 0;
    if (depth_ == 1) {
      key = hash_of(kind, encoded);
      if (const auto it = seen_.find(key); it != seen_.end()) {
        add_place(c.offset, c.length, it->second);
        return true;
      }
    }
    const std::size_t budget = limits_.max_bytes - decoded_bytes_;
    if (budget == 0) {
      out_.cut = true;
      return false;
    }
    std::string& text = out_.text;
    const std::size_t start = text.size();
    bool ok = false;
    if (kind == Encoding::Base64) {
      ok = decode_base64(encoded.substr(0, kBase64Probe), text, budget) &&
           looks_like_text(std::string_view(text).substr(start));
      text.resize(start);
      ok = ok && decode_base64(encoded, text, budget);
    } else if (kind == Encoding::Hex) {
      ok = decode_hex(encoded, text, budget);
    } else if (kind == Encoding::Percent) {
      ok = decode_percent(encoded, text, budget);
    } else {
      kind = decode_escapes(encoded, text, budget);
      ok = kind != Encoding::None;
    }
    const std::size_t size = text.size() - start;
    if (!ok || size < kMinDecoded || !looks_like_text(std::string_view(text).substr(start))) {
      text.resize(start);
      return false;
    }
    if (size == budget) out_.cut = true;  // the bound may have cut this span short
    decoded_bytes_ += size;
    text += '\n';
    const auto index = static_cast<std::uint32_t>(out_.spans.size());
    DecodedSpan span{start, start + size, index, static_cast<std::uint32_t>(kind)};
    if (parent_ != nullptr) {
      span.root = parent_->root;
      span.chain = parent_->chain | (static_cast<std::uint32_t>(kind) << (4 * (depth_ - 1)));
    }
    out_.spans.push_back(span);
    if (depth_ == 1) {
      seen_.emplace(key, index);
      add_place(c.offset, c.length, index);
    }
    if (out_.spans.size() + out_.places.size() >= limits_.max_spans) out_.cut = true;
    return true;
  }

  void add_place(std::size_t offset, std::size_t length, std::uint32_t root) {
    out_.places.push_back({offset, length, root});
    if (out_.spans.size() + out_.places.size() >= limits_.max_spans) out_.cut = true;
  }

  const DecodeLimits& limits_;
  DecodedText& out_;
  std::unordered_map<std::uint64_t, std::uint32_t> seen_;  // depth 1: encoded bytes -> span
  std::size_t decoded_bytes_ = 0;
  int depth_ = 1;
  const DecodedSpan* parent_ = nullptr;
};

}  // namespace

struct RegionDecoder::State {
  State(std::string_view t, const DecodeLimits& l) : text(t), limits(l), candidates(t) {}
  std::string_view text;
  DecodeLimits limits;
  DecodeCandidates candidates;
};

RegionDecoder::RegionDecoder(std::string_view text, const DecodeLimits& limits)
    : state_(limits.max_depth > 0 ? std::make_unique<State>(text, limits) : nullptr) {}

RegionDecoder::~RegionDecoder() = default;

bool RegionDecoder::next(DecodedText& out) {
  out.text.clear();
  out.spans.clear();
  out.places.clear();
  out.cut = false;
  if (state_ == nullptr) return false;
  Decoder decoder(state_->limits, out);
  if (!decoder.decode_region(state_->text, state_->candidates)) {
    state_.reset();
    return false;
  }
  const int max_depth = std::min(state_->limits.max_depth, kMaxDecodeDepth);
  std::string parent_text;  // a copy: decoding appends to out.text
  for (int depth = 2, from = 0; depth <= max_depth && !decoder.stopped(); ++depth) {
    const int to = static_cast<int>(out.spans.size());
    if (from == to) break;
    for (int i = from; i < to && !decoder.stopped(); ++i) {
      const DecodedSpan parent = out.spans[static_cast<std::size_t>(i)];
      parent_text.assign(out.text, parent.begin, parent.end - parent.begin);
      decoder.decode_all(parent_text, depth, &parent);
    }
    from = to;
  }
  return true;
}

DecodedText decode_text(std::string_view text, const DecodeLimits& limits) {
  DecodedText all, region;
  RegionDecoder regions(text, limits);
  while (regions.next(region)) {
    const std::size_t shift = all.text.size();
    const auto base = static_cast<std::uint32_t>(all.spans.size());
    all.text += region.text;
    for (DecodedSpan s : region.spans) {
      s.begin += shift;
      s.end += shift;
      s.root += base;
      all.spans.push_back(s);
    }
    for (EncodedPlace p : region.places) {
      p.root += base;
      all.places.push_back(p);
    }
    all.cut = all.cut || region.cut;
  }
  return all;
}

std::string chain_name(std::uint32_t chain) {
  static const char* const names[] = {"",        "base64",     "hex",  "percent",
                                      "unicode", "hex-escape", "json", "html"};
  std::string out;
  for (; chain != 0; chain >>= 4) {
    const std::uint32_t step = chain & 0xF;
    if (!out.empty()) out += '>';
    out += step < std::size(names) ? names[step] : "?";
  }
  return out;
}

}  // namespace keygate
