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
constexpr unsigned char kBom[3] = {0xEF, 0xBB, 0xBF};

bool scalar_byte(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '+' || c == '-' ||
         c == '.';
}

// True iff `s` (a whole scalar token) is true, false, null or a JSON number: json_walk's judgement.
bool valid_scalar(std::string_view s) { return walk_json(s, nullptr); }

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

void JsonBlanker::fail_at(std::size_t i) {
  // A failure inside a blanked value: the bytes from the failing one on pass through again.
  if (skip_depth_ >= 0) {
    skip_depth_ = -1;
    copy_from_ = i;
  }
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
  if (stack_.size() > static_cast<std::size_t>(kMaxJsonDepth)) return fail_at(i);
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
    fail_at(i);
  }
}

// The value that started last has ended; bytes from `next` on follow it.
void JsonBlanker::value_done(std::size_t next) {
  if (skip_depth_ >= 0 && static_cast<std::size_t>(skip_depth_) == stack_.size()) {
    skip_depth_ = -1;
    copy_from_ = next;
  }
  state_ = stack_.empty() ? State::Done : State::AfterValue;
}

// A structural byte (outside strings and scalars) at in[i], whitespace already skipped.
void JsonBlanker::structural(std::size_t i, std::string_view in, std::string& out) {
  const char c = in[i];
  switch (state_) {
    case State::RecordStart:
      record_begun_ = true;
      if (bom_ == 1 || bom_ == 2) return fail_at(i);  // half a byte order mark
      return start_value(i, in, out);
    case State::ArrayFirst:
      if (c == ']') return close_container(i);
      return start_value(i, in, out);
    case State::Value:
      return start_value(i, in, out);
    case State::ObjectFirstKey:
    case State::ObjectKey:
      if (c == '}' && state_ == State::ObjectFirstKey) return close_container(i);
      if (c != '"') return fail_at(i);
      in_key_ = true;
      name_.clear();
      name_too_long_ = false;
      state_ = State::String;
      return;
    case State::Colon:
      if (c != ':') return fail_at(i);
      state_ = State::Value;
      return;
    case State::AfterValue:
      if (c == ',') {
        state_ = stack_.back() == '{' ? State::ObjectKey : State::Value;
        return;
      }
      if ((c == '}' && stack_.back() == '{') || (c == ']' && stack_.back() == '[')) return close_container(i);
      return fail_at(i);
    default:  // Done: only whitespace may follow the root value
      return fail_at(i);
  }
}

void JsonBlanker::close_container(std::size_t i) {
  stack_.pop_back();
  value_done(i + 1);
}

// Appends to name_ (lower-cased, cut past the longest field) when the string is a member name.
void JsonBlanker::add_to_name(std::string_view bytes) {
  for (std::size_t k = 0; k < bytes.size() && in_key_ && !name_too_long_; ++k) {
    name_ += static_cast<char>(std::tolower(static_cast<unsigned char>(bytes[k])));
    name_too_long_ = name_.size() > longest_field_;
  }
}

void JsonBlanker::feed(std::string_view in, std::string& out) {
  copy_from_ = skip_depth_ >= 0 ? kNotCopying : 0;
  const std::size_t n = in.size();
  for (std::size_t i = 0; i < n;) {
    const char c = in[i];
    if (c == '\n' && framing_ == JsonFraming::Lines) {
      // A record ends at its line's end, whatever state it is in; the line end itself passes through.
      if (state_ == State::Scalar) end_scalar(i);
      if (skip_depth_ >= 0) fail_at(i);
      end_record(state_ == State::Done);
      ++i;
      continue;
    }
    switch (state_) {
      case State::Invalid: {
        const void* nl =
            framing_ == JsonFraming::Document ? nullptr : std::memchr(in.data() + i, '\n', n - i);
        i = nl == nullptr ? n : static_cast<std::size_t>(static_cast<const char*>(nl) - in.data());
        break;
      }
      case State::String: {
        // Plain bytes in bulk.
        std::size_t end = i;
        while (end < n && in[end] != '"' && in[end] != '\\' && static_cast<unsigned char>(in[end]) >= 0x20)
          ++end;
        add_to_name(in.substr(i, end - i));
        i = end;
        if (i == n) break;
        if (in[i] == '\\') {
          state_ = State::Escape;
        } else if (in[i] != '"') {
          fail_at(i);  // a control character in a string
          break;
        } else if (in_key_) {
          last_name_ = name_;
          state_ = State::Colon;
        } else {
          value_done(i + 1);
        }
        ++i;
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
          add_to_name(kMeaning.substr(which, 1));
          state_ = State::String;
        } else {
          fail_at(i);
          break;
        }
        ++i;
        break;
      }
      case State::UnicodeEscape: {
        const int h = hex_digit_value(c);
        if (h < 0) {
          fail_at(i);
          break;
        }
        escape_value_ = escape_value_ * 16 + static_cast<std::uint32_t>(h);
        if (++escape_digits_ == 4) {
          // Surrogates never spell a field name: they stand as U+FFFD, as in json_walk.
          const std::uint32_t cp = escape_value_ >= 0xD800 && escape_value_ < 0xE000 ? 0xFFFD : escape_value_;
          std::string piece;
          append_utf8(piece, cp);
          add_to_name(piece);
          state_ = State::String;
        }
        ++i;
        break;
      }
      case State::Scalar:
        if (!scalar_byte(c)) {
          end_scalar(i);  // `c` is read again in the new state
          break;
        }
        // A long number is long runs of digits: past 64 bytes a run is kept as its first digits, which
        // valid_scalar judges the same. Anything still longer is not JSON.
        if (scalar_.size() >= 128) {
          fail_at(i);
          break;
        }
        if (scalar_.size() < 64 || c < '0' || c > '9' || scalar_.back() < '0' || scalar_.back() > '9') {
          scalar_ += c;
        }
        ++i;
        break;
      default:
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
          ++i;
          break;
        }
        if (state_ == State::RecordStart && !record_begun_ && bom_ < 3 &&
            static_cast<unsigned char>(c) == kBom[bom_]) {
          ++bom_;
          ++i;
          break;
        }
        structural(i, in, out);
        if (state_ != State::Invalid) ++i;
        break;
    }
  }
  if (copy_from_ != kNotCopying && skip_depth_ < 0) out.append(in.substr(copy_from_));
}

void JsonBlanker::end_scalar(std::size_t i) {
  if (valid_scalar(scalar_)) {
    value_done(i);
  } else {
    fail_at(i);
  }
}

void JsonBlanker::finish() {
  if (state_ == State::Scalar) end_scalar(0);
  end_record(state_ == State::Done);
}

}  // namespace keygate
