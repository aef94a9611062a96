// This file implements the streaming JSON field blanker (see json_blank.hpp): a byte-at-a-time JSON
// validator whose only memory is the stack of open containers (at most kMaxJsonDepth) and the member name
// being read (cut past the longest sensitive name).
#include "redact/json_blank.hpp"

#include <algorithm>
#include <cstring>

#include "util/json_walk.hpp"
#include "util/utf8.hpp"

namespace keygate {
namespace {

constexpr std::string_view kBlanked = "\"[REDACTED]\"";
constexpr std::size_t kNotCopying = static_cast<std::size_t>(-1);

bool scalar_byte(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '+' || c == '-' ||
         c == '.';
}

// True iff `s` (a whole scalar token) is true, false, null or a JSON number.
bool valid_scalar(std::string_view s) {
  if (s == "true" || s == "false" || s == "null") return true;
  std::size_t i = 0;
  auto digits = [&] {
    const std::size_t from = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    return i - from;
  };
  if (i < s.size() && s[i] == '-') ++i;
  if (i < s.size() && s[i] == '0') {
    ++i;
  } else if (digits() == 0) {
    return false;
  }
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (digits() == 0) return false;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (digits() == 0) return false;
  }
  return i == s.size();
}

}  // namespace

JsonBlanker::JsonBlanker(const std::vector<std::string>& fields, JsonFraming framing)
    : fields_(fields), framing_(framing) {
  for (std::string& f : fields_) {
    for (char& c : f) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    longest_field_ = std::max(longest_field_, f.size());
  }
  stack_.reserve(64);
}

bool JsonBlanker::sensitive_name() const {
  return !name_too_long_ && std::find(fields_.begin(), fields_.end(), last_name_) != fields_.end();
}

void JsonBlanker::end_record(bool valid) {
  if (record_begun_ && state_ != State::Invalid) {
    if (valid) {
      ++valid_records_;
    } else {
      ++invalid_records_;
    }
    if (first_record_ < 0) first_record_ = valid ? 1 : 0;
  }
  state_ = State::RecordStart;
  stack_.clear();
  skip_depth_ = -1;
  bom_ = 0;
  record_begun_ = false;
  scalar_.clear();
}

void JsonBlanker::fail() {
  if (state_ == State::Invalid) return;
  ++invalid_records_;
  if (first_record_ < 0) first_record_ = 0;
  state_ = State::Invalid;
  stack_.clear();
}

void JsonBlanker::start_value(std::size_t i, std::string_view in, std::string& out) {
  const char c = in[i];
  // A member's value (the parent is an object) whose name is sensitive: written as "[REDACTED]", its bytes
  // dropped until it ends at this same depth.
  if (skip_depth_ < 0 && !stack_.empty() && stack_.back() == '{' && sensitive_name()) {
    out.append(in.substr(copy_from_, i - copy_from_));
    out += kBlanked;
    copy_from_ = kNotCopying;
    skip_depth_ = static_cast<long>(stack_.size());
    ++fields_blanked_;
  }
  // As json_walk: a value deeper than kMaxJsonDepth makes the text invalid.
  if (stack_.size() > static_cast<std::size_t>(kMaxJsonDepth)) return fail();
  if (c == '{' || c == '[') {
    stack_.push_back(c);
    state_ = c == '{' ? State::ObjectFirstKey : State::ArrayFirst;
  } else if (c == '"') {
    in_key_ = false;
    state_ = State::String;
  } else if (c == '-' || (c >= '0' && c <= '9') || c == 't' || c == 'f' || c == 'n') {
    scalar_.assign(1, c);
    state_ = State::Scalar;
  } else {
    fail();
  }
}

// The value that started last has ended; bytes from `next` on follow it.
void JsonBlanker::value_done(std::size_t next, std::string_view, std::string&) {
  if (skip_depth_ >= 0 && static_cast<std::size_t>(skip_depth_) == stack_.size()) {
    skip_depth_ = -1;
    copy_from_ = next;
  }
  state_ = stack_.empty() ? State::Done : State::AfterValue;
}

