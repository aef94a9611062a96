// Tests for regex_search.cpp: the split search finds exactly the matches and groups RE2 finds for the
// whole pattern, over texts made to hold many near-matches.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>
#include <random>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "rules/regex_search.hpp"
#include "rules/rules.hpp"

using namespace keygate;

namespace {

struct Step {
  std::size_t begin, end;
  std::vector<std::string> groups;
  bool operator==(const Step& o) const { return begin == o.begin && end == o.end && groups == o.groups; }
};

// The matcher's loop (scan_rule): each match, then resume one past its start or at its end.
std::vector<Step> all_matches(const RegexSearch& search, const std::string& s, std::size_t from,
                              std::size_t to) {
  std::vector<Step> out;
  const re2::StringPiece text(s);
  const int n = search.groups() + 1;
  std::vector<re2::StringPiece> group(static_cast<std::size_t>(n));
  RegexMatch at;
  for (std::size_t pos = from; pos <= to && search.find(text, pos, to, &at);) {
    REQUIRE(search.submatches(text, at, group.data(), n));
    Step step{at.begin, at.end, {}};
    for (const auto& g : group) step.groups.push_back(g.data() ? std::string(g.data(), g.size()) : "<none>");
    out.push_back(step);
    pos = std::max(at.end, at.begin + 1);
  }
  return out;
}

// What RE2 alone (`re`) finds over text[from, to), as the matcher's loop walks it.
std::vector<Step> re2_matches(const RE2& re, const std::string& s, std::size_t from, std::size_t to) {
  std::vector<Step> out;
  const re2::StringPiece text(s);
  const int n = re.NumberOfCapturingGroups() + 1;
  std::vector<re2::StringPiece> group(static_cast<std::size_t>(n));
  for (std::size_t pos = from; pos <= to && re.Match(text, pos, to, RE2::UNANCHORED, group.data(), n);) {
    const auto begin = static_cast<std::size_t>(group[0].data() - s.data());
    Step step{begin, begin + group[0].size(), {}};
    for (const auto& g : group) step.groups.push_back(g.data() ? std::string(g.data(), g.size()) : "<none>");
    out.push_back(step);
    pos = std::max(step.end, step.begin + 1);
  }
  return out;
}

std::unique_ptr<const RegexSearch> searcher(const std::string& pattern) {
  std::string error;
  auto search = RegexSearch::compile(pattern, &error);
  REQUIRE(search);
  return search;
}

}  // namespace

TEST_CASE("RegexSearch: the lazy-run split finds what the whole pattern finds") {
  const std::vector<std::string> patterns = {
      R"((?i)[\w.-]{0,50}?(?:access|key|token)(?:[ \t\w.-]{0,20})[\s'"]{0,3}(?:=|:)[\x60'"\s=]{0,5}([\w.=-]{4,20}|[a-z0-9][a-z0-9+/]{5,}={0,3})(?:[\x60'"\s;]|$))",
      R"([\w.-]{0,4}?(?:ab|b)(c*)\b)",
      R"((?i)[a-c]{0,3}?(?-i:B)([a-c]+))",
      R"(\w{0,6}?(?:^|x)(y?))",
      R"((?s).{0,5}?(?i:key)(.)\b)",
  };
  std::mt19937 random(16);
  // Pieces of near-matches: names, operators, quotes, values, line breaks.
  const std::vector<std::string> pieces = {
      "a", "b",  "c",  "x", "y",  "B", "key", "KEY", "Key",    "token",  "access", "=", ":",
      " ", "\t", "\n", "'", "\"", ".", "-",   "_",   "abc123", "Zq9+/w", "==",     ";", "my.app-"};
  for (const std::string& pattern : patterns) {
    const auto split = searcher(pattern);
    REQUIRE(split->whole() == nullptr);
    REQUIRE(searcher("(?:" + pattern + ")")->whole() != nullptr);  // a group: not split
    std::string error;
    const auto whole = compile_regex(pattern, &error);  // RE2 alone: the reference
    REQUIRE(whole);
    std::size_t matches = 0;  // the texts must hold matches, or the comparison proves nothing
    for (int round = 0; round < 500; ++round) {
      std::string text;
      for (std::size_t n = std::uniform_int_distribution<std::size_t>(0, 40)(random); n > 0; --n) {
        text += pieces[std::uniform_int_distribution<std::size_t>(0, pieces.size() - 1)(random)];
      }
      const std::size_t from = std::uniform_int_distribution<std::size_t>(0, text.size() / 3)(random);
      const std::size_t to =
          text.size() - std::uniform_int_distribution<std::size_t>(0, text.size() / 3)(random);
      INFO(pattern << " on \"" << text << "\" [" << from << ", " << to << ")");
      const std::vector<Step> expected = re2_matches(*whole, text, from, to);
      CHECK(all_matches(*split, text, from, to) == expected);
      matches += expected.size();
    }
    CHECK(matches > 30);
  }
}

