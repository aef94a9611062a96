// This file implements the reading of big-endian integers, the byte order of git's binary formats (the
// index, the pack index): git/index_file.cpp and git/pack_reader.cpp read them through these.
#pragma once

#include <cstdint>

namespace keygate {

// The big-endian integer in p[0..1], p[0..3], p[0..7]. REQUIRES: that many bytes are readable at p.
inline std::uint16_t be16(const unsigned char* p) { return static_cast<std::uint16_t>((p[0] << 8) | p[1]); }
inline std::uint32_t be32(const unsigned char* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}
inline std::uint64_t be64(const unsigned char* p) { return (std::uint64_t{be32(p)} << 32) | be32(p + 4); }

}  // namespace keygate
