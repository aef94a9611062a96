// This file implements the keyword gate of the generic detector (detector_hit_opens, see generic.hpp),
// which the keyword prefilter asks about each occurrence of a detector rule's keywords (RuleSet::keep).
// It is in the rules library, with the prefilter, not in the detector's.
#include <algorithm>

#include "detect/generic.hpp"
#include "util/ascii.hpp"

namespace keygate {

namespace {

// True iff text[p...] is `operator value` as detector_hit_opens describes it.
bool literal_assigned_at(std::string_view text, std::size_t p) {
  const std::size_t limit = std::min(text.size(), p + 64);
  auto at = [&](std::size_t i) { return i < limit ? text[i] : '\n'; };
  if (is_alnum(at(p)) || at(p) == '_') return false;  // the name goes on: keyStore, key_id, keys
  if (at(p) == '(') {                                 // a setter: SetKey("...")
    if (at(p + 1) != '"' && at(p + 1) != '\'') return false;
    p += 2;
  } else {
    for (int i = 0; i < 3 && (at(p) == '"' || at(p) == '\'' || at(p) == ']' || at(p) == '\\'); ++i) ++p;
    while (at(p) == ' ' || at(p) == '\t') ++p;
    const char op = at(p);
    if (op != '=' && op != ':') return false;
    ++p;
    if (at(p) == op) return false;                                        // ==, ::
    if ((op == '=' && at(p) == '>') || (op == ':' && at(p) == '=')) ++p;  // =>, :=
    while (at(p) == ' ' || at(p) == '\t') ++p;
    // An opening quote, possibly escaped (\"), or a byte-string or Objective-C prefix (b"", @"").
    if (at(p) == '\\' || at(p) == 'b' || at(p) == '@') {
      if (at(p + 1) == '"' || at(p + 1) == '\'') ++p;
    }
    if (at(p) == '"' || at(p) == '\'' || at(p) == '`') ++p;
    // Go's []byte("...").
    if (text.substr(p, 8) == "[]byte(\"") p += 8;
  }
  std::size_t n = 0;
  for (; n < 8; ++n) {
    const char c = at(p + n);
    if (!(is_alnum(c) || c == '+' || c == '/' || c == '=' || c == '_' || c == '-' || c == '.' || c == '!' ||
          c == '@' || c == '#' || c == '$' || c == '%' || c == '*' || c == '&' || c == '^' || c == '~'))
      break;
  }
  return n == 8;
}

}  // namespace

bool detector_hit_opens(std::string_view text, std::size_t end) {
  // Back over the operator a keyword such as `key=`, `key :`, `key("` ends with, to the name's end.
  std::size_t name_end = end;
  while (name_end > 0 && end - name_end < 3) {
    const char c = text[name_end - 1];
    if (c != '=' && c != ':' && c != '"' && c != '\'' && c != '(' && c != '\\' && c != ' ') break;
    --name_end;
  }
  if (name_end == end || !ends_with_lowered(text.substr(0, name_end), "key")) return true;
  return literal_assigned_at(text, name_end);
}

}  // namespace keygate
