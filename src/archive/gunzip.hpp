// This file declares the gzip layer of the archive stage: libarchive's gzip filter does not check a
// member's CRC-32 or length, so a corrupted .gz or .tar.gz would be scanned as if whole. The reader
// (reader.cpp) inflates gzip itself (zlib's raw inflate; the CRC-32 with libdeflate's, several times
// faster than zlib's) and checks both, then hands libarchive the result.
#pragma once

#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace keygate::archive {

// A gzip stream (one member or several, as gzip -c a b writes) inflated on demand, each member's CRC-32
// and length checked at its end. Bytes after the last member that do not start another are ignored, as
// gzip(1) does ("trailing garbage ignored"): tar's padding after a .tar.gz is common.
class Gunzip {
 public:
  // Where compressed bytes come from: the next block, empty at the input's end, or nullopt on a read
  // failure (the reader has the reason). A block must stay valid until the next call.
  using Pull = std::function<std::optional<std::string_view>()>;

  explicit Gunzip(Pull pull);
  ~Gunzip();
  Gunzip(const Gunzip&) = delete;
  Gunzip& operator=(const Gunzip&) = delete;

  // Inflates up to `cap` bytes into `out`: returns how many (0 only at the end of the last member), or -1
  // when the data is corrupt, truncated or unreadable (then error() says which; empty for a failed Pull).
  std::ptrdiff_t read(char* out, std::size_t cap);

  const std::string& error() const { return error_; }

 private:
  enum class State { Header, InMember, BetweenMembers, Done, Failed };
  bool refill();                // false at the input's end or on a failure (state_ set)
  int next_byte();              // the next input byte, or -1 at the input's end or on a failure
  bool read_header(int first);  // a member's header after its first byte; false: state_ Failed
  bool check_trailer();         // the member's CRC-32 and length; false: state_ Failed
  void fail(std::string why);

  Pull pull_;
  z_stream z_{};
  State state_ = State::InMember;
  bool started_ = false;  // inflateInit2 succeeded: inflateEnd is owed
  bool input_ended_ = false;
  std::uint32_t crc_ = 0;     // of the member's bytes so far
  std::uint32_t length_ = 0;  // of the member so far, modulo 2^32 as gzip stores it
  std::string error_;
};

}  // namespace keygate::archive
