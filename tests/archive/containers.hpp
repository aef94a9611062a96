// Test support for the archive stage: zip (stored), tar and gzip containers built in memory, so that unit
// tests need no tool and no fixture file (the keys in them are made at run time).
#pragma once

#include <libdeflate.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace keygate::test {

inline void put_le(std::string& out, std::uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out += static_cast<char>((v >> (8 * i)) & 0xff);
}

// A zip of stored (uncompressed) entries, each a (path, content) pair.
inline std::string make_zip(const std::vector<std::pair<std::string, std::string>>& entries) {
  std::string out, central;
  for (const auto& [path, content] : entries) {
    const std::uint32_t crc = libdeflate_crc32(0, content.data(), content.size());
    const std::size_t offset = out.size();
    out += "PK\x03\x04";
    put_le(out, 20, 2), put_le(out, 0, 2), put_le(out, 0, 2), put_le(out, 0, 4);
    put_le(out, crc, 4), put_le(out, content.size(), 4), put_le(out, content.size(), 4);
    put_le(out, path.size(), 2), put_le(out, 0, 2);
    out += path + content;
    central += "PK\x01\x02";
    put_le(central, 20, 2), put_le(central, 20, 2), put_le(central, 0, 2), put_le(central, 0, 2);
    put_le(central, 0, 4), put_le(central, crc, 4), put_le(central, content.size(), 4);
    put_le(central, content.size(), 4), put_le(central, path.size(), 2), put_le(central, 0, 2);
    put_le(central, 0, 2), put_le(central, 0, 2), put_le(central, 0, 2), put_le(central, 0, 4);
    put_le(central, offset, 4);
    central += path;
  }
  const std::size_t central_at = out.size();
  out += central;
  out += "PK\x05\x06";
  put_le(out, 0, 2), put_le(out, 0, 2), put_le(out, entries.size(), 2), put_le(out, entries.size(), 2);
  put_le(out, central.size(), 4), put_le(out, central_at, 4), put_le(out, 0, 2);
  return out;
}

// A ustar archive of regular files.
inline std::string make_tar(const std::vector<std::pair<std::string, std::string>>& entries) {
  std::string out;
  for (const auto& [path, content] : entries) {
    std::string h(512, '\0');
    h.replace(0, path.size(), path);
    auto octal = [&h](std::size_t at, std::size_t width, std::uint64_t v) {
      std::string digits(width - 1, '0');
      for (std::size_t i = width - 1; i-- > 0; v >>= 3) digits[i] = static_cast<char>('0' + (v & 7));
      h.replace(at, width - 1, digits);
    };
    octal(100, 8, 0644), octal(108, 8, 0), octal(116, 8, 0), octal(124, 12, content.size()),
        octal(136, 12, 0);
    h[156] = '0';
    h.replace(257, 6, std::string("ustar\0", 6));
    h.replace(263, 2, "00");
    h.replace(148, 8, "        ");
    std::uint32_t sum = 0;
    for (const char c : h) sum += static_cast<unsigned char>(c);
    octal(148, 7, sum);
    out += h + content + std::string((512 - content.size() % 512) % 512, '\0');
  }
  return out + std::string(1024, '\0');
}

inline std::string make_gzip(const std::string& data) {
  libdeflate_compressor* c = libdeflate_alloc_compressor(6);
  std::string out(libdeflate_gzip_compress_bound(c, data.size()), '\0');
  out.resize(libdeflate_gzip_compress(c, data.data(), data.size(), out.data(), out.size()));
  libdeflate_free_compressor(c);
  return out;
}

}  // namespace keygate::test
