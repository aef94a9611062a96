// This file implements the hit gate: which occurrences of a rule's keywords can begin a match of its
// regex. The keyword prefilter (keywords.hpp) is case-insensitive and knows nothing of the regex around a
// keyword: gitleaks' twilio rule is keyed on "sk", which occurs 416,000 times in the benchmark corpus
// ("task", "desk"), while its regex `SK[0-9a-fA-F]{32}` needs an upper-case "SK"; its jwt rule is keyed on
// "ey"
// ("key", "they") and its regex begins `\b(ey`. Each occurrence cost a window and a search of it.
//
// Where every match of a rule's regex begins (its core does, see RegexMatch) with one of a few strings
// (core_starts), and each of those strings begins with one of the rule's keywords, every match has an
// occurrence of a keyword at its own start. An occurrence then opens a window only where one of those
// strings, in its case and with its word boundary, begins where the keyword does. The others only widen
// a window they touch (windows.hpp): a match longer than a window (a 20 KB JWT) holds more occurrences of
// its keyword, whose windows carried the search to its end before there was a gate.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rules/regex_search.hpp"

namespace keygate {

class HitGate {
 public:
  // The gate of a rule whose regex is `pattern`, keyed on `keywords` (lower-case), or nothing when some
  // match may not begin with a keyword (the gate would drop occurrences a match needs), or when the gate
  // would keep every occurrence anyway (`(?i)(?:key|token)...` keyed on "key" and "token").
  static std::optional<HitGate> of(std::string_view pattern, const std::vector<std::string>& keywords);

  // True iff an occurrence of one of the keywords ending at text[end] may begin a match: one of the start
  // strings begins at end - (that keyword's length), with a word boundary there if the string asks for one.
  // REQUIRES: end <= text.size().
  bool admits(std::string_view text, std::size_t end) const;

 private:
  HitGate() = default;
  std::vector<StartWord> starts_;
  std::vector<std::size_t> lengths_;  // of the keywords that begin a start string, each once
};

}  // namespace keygate
