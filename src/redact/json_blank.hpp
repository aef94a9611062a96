// This file declares the streaming JSON field blanker of `keygate redact`: it sits between reading and the
// secret redactor (redact.cpp) and replaces the values of sensitive JSON members by "[REDACTED]" as bytes
// arrive, in time linear in the input and memory bounded by the nesting limit, however long a record is.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace keygate {

enum class JsonFraming {
  Lines,     // JSON Lines: each line is one record; a line that is not JSON passes through unchanged
  Document,  // one JSON value, newlines are whitespace
};

class JsonBlanker {
 public:
  // `fields`: member names (lower-case) whose values are blanked at any depth, compared case-insensitively
  // with the member's unescaped name.
  JsonBlanker(const std::vector<std::string>& fields, JsonFraming framing);

  // Appends `in` to `out`, each sensitive value replaced by "[REDACTED]" (quotes included). Every other
  // byte passes through unchanged, also after the point where a record stops being JSON (such a record
  // keeps the blanking of the values before that point). A UTF-8 byte order mark may open a record.
  void feed(std::string_view in, std::string& out);
  // The end of the input: a record left open is counted as not JSON. Call once, after the last feed.
  void finish();

  std::uint64_t fields_blanked() const { return fields_blanked_; }
  // Records (non-blank lines, or the document) that were not JSON.
  std::uint64_t invalid_records() const { return invalid_records_; }
  // Records that were JSON.
  std::uint64_t valid_records() const { return valid_records_; }
  // Whether the first non-blank record was JSON; false until it has ended.
  bool first_record_valid() const { return first_record_ == 1; }

 private:
  enum class State : std::uint8_t {
    RecordStart,     // before the root value (whitespace, a byte order mark)
    Value,           // a value is expected
    ObjectFirstKey,  // after '{': a key or '}'
    ObjectKey,       // after ',' in an object: a key
    Colon,           // after a key
    ArrayFirst,      // after '[': a value or ']'
    AfterValue,      // ',' or the container's close, or the end of the record
    String,          // inside a string (key or value)
    Escape,          // after '\' in a string
    UnicodeEscape,   // \uXXXX digits
    Scalar,          // a number or true/false/null
    Done,            // the root value is complete: only whitespace may follow
    Invalid,         // not JSON: bytes pass through until the record ends
  };

  void end_record(bool valid);
  void start_value(std::size_t i, std::string_view in, std::string& out);
  void structural(std::size_t i, std::string_view in, std::string& out);
  void close_container(std::size_t i);
  void value_done(std::size_t next);
  void end_scalar(std::size_t i);
  void add_to_name(std::string_view bytes);
  bool sensitive_name() const;
  // The record stops being JSON at in[i] (of the current feed): counted once, bytes pass from i on.
  void fail_at(std::size_t i);

  std::vector<std::string> fields_;
  std::size_t longest_field_ = 0;
  JsonFraming framing_;
  State state_ = State::RecordStart;
  std::vector<char> stack_;  // '{' or '[' per open container
  bool in_key_ = false;      // the string being read is a member name
  std::string name_;         // the member name so far (unescaped, lower-case, cut past the longest field)
  std::string last_name_;    // the name of the member whose value comes next
  bool name_too_long_ = false;
  unsigned escape_digits_ = 0;
  std::uint32_t escape_value_ = 0;
  std::string scalar_;  // the first bytes of a number or literal, to check true/false/null
  // Blanking: the stack depth at which the sensitive value started, or -1 when none. Bytes of that value
  // are dropped; "[REDACTED]" was written in their place.
  long skip_depth_ = -1;
  unsigned bom_ = 0;           // bytes of a UTF-8 byte order mark seen at the record's start
  bool record_begun_ = false;  // a non-blank byte of this record was seen
  std::uint64_t fields_blanked_ = 0;
  std::uint64_t invalid_records_ = 0;
  std::uint64_t valid_records_ = 0;
  int first_record_ = -1;      // -1 not ended yet, 0 invalid, 1 valid
  std::size_t copy_from_ = 0;  // within the current feed: bytes from here on are still to be written
};

}  // namespace keygate
