// This file declares SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104): the keyed hash that names a secret in
// audit results and merged reports (report/incidents.hpp) without storing it. Small and dependency-free:
// the dynamic build links no crypto library keygate could call.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace keygate {

using Sha256Digest = std::array<std::uint8_t, 32>;

// An incremental SHA-256.
class Sha256 {
 public:
  Sha256();
  void update(std::string_view bytes);
  // The digest of everything given to update(). Call it once.
  Sha256Digest finish();

 private:
  void block(const std::uint8_t* p);
  std::array<std::uint32_t, 8> state_;
  std::array<std::uint8_t, 64> buffer_{};
  std::size_t buffered_ = 0;
  std::uint64_t length_ = 0;  // bytes given so far
};

Sha256Digest sha256(std::string_view bytes);

// HMAC-SHA256 of `message` under `key` (any length: a key over 64 bytes is hashed first, as RFC 2104 says).
Sha256Digest hmac_sha256(std::string_view key, std::string_view message);

// `bytes` as lowercase hex digits, two per byte.
std::string to_hex(std::string_view bytes);
// The digest as 64 lowercase hex digits.
std::string to_hex(const Sha256Digest& digest);

}  // namespace keygate
