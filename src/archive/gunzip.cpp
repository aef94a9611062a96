// This file implements the gzip layer of the archive stage (see gunzip.hpp) with zlib, which checks each
// member's CRC-32 and length where libarchive's gzip filter does not.
#include "archive/gunzip.hpp"

#include <cstring>

namespace keygate::archive {

Gunzip::Gunzip(Pull pull) : pull_(std::move(pull)) {
  // 15 + 16: a gzip wrapper only (a zlib or raw deflate stream is not a .gz), with its trailer checked.
  started_ = inflateInit2(&z_, 15 + 16) == Z_OK;
  if (!started_) {
    state_ = State::Failed;
    error_ = "zlib cannot start inflating";
  }
}

Gunzip::~Gunzip() {
  if (started_) inflateEnd(&z_);
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

std::ptrdiff_t Gunzip::read(char* out, std::size_t cap) {
  std::size_t produced = 0;
  while (produced < cap) {
    if (state_ == State::Done) break;
    if (state_ == State::Failed) return produced > 0 ? static_cast<std::ptrdiff_t>(produced) : -1;
    if (z_.avail_in == 0 && !refill()) {
      if (state_ == State::Failed) continue;
      if (state_ == State::BetweenMembers) {
        state_ = State::Done;
        continue;
      }
      state_ = State::Failed;
      error_ = "gzip data ends before its last member does (truncated)";
      continue;
    }
    if (state_ == State::BetweenMembers) {
      // Another member starts with the gzip magic; anything else is trailing bytes, ignored.
      if (z_.next_in[0] != 0x1f) {
        state_ = State::Done;
        continue;
      }
      inflateReset(&z_);
      state_ = State::InMember;
    }
    z_.next_out = reinterpret_cast<Bytef*>(out + produced);
    z_.avail_out = static_cast<uInt>(cap - produced);
    const int rc = inflate(&z_, Z_NO_FLUSH);
    produced = cap - z_.avail_out;
    if (rc == Z_STREAM_END) {
      state_ = State::BetweenMembers;
    } else if (rc == Z_DATA_ERROR || rc == Z_NEED_DICT || rc == Z_MEM_ERROR || rc == Z_STREAM_ERROR) {
      const char* why = z_.msg != nullptr ? z_.msg : "invalid data";
      state_ = State::Failed;
      if (std::strcmp(why, "incorrect data check") == 0) {
        error_ = "gzip CRC-32 mismatch: the data is corrupt";
      } else if (std::strcmp(why, "incorrect length check") == 0) {
        error_ = "gzip length mismatch: the data is corrupt";
      } else {
        error_ = std::string("corrupt gzip data: ") + why;
      }
    }
  }
  return static_cast<std::ptrdiff_t>(produced);
}

}  // namespace keygate::archive
