// This file implements RegexSearch (see regex_search.hpp): the pattern's shape is read from its text, and
// every part compiled here gets the options of compile_regex (rules.hpp).
#include "rules/regex_search.hpp"

#include <algorithm>
#include <cstring>
#include <optional>
#include <string_view>

#include "rules/rules.hpp"
#include "util/ascii.hpp"

namespace keygate {
namespace {

// True iff `p` has a '|' outside every group and class: "a{0,5}?b|c" is not a run before "b|c".
bool has_top_level_alternation(std::string_view p) {
  int depth = 0;
  for (std::size_t i = 0; i < p.size();) {
    if (p[i] == '\\') {
      i += 2;
    } else if (p[i] == '[') {
      i = class_end(p, i);
      if (i == std::string_view::npos) return true;  // not a pattern this file understands
    } else {
      if (p[i] == '(') ++depth;
      if (p[i] == ')') --depth;
      if (p[i] == '|' && depth <= 0) return true;
      ++i;
    }
  }
  return false;
}

struct LazyRun {
  std::string flags;      // "(?i)" or empty
  std::string run_class;  // "[\w.-]", "\w" or "."
  std::size_t max = 0;
  std::string rest;
};

// `(?flags)C{0,m}?REST` split into its parts, or nothing when `p` has another shape.
std::optional<LazyRun> lazy_run_prefix(std::string_view p) {
  LazyRun run;
  std::size_t i = 0;
  if (p.substr(0, 2) == "(?") {
    std::size_t k = 2;
    while (k < p.size() && is_alpha(p[k])) ++k;
    if (k >= p.size() || p[k] != ')') return std::nullopt;
    // U swaps greedy and lazy: the run would take the most bytes, not the fewest.
    if (p.substr(2, k - 2).find('U') != std::string_view::npos) return std::nullopt;
    run.flags = std::string(p.substr(0, k + 1));
    i = k + 1;
  }
  const std::size_t atom = i;
  if (i < p.size() && p[i] == '[') {
    i = class_end(p, i);
    if (i == std::string_view::npos) return std::nullopt;
  } else if (i + 1 < p.size() && p[i] == '\\' &&
             std::string_view("wdsWDS").find(p[i + 1]) != std::string_view::npos) {
    i += 2;
  } else if (i < p.size() && p[i] == '.') {
    i += 1;
  } else {
    return std::nullopt;
  }
  run.run_class = std::string(p.substr(atom, i - atom));
  if (p.substr(i, 3) != "{0,") return std::nullopt;
  i += 3;
  const std::size_t digits = i;
  while (i < p.size() && i - digits < 5 && is_digit(p[i])) {
    run.max = run.max * 10 + static_cast<std::size_t>(p[i] - '0');
    ++i;
  }
  if (i == digits || p.substr(i, 2) != "}?") return std::nullopt;
  i += 2;
  const std::string_view rest = p.substr(i);
  if (rest.empty() || std::string_view("*+?{").find(rest[0]) != std::string_view::npos ||
      has_top_level_alternation(rest)) {
    return std::nullopt;
  }
  run.rest = run.flags + std::string(rest);
  return run;
}

}  // namespace

std::size_t class_end(std::string_view p, std::size_t at) {
  std::size_t i = at + 1;
  if (i < p.size() && p[i] == '^') ++i;
  if (i < p.size() && p[i] == ']') ++i;  // a leading ] is a member
  while (i < p.size()) {
    if (p[i] == '\\') {
      i += 2;
    } else if (p[i] == '[' && i + 1 < p.size() && p[i + 1] == ':') {
      const std::size_t close = p.find(":]", i + 2);
      if (close == std::string_view::npos) return std::string_view::npos;
      i = close + 2;
    } else if (p[i] == ']') {
      return i + 1;
    } else {
      ++i;
    }
  }
  return std::string_view::npos;
}

std::unique_ptr<const RegexSearch> RegexSearch::compile(const std::string& pattern, std::string* error) {
  // RE2 rejects a repeat above 1000 (kMaxRepeat); far below its program size limit (2.8 million
  // instructions at compile_regex's 64 MB), a REST under kMaxRestSize stays under it with the run added.
  constexpr std::size_t kMaxRepeat = 1000;
  constexpr int kMaxRestSize = 50000;
  std::unique_ptr<RegexSearch> search(new RegexSearch);
  if (std::optional<LazyRun> run = lazy_run_prefix(pattern); run && run->max <= kMaxRepeat) {
    std::string ignored;  // on any failure the whole pattern is compiled below, for its own message
    std::unique_ptr<const RE2> rest = compile_regex(run->rest, &ignored);
    // The class alone, with the pattern's flags ((?i) folds case), decides which bytes the run takes.
    std::unique_ptr<const RE2> run_class = compile_regex(run->flags + "(?:" + run->run_class + ")", &ignored);
    if (rest && run_class && rest->ProgramSize() < kMaxRestSize) {
      for (int b = 0; b < 256; ++b) {
        const char byte = static_cast<char>(b);
        search->in_run_[static_cast<std::size_t>(b)] = RE2::FullMatch(re2::StringPiece(&byte, 1), *run_class);
      }
      search->run_max_ = run->max;
      search->rest_ = std::move(rest);
      search->find_starts(run->rest);
      return search;
    }
  }
  search->whole_ = compile_regex(pattern, error);
  if (!search->whole_) return nullptr;
  search->find_starts(pattern);
  return search;
}

std::optional<std::vector<LiteralStart>> core_starts(std::string_view pattern) {
  const std::optional<LazyRun> run = lazy_run_prefix(pattern);
  return literal_starts(run ? std::string_view(run->rest) : pattern);
}

StartWord::StartWord(const LiteralStart& start)
    : length(start.bytes.size()), word_boundary(start.word_boundary) {
  for (std::size_t k = 0; k < start.bytes.size() && k < 8; ++k) {
    value |= std::uint64_t{static_cast<unsigned char>(start.bytes[k])} << (8 * k);
    care |= std::uint64_t{0xff} << (8 * k);
    if (start.fold[k]) fold |= std::uint64_t{0x20} << (8 * k);
  }
}

std::uint64_t text_word(std::string_view text, std::size_t at) {
  std::uint64_t w = 0;
  const std::size_t n = std::min<std::size_t>(8, text.size() - at);
  if (n == 8) {
    std::memcpy(&w, text.data() + at, 8);  // little-endian: byte k is bits 8k..8k+7
  } else {
    for (std::size_t k = 0; k < n; ++k)
      w |= std::uint64_t{static_cast<unsigned char>(text[at + k])} << (8 * k);
  }
  return w;
}

bool word_boundary_at(std::string_view text, std::size_t at) {
  auto word = [&](std::size_t i) {
    // ASCII only, as RE2's \b (util/ascii.hpp never consults the locale).
    return i < text.size() && (is_alnum(text[i]) || text[i] == '_');
  };
  return (at > 0 && word(at - 1)) != word(at);
}

void RegexSearch::find_starts(std::string_view pattern) {
  const std::optional<std::vector<LiteralStart>> starts = literal_starts(pattern);
  if (!starts) return;
  // Grouped by first byte (a folded one stands for both cases), so that a position is compared only
  // with the prefixes that begin with its byte.
  std::vector<std::vector<StartWord>> by_first(256);
  for (const LiteralStart& s : *starts) {
    const StartWord p(s);
    const auto b = static_cast<unsigned char>(s.bytes[0]);
    by_first[b].push_back(p);
    if (s.fold[0]) by_first[static_cast<unsigned char>(upper(static_cast<char>(b)))].push_back(p);
  }
  int firsts = 0;
  for (int b = 0; b < 256; ++b) {
    if (by_first[static_cast<std::size_t>(b)].empty()) continue;
    first_[static_cast<std::size_t>(b)] = static_cast<std::uint16_t>(group_end_.size() + 1);
    for (const StartWord& p : by_first[static_cast<std::size_t>(b)]) prefixes_.push_back(p);
    group_end_.push_back(prefixes_.size());
    only_first_ = ++firsts == 1 ? b : -1;
  }
  if (only_first_ >= 0) return;
  // Several first bytes (gitleaks' generic rule begins with nine words, either case): a quarter of the
  // bytes of source code may begin one. Their first two bytes, looked up in a table of pairs, rule out
  // nearly all of those without a mispredicted branch each.
  pairs_.assign(1024, 0);
  auto add = [this](unsigned char a, unsigned char b) {
    const unsigned pair = a | (unsigned{b} << 8);
    pairs_[pair >> 6] |= std::uint64_t{1} << (pair & 63);
  };
  for (const LiteralStart& s : *starts) {
    const auto a = static_cast<unsigned char>(s.bytes[0]), b = static_cast<unsigned char>(s.bytes[1]);
    for (const unsigned char x :
         {a, static_cast<unsigned char>(s.fold[0] ? upper(static_cast<char>(a)) : a)}) {
      for (const unsigned char y :
           {b, static_cast<unsigned char>(s.fold[1] ? upper(static_cast<char>(b)) : b)})
        add(x, y);
    }
  }
}

// True iff a prefix begins at text[at] and ends by `end`. REQUIRES: first_[text[at]] != 0.
bool RegexSearch::starts_at(re2::StringPiece text, std::size_t at, std::size_t end) const {
  const std::uint64_t w = text_word(std::string_view(text.data(), text.size()), at);
  const std::size_t group = first_[static_cast<unsigned char>(text[at])] - 1;
  for (std::size_t i = group == 0 ? 0 : group_end_[group - 1]; i < group_end_[group]; ++i) {
    const StartWord& p = prefixes_[i];
    if (p.begins(w, end - at)) return true;
  }
  return false;
}

bool RegexSearch::search(const RE2& re, re2::StringPiece text, std::size_t pos, std::size_t end,
                         re2::StringPiece* match) const {
  if (prefixes_.empty()) return re.Match(text, pos, end, RE2::UNANCHORED, match, 1);
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  if (!pairs_.empty()) {
    // Every prefix has two bytes or more: the last position of the range cannot begin one.
    for (std::size_t at = pos; at + 1 < end; ++at) {
      const unsigned pair = bytes[at] | (unsigned{bytes[at + 1]} << 8);
      if (((pairs_[pair >> 6] >> (pair & 63)) & 1) == 0) continue;
      if (starts_at(text, at, end) && re.Match(text, at, end, RE2::ANCHOR_START, match, 1)) return true;
    }
    return false;
  }
  for (std::size_t at = pos; at < end; ++at) {
    if (only_first_ >= 0) {  // one byte to look for: memchr skips to it
      const void* next = std::memchr(bytes + at, only_first_, end - at);
      if (next == nullptr) return false;
      at = static_cast<std::size_t>(static_cast<const unsigned char*>(next) - bytes);
    } else if (first_[bytes[at]] == 0) {
      continue;
    }
    if (starts_at(text, at, end) && re.Match(text, at, end, RE2::ANCHOR_START, match, 1)) return true;
  }
  return false;
}

int RegexSearch::groups() const {
  return rest_ ? rest_->NumberOfCapturingGroups() : whole_->NumberOfCapturingGroups();
}

bool RegexSearch::find(re2::StringPiece text, std::size_t pos, std::size_t end, RegexMatch* m) const {
  re2::StringPiece match;
  if (!rest_) {
    if (!search(*whole_, text, pos, end, &match)) return false;
    m->begin = m->core = static_cast<std::size_t>(match.data() - text.data());
    m->end = m->begin + match.size();
    return true;
  }
  if (!search(*rest_, text, pos, end, &match)) return false;
  const std::size_t core = static_cast<std::size_t>(match.data() - text.data());
  const std::size_t floor = core - std::min(run_max_, core - pos);
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  std::size_t begin = core;
  while (begin > floor && in_run_[bytes[begin - 1]]) --begin;
  m->begin = begin;
  m->core = core;
  m->end = core + match.size();
  return true;
}

bool RegexSearch::submatches(re2::StringPiece text, const RegexMatch& m, re2::StringPiece* group,
                             int n) const {
  if (n > 1) {
    // The run holds no group, and REST matches [core, end) in the whole pattern's match (see the header).
    const bool ok = rest_ ? rest_->Match(text, m.core, m.end, RE2::ANCHOR_BOTH, group, n)
                          : whole_->Match(text, m.begin, m.end, RE2::ANCHOR_BOTH, group, n);
    if (!ok) return false;
  }
  group[0] = re2::StringPiece(text.data() + m.begin, m.end - m.begin);
  return true;
}

}  // namespace keygate