TEST_CASE("RegexSearch: other shapes are searched whole") {
  for (const std::string pattern : {R"([a-z]{0,5}?x|y)", R"((?U)[a-z]{0,5}?x)", R"([a-z]{1,5}?x)",
                                    R"([a-z]{0,5}x)", R"(x[a-z]{0,5}?y)", R"(abc)"}) {
    CHECK(searcher(pattern)->whole() != nullptr);
  }
}

TEST_CASE("RegexSearch: an invalid pattern gets RE2's message for the whole pattern") {
  for (const std::string pattern : {R"((?i)[a-z]{0,5}?(x)", R"([a-z{0,5}?x)", R"([a-z]{0,1001}?x)",
                                    R"((?z)[a-z]{0,5}?x)", R"([z-a]{0,5}?x)"}) {
    std::string from_search, from_re2;
    CHECK(RegexSearch::compile(pattern, &from_search) == nullptr);
    CHECK(compile_regex(pattern, &from_re2) == nullptr);
    CHECK(from_search == from_re2);
  }
}

namespace {

std::string starts_of(const std::string& pattern) {
  const auto starts = literal_starts(pattern);
  if (!starts) return "none";
  std::vector<std::string> names;
  for (const LiteralStart& l : *starts) {
    std::string name = l.word_boundary ? "\\b" : "";
    for (std::size_t k = 0; k < l.bytes.size(); ++k)
      name += l.fold[k] ? "~" + l.bytes.substr(k, 1) : l.bytes.substr(k, 1);
    names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : " ") + n;
  return out;
}

}  // namespace

TEST_CASE("literal_starts: the strings every match begins with, read from the pattern") {
  CHECK(starts_of(R"((?i)(?:key|secret)\s*=)") == "~k~e~y ~s~e~c~r~e~t");
  CHECK(starts_of(R"(\b(ey[a-z]{17,}))") == "\\bey");
  CHECK(starts_of(R"(SK[0-9a-fA-F]{32})") == "SK");
  CHECK(starts_of(R"([Aa]pi_)") == "Api_ api_");
  CHECK(starts_of(R"((?i)a(?-i:b)c)") == "~ab~c");
  // A flag set inside a group holds for its later branches too.
  CHECK(starts_of(R"((?:ab(?i)c|de))") == "ab~c ~d~e");
  CHECK(starts_of(R"((?:ab[0-9]+(?i)x|de))") == "ab ~d~e");  // read past, (?i) still counts
  CHECK(starts_of(R"(ab+c)") == "ab");
  CHECK(starts_of(R"(ab{2,3}c)") == "ab");
  CHECK(starts_of(R"(^\bxy(?:z|w)?)") == "\\bxy");
  // \b before a string's first byte marks it; only in the branch that asserts it.
  CHECK(starts_of(R"((?:\b|x)ey)") == "\\bey xey");
  CHECK(starts_of(R"(\b(?:ab|\bcd))") == "\\bab \\bcd");
  CHECK(starts_of(R"((?:ab|\bcd))") == "\\bcd ab");
  CHECK(starts_of(R"(a\bbc)") == "abc");
  CHECK(starts_of(R"(\Bab)") == "ab");
  CHECK(starts_of(R"(tok(?:en|)_)") == "tok_ token_");
  CHECK(starts_of(R"(\x41\.b)") == "A.b");
  CHECK(starts_of(R"(abcdefghijklmnopqrs)") == "abcdefghijklmnop");  // at most 16 bytes
  CHECK(starts_of(R"((?:sc|scauth|authress)_x)") == "authress_x sc_x scauth_x");
  CHECK(starts_of(R"((?:sc|scauth|authress_123456)_xy)") == "authress_123456_ sc_x scauth_x");
  // Nothing where a match may begin otherwise, or where the pattern is not read.
  for (const std::string pattern : {R"([\w.-]{0,40}key)", R"(x?yz)", R"(a|bc)", R"(.key)", R"(\pLkey)",
                                    R"(\Qkey\E)", R"(k{,2}ey)", R"((?i)[a-c]xy)", R"(é1)", R"(\x{41}b)"}) {
    INFO(pattern);
    CHECK(starts_of(pattern) == "none");
  }
}