void JsonBlanker::feed(std::string_view in, std::string& out) {
  copy_from_ = skip_depth_ >= 0 ? kNotCopying : 0;
  const std::size_t n = in.size();
  auto space = [&](char c) {
    return c == ' ' || c == '\t' || c == '\r' || (c == '\n' && framing_ == JsonFraming::Document);
  };
  // A failure inside a blanked value: the bytes from the failing one on pass through again.
  auto failed_at = [&](std::size_t i) {
    if (skip_depth_ >= 0) {
      skip_depth_ = -1;
      copy_from_ = i;
    }
  };
  std::size_t i = 0;
  while (i < n) {
    const char c = in[i];
    if (c == '\n' && framing_ == JsonFraming::Lines) {
      // A record ends at its line's end, whatever state it is in.
      if (state_ == State::Scalar) {
        if (!valid_scalar(scalar_)) {
          fail();
        } else {
          value_done(i, in, out);
        }
      }
      if (skip_depth_ >= 0) failed_at(i);
      end_record(state_ == State::Done);
      ++i;
      continue;
    }
    switch (state_) {
      case State::Invalid: {
        if (framing_ == JsonFraming::Document) {
          i = n;
          break;
        }
        const void* nl = std::memchr(in.data() + i, '\n', n - i);
        i = nl == nullptr ? n : static_cast<std::size_t>(static_cast<const char*>(nl) - in.data());
        break;
      }
      case State::RecordStart: {
        static constexpr unsigned char kBom[3] = {0xEF, 0xBB, 0xBF};
        if (!record_begun_ && bom_ < 3 && static_cast<unsigned char>(c) == kBom[bom_]) {
          ++bom_;
          ++i;
          break;
        }
        if (bom_ == 1 || bom_ == 2) {
          record_begun_ = true;
          fail();
          break;
        }
        if (space(c)) {
          ++i;
          break;
        }
        record_begun_ = true;
        start_value(i, in, out);
        ++i;
        break;
      }
      case State::Value:
      case State::ArrayFirst:
        if (space(c)) {
          ++i;
          break;
        }
        if (state_ == State::ArrayFirst && c == ']') {
          stack_.pop_back();
          value_done(i + 1, in, out);
          ++i;
          break;
        }
        start_value(i, in, out);
        if (state_ == State::Invalid) {
          failed_at(i);
          break;
        }
        ++i;
        break;
      case State::ObjectFirstKey:
      case State::ObjectKey:
        if (space(c)) {
          ++i;
        } else if (c == '"') {
          in_key_ = true;
          name_.clear();
          name_too_long_ = false;
          state_ = State::String;
          ++i;
        } else if (c == '}' && state_ == State::ObjectFirstKey) {
          stack_.pop_back();
          value_done(i + 1, in, out);
          ++i;
        } else {
          fail();
          failed_at(i);
        }
        break;
      case State::Colon:
        if (space(c)) {
          ++i;
        } else if (c == ':') {
          state_ = State::Value;
          ++i;
        } else {
          fail();
          failed_at(i);
        }
        break;
      case State::AfterValue:
        if (space(c)) {
          ++i;
        } else if (c == ',') {
          state_ = stack_.back() == '{' ? State::ObjectKey : State::Value;
          ++i;
        } else if ((c == '}' && stack_.back() == '{') || (c == ']' && stack_.back() == '[')) {
          stack_.pop_back();
          value_done(i + 1, in, out);
          ++i;
        } else {
          fail();
          failed_at(i);
        }
        break;
      case State::Done:
        if (space(c)) {
          ++i;
        } else {
          fail();
          failed_at(i);
        }
        break;
      case State::String: {
        // Plain bytes in bulk; a name keeps its first bytes, lower-cased.
        std::size_t end = i;
        while (end < n && in[end] != '"' && in[end] != '\\' && static_cast<unsigned char>(in[end]) >= 0x20) {
          ++end;
        }
        if (in_key_) {
          for (std::size_t k = i; k < end && !name_too_long_; ++k) {
            name_ += static_cast<char>(std::tolower(static_cast<unsigned char>(in[k])));
            name_too_long_ = name_.size() > longest_field_;
          }
        }
        i = end;
        if (i == n) break;
        if (in[i] == '"') {
          ++i;
          if (in_key_) {
            last_name_ = name_;
            state_ = State::Colon;
          } else {
            value_done(i, in, out);
          }
        } else if (in[i] == '\\') {
          state_ = State::Escape;
          ++i;
        } else {
          fail();  // a control character in a string
          failed_at(i);
        }
        break;
      }
      case State::Escape: {
        static constexpr std::string_view kSimple = "\"\\/bfnrt";
        static constexpr std::string_view kMeaning = "\"\\/\b\f\n\r\t";
        const std::size_t which = kSimple.find(c);
        if (c == 'u') {
          escape_digits_ = 0;
          escape_value_ = 0;
          state_ = State::UnicodeEscape;
        } else if (which != std::string_view::npos) {
          if (in_key_ && !name_too_long_) {
            name_ += kMeaning[which];
            name_too_long_ = name_.size() > longest_field_;
          }
          state_ = State::String;
        } else {
          fail();
          failed_at(i);
          break;
        }
        ++i;
        break;
      }
      case State::UnicodeEscape: {
        const int h = hex_digit_value(c);
        if (h < 0) {
          fail();
          failed_at(i);
          break;
        }
        escape_value_ = escape_value_ * 16 + static_cast<std::uint32_t>(h);
        if (++escape_digits_ == 4) {
          // Surrogates never spell a field name: they stand as U+FFFD, as in json_walk.
          const std::uint32_t cp = escape_value_ >= 0xD800 && escape_value_ < 0xE000 ? 0xFFFD : escape_value_;
          if (in_key_ && !name_too_long_) {
            std::string piece;
            append_utf8(piece, cp < 0x80 ? static_cast<char32_t>(std::tolower(static_cast<int>(cp)))
                                         : static_cast<char32_t>(cp));
            name_ += piece;
            name_too_long_ = name_.size() > longest_field_;
          }
          state_ = State::String;
        }
        ++i;
        break;
      }
      case State::Scalar:
        if (scalar_byte(c)) {
          // A long number is long runs of digits: past 64 bytes a run is kept as its first digits, which
          // valid_scalar judges the same. Anything still longer is not JSON.
          const bool collapse = scalar_.size() >= 64 && c >= '0' && c <= '9' && scalar_.back() >= '0' &&
                                scalar_.back() <= '9';
          if (scalar_.size() >= 128) {
            fail();
            failed_at(i);
            break;
          }
          if (!collapse) scalar_ += c;
          ++i;
          break;
        }
        if (!valid_scalar(scalar_)) {
          fail();
          failed_at(i);
          break;
        }
        value_done(i, in, out);  // `c` is read again in the new state
        break;
    }
  }
  if (copy_from_ != kNotCopying && skip_depth_ < 0) out.append(in.substr(copy_from_));
}

void JsonBlanker::finish() {
  if (state_ == State::Scalar) {
    if (valid_scalar(scalar_)) {
      const bool root = stack_.empty();
      state_ = root ? State::Done : State::AfterValue;
    } else {
      fail();
    }
  }
  end_record(state_ == State::Done);
}

}  // namespace keygate
