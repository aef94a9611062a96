// This file implements check_regex (see rules.hpp): whether RE2 accepts a pattern, from RE2's parser alone
// (a tenth of a compilation), so that a user's rules are checked at load and compiled on first use: a scan
// meets few of them (52 of gitleaks' 222 on the benchmark corpus; compiling all took 35 ms).
#include <re2/set.h>

#include <algorithm>
#include <string_view>

#include "rules/regex_search.hpp"
#include "rules/rules.hpp"
#include "util/ascii.hpp"

namespace keygate {
namespace {

// RE2 refuses a program of more than about 700,000 instructions at compile_regex's 64 MB ("pattern too
// large"), the one refusal its parser cannot see. A pattern whose bound (below) stays under this is
// accepted by the compiler whenever the parser accepts it; any other is compiled to find out.
constexpr double kSafeProgramSize = 200000;

// An upper bound of the instructions RE2 compiles p[i, the ')' closing the group i is in) into, read from
// the pattern text (RE2 does not expose its parse tree). Generous on purpose: a class or an escape counts
// 256 (Latin-1 byte ranges and the alternations joining them), a character 4, a group's capture 4, a
// repeat {n,m} (max + 1) times its operand (RE2 expands counted repeats into copies), *, + and ? twice.
// Advances i to that ')' or the end. REQUIRES: RE2's parser accepted p.
double program_size_bound(std::string_view p, std::size_t& i) {
  double total = 16;  // the unanchored loop and the match instruction
  while (i < p.size() && p[i] != ')') {
    double atom = 4;
    if (p[i] == '|') {
      total += 4;
      ++i;
      continue;
    }
    if (p[i] == '(') {
      ++i;
      if (i < p.size() && p[i] == '?') {
        // (?flags) changes flags only; (?flags:...), (?P<name>...) and (?<name>...) hold a group.
        while (i < p.size() && p[i] != ')' && p[i] != ':' && p[i] != '>') ++i;
        if (i < p.size() && p[i] == ')') {
          ++i;
          continue;
        }
        ++i;
      }
      atom = 4 + program_size_bound(p, i);
      ++i;  // its ')'
    } else if (p[i] == '[') {
      atom = 256;
      i = std::min(p.size(), class_end(p, i));
    } else if (p[i] == '\\') {
      atom = 256;
      if (i + 1 < p.size() && p[i + 1] == 'Q') {  // \Q...\E: literal text
        const std::size_t end = p.find("\\E", i + 2);
        const std::size_t stop = end == std::string_view::npos ? p.size() : end;
        atom = 4 * static_cast<double>(stop - i);
        i = std::min(p.size(), stop + 2);
      } else {
        i += 2;
        if (i < p.size() && p[i] == '{' && (p[i - 1] == 'x' || p[i - 1] == 'p' || p[i - 1] == 'P')) {
          const std::size_t close = p.find('}', i);
          i = close == std::string_view::npos ? p.size() : close + 1;
        }
      }
    } else {
      ++i;
    }
    // Quantifiers, possibly several ("a{2}{3}"), each possibly lazy ("?" after it counts as one more).
    while (i < p.size()) {
      if (p[i] == '*' || p[i] == '+' || p[i] == '?') {
        atom = 2 * atom + 4;
        ++i;
      } else if (p[i] == '{' && i + 1 < p.size() && is_digit(p[i + 1])) {
        const std::size_t close = p.find('}', i);
        if (close == std::string_view::npos || p.find_first_not_of("0123456789,", i + 1) != close) {
          break;  // not a repeat: RE2 reads the brace as itself
        }
        double most = 0, n = 0;
        for (std::size_t k = i + 1; k < close; ++k) {
          if (p[k] == ',') {
            most = std::max(most, n + 1);  // {n,} is n copies and a loop
            n = 0;
          } else {
            n = n * 10 + (p[k] - '0');
          }
        }
        most = std::max(most, n);
        atom = (most + 1) * (atom + 4);
        i = close + 1;
      } else {
        break;
      }
    }
    total += atom;
  }
  return total;
}

}  // namespace

bool check_regex(const std::string& pattern, std::string* error) {
  RE2::Set parsed(regex_options(), RE2::UNANCHORED);
  // RE2's message for a parse error, as RE2's constructor words it (compile_regex).
  if (parsed.Add(pattern, error) < 0) return false;
  std::size_t at = 0;
  double bound = 0;
  // Unbalanced ')' cannot get past the parser; the loop is for a bound of each top-level part anyway.
  while (at < pattern.size()) {
    bound += program_size_bound(pattern, at);
    ++at;
  }
  if (bound <= kSafeProgramSize) return true;
  return compile_regex(pattern, error) != nullptr;
}

}  // namespace keygate
