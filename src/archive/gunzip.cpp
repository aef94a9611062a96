// This file implements the gzip layer of the archive stage (see gunzip.hpp): RFC 1952's header and
// trailer read here, the deflate data between them inflated by zlib (raw), the CRC-32 computed by
// libdeflate over what comes out.
#include "archive/gunzip.hpp"

#include <libdeflate.h>

#include <cstring>

namespace keygate::archive {
namespace {

constexpr int kHeaderCrc = 2, kExtra = 4, kName = 8, kComment = 16;
constexpr const char* kTruncated = "gzip data ends before its last member does (truncated)";

}  // namespace

Gunzip::Gunzip(Pull pull) : pull_(std::move(pull)) {
  // -15: raw deflate; the gzip wrapper is read here, so that the CRC-32 is computed by libdeflate.
  started_ = inflateInit2(&z_, -15) == Z_OK;
  state_ = started_ ? State::Header : State::Failed;
  if (!started_) error_ = "zlib cannot start inflating";
}

Gunzip::~Gunzip() {
  if (started_) inflateEnd(&z_);
}

void Gunzip::fail(std::string why) {
  if (state_ != State::Failed) error_ = std::move(why);
  state_ = State::Failed;
}

bool Gunzip::refill() {
  if (input_ended_) return false;
  const std::optional<std::string_view> block = pull_();
  if (!block) {
    state_ = State::Failed;  // the reader knows why (errno, or its parent entry's failure)
    return false;
  }
  if (block->empty()) {
    input_ended_ = true;
    return false;
  }
  z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(block->data()));
  z_.avail_in = static_cast<uInt>(block->size());
  return true;
}

int Gunzip::next_byte() {
  if (z_.avail_in == 0 && !refill()) return -1;
  --z_.avail_in;
  return *z_.next_in++;
}

bool Gunzip::read_header(int first) {
  const int second = next_byte(), method = next_byte(), flags = next_byte();
  if (first != 0x1f || second != 0x8b || method != 8 || flags < 0 || (flags & 0xe0) != 0) {
    if (state_ != State::Failed) fail(second < 0 || method < 0 || flags < 0 ? kTruncated : "not gzip data");
    return false;
  }
  for (int i = 0; i < 6; ++i) {  // mtime, extra flags, OS
    if (next_byte() < 0) return fail(kTruncated), false;
  }
  if (flags & kExtra) {
    const int lo = next_byte(), hi = next_byte();
    if (lo < 0 || hi < 0) return fail(kTruncated), false;
    for (int n = lo | (hi << 8); n > 0; --n) {
      if (next_byte() < 0) return fail(kTruncated), false;
    }
  }
  for (const int zero_ended : {kName, kComment}) {
    if (!(flags & zero_ended)) continue;
    for (int c = next_byte(); c != 0; c = next_byte()) {
      if (c < 0) return fail(kTruncated), false;
    }
  }
  if (flags & kHeaderCrc) {
    if (next_byte() < 0 || next_byte() < 0) return fail(kTruncated), false;
  }
  inflateReset(&z_);
  crc_ = 0;
  length_ = 0;
  state_ = State::InMember;
  return true;
}

bool Gunzip::check_trailer() {
  std::uint32_t stored[2] = {0, 0};
  for (int word = 0; word < 2; ++word) {
    for (int i = 0; i < 4; ++i) {
      const int b = next_byte();
      if (b < 0) return fail(kTruncated), false;
      stored[word] |= static_cast<std::uint32_t>(b) << (8 * i);
    }
  }
  if (stored[0] != crc_) return fail("gzip CRC-32 mismatch: the data is corrupt"), false;
  if (stored[1] != length_) return fail("gzip length mismatch: the data is corrupt"), false;
  state_ = State::BetweenMembers;
  return true;
}

std::ptrdiff_t Gunzip::read(char* out, std::size_t cap) {
  std::size_t produced = 0;
  while (produced < cap) {
    if (state_ == State::Done) break;
    if (state_ == State::Failed) return produced > 0 ? static_cast<std::ptrdiff_t>(produced) : -1;
    if (state_ == State::Header || state_ == State::BetweenMembers) {
      const bool first_member = state_ == State::Header;
      const int first = next_byte();
      if (first < 0) {
        if (state_ == State::Failed) continue;
        if (first_member) {
          fail(kTruncated);
        } else {
          state_ = State::Done;
        }
        continue;
      }
      // After a member, anything but another member's magic is trailing bytes, ignored as gzip(1) does.
      if (!first_member && first != 0x1f) {
        state_ = State::Done;
        continue;
      }
      read_header(first);
      continue;
    }
    if (z_.avail_in == 0 && !refill()) {
      if (state_ != State::Failed) fail(kTruncated);
      continue;
    }
    z_.next_out = reinterpret_cast<Bytef*>(out + produced);
    z_.avail_out = static_cast<uInt>(cap - produced);
    const int rc = inflate(&z_, Z_NO_FLUSH);
    const std::size_t now = cap - produced - z_.avail_out;
    crc_ = libdeflate_crc32(crc_, out + produced, now);
    length_ += static_cast<std::uint32_t>(now);
    produced += now;
    if (rc == Z_STREAM_END) {
      check_trailer();
    } else if (rc == Z_DATA_ERROR || rc == Z_NEED_DICT || rc == Z_MEM_ERROR || rc == Z_STREAM_ERROR) {
      fail(std::string("corrupt gzip data: ") + (z_.msg != nullptr ? z_.msg : "invalid data"));
    }
  }
  return static_cast<std::ptrdiff_t>(produced);
}

}  // namespace keygate::archive
