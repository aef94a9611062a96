// This file implements a small JSON reader for datasets and logs: it validates one JSON text (RFC 8259)
// and reports every value with its JSON pointer (RFC 6901) and byte span, without building a tree. The
// dataset source uses it to say where in a record a finding is; `redact` uses it to blank sensitive fields;
// --baseline reads the fingerprints of an earlier report with it.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace keygate {

// One value of a JSON text. Containers are reported after their members, so every span is complete.
struct JsonValue {
  std::string_view pointer;  // RFC 6901, e.g. "/messages/2/content"; "" for the root
  std::string_view key;      // the member name it is the value of (unescaped); empty for array items and root
  std::size_t begin = 0;     // its span in the text: [begin, end), quotes included for strings
  std::size_t end = 0;
  int depth = 0;  // 0 for the root
};

// The deepest nesting a JSON text may have; deeper texts are refused as invalid (a hostile record
// must not exhaust the stack).
inline constexpr int kMaxJsonDepth = 256;

// Where and why a text stopped being valid JSON.
struct JsonError {
  std::size_t at = 0;  // the byte offset of the first byte that cannot be there (the text's size: its end)
  const char* what =
      "";  // e.g. "expected ':'", "unterminated string", "bad \\u escape (four hex digits expected)"
};

// Walks `text`, which must hold exactly one JSON value (whitespace around it allowed), calling `visit`
// for every value (members before their container). Returns true iff the text is valid JSON; on false,
// *error (when given) says where and why it stopped being valid. Values visited before the error were real.
bool walk_json(std::string_view text, const std::function<void(const JsonValue&)>& visit,
               JsonError* error = nullptr);

// The text of the string value `v` of `text`, unescaped (UTF-8; a lone surrogate becomes U+FFFD).
// REQUIRES: `v` was visited by a walk of `text` and is a string (text[v.begin] is '"').
std::string json_string(std::string_view text, const JsonValue& v);

// The pointer of the innermost value whose span contains `offset`; "" (the root) when none is deeper.
// REQUIRES: `text` is valid JSON (see walk_json).
std::string json_pointer_at(std::string_view text, std::size_t offset);

// `name` escaped for use as one JSON pointer token ("~" -> "~0", "/" -> "~1").
std::string json_pointer_token(std::string_view name);

}  // namespace keygate
