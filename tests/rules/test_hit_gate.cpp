// Tests for hit_gate.cpp: which keyword occurrences can begin a match. The gate may drop an occurrence only
// where no match begins: every match RE2 finds must keep the occurrence of a keyword at its own start.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>
#include <random>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "rules/hit_gate.hpp"
#include "rules/rules.hpp"

using namespace keygate;

namespace {

// The ends of the occurrences of `keywords` (ASCII case-insensitive) in `text` that `gate` admits.
std::vector<std::size_t> admitted(const HitGate& gate, const std::string& text,
                                  const std::vector<std::string>& keywords) {
  std::vector<std::size_t> out;
  for (std::size_t end = 1; end <= text.size(); ++end) {
    for (const std::string& k : keywords) {
      if (k.size() > end) continue;
      bool same = true;
      for (std::size_t i = 0; i < k.size() && same; ++i)
        same = std::tolower(static_cast<unsigned char>(text[end - k.size() + i])) == k[i];
      if (same && gate.admits(text, end)) {
        out.push_back(end);
        break;
      }
    }
  }
  return out;
}

}  // namespace

TEST_CASE("HitGate: an occurrence counts where a string that begins a match begins with it") {
  SECTION("a start in one case: \"sk\" in \"task\" and \"Sk\" do not count, \"SK\" does") {
    const auto gate = HitGate::of("SK[0-9a-fA-F]{32}", {"sk"});
    REQUIRE(gate);
    CHECK(admitted(*gate, "task Sk SK0 desk", {"sk"}) == std::vector<std::size_t>{10});
  }
  SECTION("a word boundary: \"ey\" in \"key\" does not count, at a word's start it does") {
    const auto gate = HitGate::of(R"(\b(ey[a-zA-Z0-9]{17,}\.ey[a-zA-Z0-9_-]{17,}))", {"ey"});
    REQUIRE(gate);
    CHECK(admitted(*gate, "key they ey =ey", {"ey"}) == std::vector<std::size_t>{11, 15});
    CHECK(gate->admits("ey", 2));  // the text's start is a boundary
    // RE2's \b is ASCII: a Latin-1 letter before "ey" is a non-word byte, to RE2 and to the gate.
    std::string error;
    const auto re = compile_regex(R"(\bey)", &error);
    REQUIRE(re);
    CHECK(
        RE2::PartialMatch("\xe9"
                          "ey",
                          *re));
    CHECK(
        gate->admits("\xe9"
                     "ey",
                     3));
  }
  SECTION("keywords of several lengths; one ends inside another (\"s.\" in \"hvs.\")") {
    const auto gate = HitGate::of(R"(\b((?:hvs\.[\w-]{90,120}|s\.(?i:[a-z0-9]{24}))))", {"hvs.", "s."});
    REQUIRE(gate);
    CHECK(admitted(*gate, "os.path hvs.x s.y xhvs.", {"hvs.", "s."}) == std::vector<std::size_t>{12, 16});
  }
  SECTION("a start longer than its keyword") {
    const auto gate = HitGate::of("(?i)sk_live_[a-z0-9]{24}", {"sk_"});
    REQUIRE(gate);
    CHECK(admitted(*gate, "sk_test SK_LIVE_ sk_live_x sk_live", {"sk_"}) == std::vector<std::size_t>{11, 20});
  }
  SECTION("the core after a lazy class prefix") {
    const auto gate = HitGate::of(R"([\w.-]{0,50}?SKY=[0-9]{4})", {"sky"});
    REQUIRE(gate);
    CHECK(admitted(*gate, "xsky=1 abSKY=2 SKY", {"sky"}) == std::vector<std::size_t>{12});
  }
}

TEST_CASE("HitGate: none where it would drop what a match needs, or would drop nothing") {
  // A match may begin with "AK", which begins with no keyword: its occurrence of "sk" may be elsewhere.
  CHECK_FALSE(HitGate::of("(?:SK|AK)[0-9]{4}sk", {"sk"}));
  // Matches begin anywhere.
  CHECK_FALSE(HitGate::of(R"([a-z]+_key=\w+)", {"key"}));
  CHECK_FALSE(HitGate::of(R"(x?key=\w+)", {"key"}));
  // An optional prefix: a match may begin after it, or with it (issue #24 shapes).
  CHECK_FALSE(HitGate::of(R"((?:sk_)?live_[0-9a-z]{8})", {"live_"}));
  CHECK_FALSE(HitGate::of(R"((?i)[\w.-]{0,50}?(?:key|passw(?:or)?d)\s*=)", {"key", "passwd", "password"}));
  // The keyword after the start of every match: its occurrence is not where a match begins.
  CHECK_FALSE(HitGate::of(R"((?i)\b(?:aws|amazon)_?secret[ =:]+([a-z0-9/+]{8}))", {"secret"}));
  // Every occurrence of the keywords begins a start string: the gate would keep them all.
  CHECK_FALSE(HitGate::of(R"((?i)(?:key|token)\s*=)", {"key", "token"}));
  CHECK_FALSE(HitGate::of(R"((?i)[\w.-]{0,50}?(?:key|token)\s*=)", {"key", "token"}));
  CHECK_FALSE(HitGate::of("", {"key"}));
  CHECK_FALSE(HitGate::of("SK[0-9]{4}", {}));
}