TEST_CASE("RegexSearch: anchored where a match can begin, it finds what RE2 finds unanchored") {
  std::vector<std::string> patterns = {
      R"((?i)[\w.-]{0,50}?(?:access|auth|(?-i:[Aa]pi|API)|key|passw(?:or)?d|token)(?:[ \t\w.-]{0,20})[\s'"]{0,3}(?:=|>|:{1,3}=|\|\||:|=>|\?=|,)[\x60'"\s=]{0,5}([\w.=-]{6,40}|[a-z0-9][a-z0-9+/]{7,}={0,3})(?:[\x60'"\s;]|\\[nr]|$))",
      R"(\b(ey[a-zA-Z0-9]{6,}\.ey[a-zA-Z0-9_-]{6,}\.(?:[a-zA-Z0-9_-]{4,}={0,2})?)(?:[\x60'"\s;]|$))",
      R"(SK[0-9a-fA-F]{8})",
      R"(\b((?:hvs\.[\w-]{10,20}|s\.(?i:[a-z0-9]{8})))(?:[\x60'"\s;]|$))",
      R"((?:ab(?i)c|de)[0-9]+\b)",
      R"(^key=(\w+)$)",
      R"((?m)^key=(\w+)$)",
      R"((?i)tok(?:en|)_[a-f0-9]{4,})",
  };
  for (const RuleSpec& rule : default_config().rules) {
    if (!rule.regex.empty() && literal_starts(rule.regex)) patterns.push_back(rule.regex);
  }
  std::mt19937 random(61);
  const std::size_t handmade = patterns.size();
  std::size_t matches = 0, anchored = 0;
  std::vector<const std::string*> matched{nullptr};
  for (const std::string& pattern : patterns) {
    const auto search = searcher(pattern);
    std::string error;
    const auto re = compile_regex(pattern, &error);  // RE2 alone: the reference
    REQUIRE(re);
    const auto starts = literal_starts(pattern);
    if (starts) ++anchored;
    // Pieces: each start in its case, upper-cased and lower-cased, and runs of the classes rules use.
    std::vector<std::string> pieces = {"=", ":", " ", "\n", "'", "\"", ".", "-", "_", "==", ";", "\\n", "ey"};
    if (starts) {
      for (const LiteralStart& l : *starts) {
        std::string upper = l.bytes, mixed = l.bytes;
        for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        mixed[0] = upper[0];
        pieces.insert(pieces.end(), {l.bytes, upper, mixed});
      }
    }
    const std::string alphabets[] = {
        "0123456789abcdef", "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", "abcdefghijklmnopqrstuvwxyz0123456789_-",
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "ABCDEFabcdef0123456789+/"};
    // Most rules want a run of one alphabet, of a set length, right after their prefix.
    const std::size_t lengths[] = {4, 8, 10, 16, 20, 24, 32, 36, 40, 43, 48, 59, 64, 70, 86};
    auto pick = [&](std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(random); };
    const int rounds = &pattern - patterns.data() < static_cast<std::ptrdiff_t>(handmade) ? 300 : 20;
    for (int round = 0; round < rounds; ++round) {
      std::string text;
      for (std::size_t n = 1 + pick(20); n > 0; --n) {
        text += pieces[pick(pieces.size())];
        if (pick(2) == 0) {
          const std::string& alphabet = alphabets[pick(5)];
          for (std::size_t k = lengths[pick(15)] + pick(3); k > 0; --k)
            text += alphabet[pick(alphabet.size())];
        }
      }
      const std::size_t from = std::uniform_int_distribution<std::size_t>(0, text.size() / 3)(random);
      const std::size_t to =
          text.size() - std::uniform_int_distribution<std::size_t>(0, text.size() / 3)(random);
      INFO(pattern << " on \"" << text << "\" [" << from << ", " << to << ")");
      const std::vector<Step> expected = re2_matches(*re, text, from, to);
      REQUIRE(all_matches(*search, text, from, to) == expected);
      matches += expected.size();
      if (!expected.empty() && matched.back() != &pattern) matched.push_back(&pattern);
    }
  }
  // Most default rules begin with their prefix. The texts must hold matches of many patterns, or the
  // comparison proves little (random texts rarely meet the default rules' own shapes).
  CHECK(anchored > 100);
  CHECK(matches > 200);
  CHECK(matched.size() > 12);
}
