// This file implements how the detector searches one rule's regex (matcher.cpp, scan_rule): the matches
// RE2 finds for the rule's whole pattern, found faster for a shape that makes RE2's DFA slow. It sits
// between the RuleSet (rules.hpp, which keeps one RegexSearch per rule and thread) and RE2.
#pragma once

#include <re2/re2.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace keygate {

// A string that every match of a pattern begins with: the text's byte k must equal bytes[k], or with
// fold[k] set (bytes[k] is then a lower-case ASCII letter) equal it in either case.
// word_boundary: the pattern asserts \b just before it (`\b(ey`), so a match that begins with it by this
// branch of the pattern begins at a word boundary.
struct LiteralStart {
  std::string bytes;
  std::vector<bool> fold;
  bool word_boundary = false;
};

// A LiteralStart's first 8 bytes as one 64-bit comparison: the text's 8 bytes w at a position (text_word)
// may begin it iff ((w | fold) & care) == value and its `length` bytes fit before the text's end (a
// longer string's later bytes are not compared).
struct StartWord {
  explicit StartWord(const LiteralStart& start);
  // True iff text bytes `w` (text_word) with `room` bytes to the end may begin the string.
  bool begins(std::uint64_t w, std::size_t room) const {
    return ((w | fold) & care) == value && length <= room;
  }
  std::uint64_t value = 0, fold = 0, care = 0;
  std::size_t length = 0;
  bool word_boundary = false;
};

// text[at, at + 8) as a little-endian word, zero bytes past the text's end. REQUIRES: at < text.size().
std::uint64_t text_word(std::string_view text, std::size_t at);

// True iff RE2's \b holds at text[at] (ASCII word bytes; outside the text counts as a non-word byte).
bool word_boundary_at(std::string_view text, std::size_t at);

// The strings one of which begins every match of `pattern` (RE2 syntax, Latin-1: an ASCII letter folds
// only to its other case), each of 2 to 16 bytes, at most 64; or nothing when the pattern's text does not
// show such strings or is not read (regex_starts.cpp). `(?i)(?:key|secret)\s*=` gives "key" and
// "secret", folded; `\b(ey[a-z]{17,})` gives "ey"; `[\w.-]{0,40}key` nothing.
std::optional<std::vector<LiteralStart>> literal_starts(std::string_view pattern);

// literal_starts of the part of `pattern` where RegexMatch::core is: the part after a lazy class prefix
// (see RegexSearch) when it has one, else the whole pattern. Every match's core begins with one of them.
std::optional<std::vector<LiteralStart>> core_starts(std::string_view pattern);

// One match of a rule's pattern: text[begin, end). `core` is where the pattern's part after a lazy class
// prefix matched (== begin when the pattern has none).
struct RegexMatch {
  std::size_t begin = 0, end = 0, core = 0;
};

// Searches a pattern exactly as RE2 searches it (leftmost-first, the text outside the searched range
// still context for ^, $ and \b). Not thread-safe: each thread uses its own (Rule::search).
//
// The shape: `(?flags)C{0,m}?REST`, a lazy run of one class before the rest, as in every gitleaks rule
// made by its "semi-generic" template (`(?i)[\w.-]{0,50}?(?:keyword)...`). RE2's DFA tracks every count
// of the run at once, which made generic-api-key run at 30 MB/s; REST alone runs 2.5 times faster. A
// match of the whole pattern is REST's leftmost match, at r, extended back over the bytes of C before r
// (at most m, not before the search's start): the lazy run takes the fewest bytes that reach a match of
// REST, and no match of REST starts before r, so no match of the whole starts earlier or ends elsewhere.
//
// Where every match begins with one of a few strings (literal_starts: the gitleaks rules whose keyword
// starts their regex, `SK[0-9a-fA-F]{32}`, `\b(ey...`), the pattern is tried anchored only where one of
// them occurs, from the left: the first position with a match is where the leftmost match starts, and the
// match RE2 prefers there is the same, anchored or not. An unanchored search runs RE2's DFA over every
// byte of the range and builds its states as it goes; on gitleaks' config that was most of the cost of
// its rules.
class RegexSearch {
 public:
  // Compiles `pattern` (with compile_regex's options) for searching. Returns null and sets *error, RE2's
  // message for the whole pattern, iff RE2 rejects the pattern. A split pattern compiles REST and its
  // class, never the whole: the whole is valid iff they are and m <= 1000, RE2's repeat limit (its size
  // limit is far above any REST this accepts).
  static std::unique_ptr<const RegexSearch> compile(const std::string& pattern, std::string* error);
  RegexSearch(const RegexSearch&) = delete;
  RegexSearch& operator=(const RegexSearch&) = delete;

  // The number of capturing groups of the pattern.
  int groups() const;
  // Returns true iff the pattern matches in text[pos, end); *m is then the leftmost-first match.
  bool find(re2::StringPiece text, std::size_t pos, std::size_t end, RegexMatch* m) const;
  // Fills group[0, n) with the submatches of `m` (group[0] the whole match), as RE2 would for the whole
  // pattern anchored at both ends of `m`. Returns false iff RE2 does (it never should).
  bool submatches(re2::StringPiece text, const RegexMatch& m, re2::StringPiece* group, int n) const;

  // The whole pattern compiled, or null when the search is split (see the class comment).
  const RE2* whole() const { return whole_.get(); }

 private:
  RegexSearch() = default;
  std::unique_ptr<const RE2> whole_;  // null iff split
  std::unique_ptr<const RE2> rest_;   // REST, with the pattern's flags, when split
  std::array<bool, 256> in_run_{};    // the bytes C matches
  std::size_t run_max_ = 0;           // m
  // literal_starts of the searched pattern (whole or REST) as StartWords. Grouped by first byte: those
  // beginning with byte b are prefixes_[first_[b] - 1 ...] up to the next group; first_[b] == 0: none.
  std::vector<StartWord> prefixes_;  // empty: search unanchored
  std::vector<std::size_t> group_end_;
  std::array<std::uint16_t, 256> first_{};
  int only_first_ = -1;  // the one byte every prefix begins with (exactly), or -1
  std::vector<std::uint64_t>
      pairs_;  // bit a + 256 b: some prefix begins with bytes a, b (when only_first_ < 0)
  void find_starts(std::string_view pattern);
  bool starts_at(re2::StringPiece text, std::size_t at, std::size_t end) const;
  // The leftmost-first match of `re` in text[pos, end), tried anchored only where prefixes_ begin.
  bool search(const RE2& re, re2::StringPiece text, std::size_t pos, std::size_t end,
              re2::StringPiece* match) const;
};

// The offset just past the character class that starts at pattern[at] ('['), or npos when it does not
// end; escapes and [:posix:] classes inside it are skipped whole. For readers of pattern text.
std::size_t class_end(std::string_view pattern, std::size_t at);

}  // namespace keygate