TEST_CASE("HitGate: every match RE2 finds keeps the occurrence at its start (default rules, random texts)") {
  struct Case {
    std::string pattern;
    std::vector<std::string> keywords;
  };
  std::vector<Case> cases = {
      {"SK[0-9a-fA-F]{8}", {"sk"}},
      {R"(\b(ey[a-zA-Z0-9]{6,}\.ey[a-zA-Z0-9_-]{6,}))", {"ey"}},
      {R"(\b((?:hvs\.[\w-]{10,20}|s\.(?i:[a-z0-9]{8})))(?:[\x60'"\s;]|$))", {"hvs.", "s."}},
      {R"(\b((?:sc|ext|scauth|authress)_(?i)[a-z0-9]{5,30}\.[a-z0-9]{4,6}))",
       {"sc_", "ext_", "scauth_", "authress_"}},
      {R"((?i)[\w.-]{0,20}?(?:sk_live|rk_live)_[a-z0-9]{8})", {"sk_live", "rk_live"}},
      {R"((?:\b|_)tok_[a-f0-9]{4,})", {"tok_", "_tok"}},
      // Shapes of gitleaks' semi-generic rules (issue #24: its samples were thought lost to the gate):
      // a case-sensitive group inside (?i), flags set inside a group reaching its later branches, a (?i:)
      // group before literal bytes, and an optional part after the keyword.
      {R"((?i)[\w.-]{0,20}?(?:access|(?-i:[Aa]pi|API)|token)(?:[ \t\w.-]{0,4})[ \t]*=[ \t]*([a-z0-9]{8,}))",
       {"access", "api", "token"}},
      {R"((?:(?i)ab|cd)_[0-9]{4})", {"ab", "cd"}},
      {R"((?i:xoxb)-[0-9]{4,}(?:-[a-z]{2})?)", {"xoxb"}},
  };
  const std::size_t handmade = cases.size();
  for (const RuleSpec& rule : default_config().rules) {
    if (rule.detector.empty() && HitGate::of(rule.regex, rule.keywords))
      cases.push_back({rule.regex, rule.keywords});
  }
  std::mt19937 random(67);
  auto pick = [&](std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(random); };
  std::size_t matches = 0;
  for (const Case& c : cases) {
    INFO(c.pattern);
    const auto gate = HitGate::of(c.pattern, c.keywords);
    REQUIRE(gate);
    std::string error;
    const auto search = RegexSearch::compile(c.pattern, &error);
    const auto re = compile_regex(c.pattern, &error);  // RE2 alone: where the matches are
    REQUIRE(search);
    REQUIRE(re);
    // Pieces: the keywords and the start strings in three cases, word bytes and separators.
    std::vector<std::string> pieces = {" ", "\n", "=", ".", "_", "-", "a", "Z", "9", "'", "x"};
    std::vector<std::string> words = c.keywords;
    const auto starts = core_starts(c.pattern);
    for (const LiteralStart& l : *starts) words.push_back(l.bytes);
    for (const std::string& w : words) {
      std::string upper = w, mixed = w;
      for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      mixed[0] = upper[0];
      pieces.insert(pieces.end(), {w, upper, mixed});
    }
    const std::string alphabet = "ABCDEFabcdef0123456789_-.";
    const int rounds = &c - cases.data() < static_cast<std::ptrdiff_t>(handmade) ? 800 : 100;
    for (int round = 0; round < rounds; ++round) {
      std::string text;
      for (std::size_t n = 1 + pick(16); n > 0; --n) {
        text += pieces[pick(pieces.size())];
        if (pick(2) == 0) {
          for (std::size_t k = 4 + pick(40); k > 0; --k) text += alphabet[pick(alphabet.size())];
        }
      }
      const re2::StringPiece t(text);
      RegexMatch m;
      for (std::size_t pos = 0; pos <= text.size() && search->find(t, pos, text.size(), &m);) {
        INFO(c.pattern << " on \"" << text << "\" at " << m.core);
        re2::StringPiece whole;
        REQUIRE(re->Match(t, pos, text.size(), RE2::UNANCHORED, &whole, 1));  // RegexSearch is tested apart
        // The prefilter meets a keyword at the match's start; the gate must keep that occurrence.
        const bool at_start = std::any_of(c.keywords.begin(), c.keywords.end(), [&](const std::string& k) {
          if (m.core + k.size() > text.size()) return false;
          for (std::size_t i = 0; i < k.size(); ++i) {
            if (std::tolower(static_cast<unsigned char>(text[m.core + i])) != k[i]) return false;
          }
          return gate->admits(text, m.core + k.size());
        });
        CHECK(at_start);
        ++matches;
        pos = std::max(m.end, m.begin + 1);
      }
    }
  }
  CHECK(cases.size() > handmade + 10);  // the defaults' rules that have a gate
  CHECK(matches > 300);
}
