// This file implements container recognition by magic numbers (see sniff.hpp).
#include "archive/sniff.hpp"

#include <cstdint>
#include <cstring>

namespace keygate::archive {
namespace {

bool starts(std::string_view head, std::string_view magic) {
  return head.size() >= magic.size() && std::memcmp(head.data(), magic.data(), magic.size()) == 0;
}

std::uint32_t le32(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return u[0] | (u[1] << 8) | (u[2] << 16) | (static_cast<std::uint32_t>(u[3]) << 24);
}

// A tar header: its checksum field (octal, at 148) equals the sum of its 512 bytes with that field taken
// as spaces. Older tars have no "ustar" magic, so the checksum is what tells a header from text.
bool tar_header(std::string_view head) {
  if (head.size() < 512) return false;
  const auto* p = reinterpret_cast<const unsigned char*>(head.data());
  if (p[0] == 0) return false;  // an empty name: the end-of-archive block, or not a tar
  std::uint32_t stored = 0;
  std::size_t i = 148;
  while (i < 156 && p[i] == ' ') ++i;
  const std::size_t digits_from = i;
  while (i < 156 && p[i] >= '0' && p[i] <= '7') stored = stored * 8 + (p[i++] - '0');
  if (i == digits_from || (i < 156 && p[i] != 0 && p[i] != ' ')) return false;
  std::uint32_t sum = 0;
  for (std::size_t k = 0; k < 512; ++k) sum += (k >= 148 && k < 156) ? ' ' : p[k];
  return sum == stored;
}

}  // namespace

Container sniff(std::string_view head) {
  if (head.size() < 4) return Container::None;
  if (starts(head, "PK\x03\x04") || starts(head, "PK\x05\x06") || starts(head, "PK\x07\x08PK\x03\x04"))
    return Container::Zip;
  if (starts(head, "Cr24")) return Container::Crx;
  if (starts(head, "\x1f\x8b\x08")) return Container::Gzip;
  if (head.size() >= 10 && starts(head, "BZh") && head[3] >= '1' && head[3] <= '9' &&
      (std::memcmp(head.data() + 4, "\x31\x41\x59\x26\x53\x59", 6) == 0 ||
       std::memcmp(head.data() + 4, "\x17\x72\x45\x38\x50\x90", 6) == 0))
    return Container::Bzip2;
  if (starts(head, std::string_view("\xfd"
                                    "7zXZ\x00",
                                    6)))
    return Container::Xz;
  if (starts(head, "\x28\xb5\x2f\xfd")) return Container::Zstd;
  if (starts(head, "\x04\x22\x4d\x18")) return Container::Lz4;
  if (starts(head, "7z\xbc\xaf\x27\x1c")) return Container::SevenZip;
  if (tar_header(head)) return Container::Tar;
  return Container::None;
}

const char* container_name(Container c) {
  switch (c) {
    case Container::None:
      return "not a container";
    case Container::Zip:
      return "zip";
    case Container::Crx:
      return "crx";
    case Container::Tar:
      return "tar";
    case Container::Gzip:
      return "gzip";
    case Container::Bzip2:
      return "bzip2";
    case Container::Xz:
      return "xz";
    case Container::Zstd:
      return "zstd";
    case Container::Lz4:
      return "lz4";
    case Container::SevenZip:
      return "7z";
  }
  return "container";
}

std::size_t crx_zip_offset(std::string_view bytes) {
  if (bytes.size() < 16 || !starts(bytes, "Cr24")) return 0;
  const std::uint32_t version = le32(bytes.data() + 4);
  std::uint64_t offset = 0;
  if (version == 2) {  // "Cr24", version, public key length, signature length, key, signature
    offset = 16ull + le32(bytes.data() + 8) + le32(bytes.data() + 12);
  } else if (version == 3) {  // "Cr24", version, header length, header (protobuf)
    offset = 12ull + le32(bytes.data() + 8);
  } else {
    return 0;
  }
  return offset < bytes.size() ? static_cast<std::size_t>(offset) : 0;
}

}  // namespace keygate::archive
