// This file declares the multi-literal search of `purge --check`: every form of every purged secret looked
// for in one pass over each object, however many there are (an Aho-Corasick automaton behind a sampled
// 4-byte filter, so that text holding none of them is mostly skipped, not stepped through byte by byte).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace keygate::purge {

class LiteralSearch {
 public:
  // REQUIRES: no literal is empty. Duplicates are allowed (each keeps its own index).
  explicit LiteralSearch(std::vector<std::string> literals);

  // Calls found(literal index, offset) at least once for each literal that occurs in `text` (not for every
  // occurrence: an index may come more than once, the offset is of one occurrence).
  template <typename Found>
  void search(std::string_view text, Found&& found) const {
    std::uint32_t state = 0;
    if (sample_step_ == 0) {
      run_automaton(text, 0, text.size(), state, found);
      return;
    }
    // Every occurrence of a literal (at least min_length bytes) covers a 4-byte gram starting at a
    // multiple of sample_step_; only the windows around sampled grams that some literal holds are run.
    // Overlapping windows continue one run (a restart inside an occurrence would miss it).
    std::size_t covered = 0;  // the automaton, in `state`, has run over text[.., covered)
    const std::size_t n = text.size();
    for (std::size_t i = 0; i + 4 <= n; i += sample_step_) {
      if (!gram_possible(text.data() + i)) continue;
      const std::size_t from = i + 4 >= max_length_ ? i + 4 - max_length_ : 0;
      const std::size_t to = std::min(n, i + max_length_);
      if (from > covered || covered == 0) state = 0;
      run_automaton(text, std::max(from, covered), to, state, found);
      covered = to;
    }
  }

  std::size_t size() const { return literals_.size(); }
  const std::string& literal(std::size_t i) const { return literals_[i]; }

 private:
  static constexpr unsigned kGramBits = 20;
  static std::uint32_t gram_hash(const char* p);
  bool gram_possible(const char* p) const {
    const std::uint32_t h = gram_hash(p);
    return (grams_[h >> 6] >> (h & 63)) & 1;
  }
  // Runs the automaton from `state` over text[from, to), reporting the literals that end in it.
  template <typename Found>
  void run_automaton(std::string_view text, std::size_t from, std::size_t to, std::uint32_t& state,
                     Found& found) const {
    for (std::size_t i = from; i < to; ++i) {
      state = next_[std::size_t{state} * 256 + static_cast<unsigned char>(text[i])];
      if (first_output_[state] != kNone) {
        for (std::uint32_t o = first_output_[state]; o != kNone; o = output_next_[o]) {
          found(output_literal_[o], i + 1 - literals_[output_literal_[o]].size());
        }
      }
    }
  }

  static constexpr std::uint32_t kNone = ~std::uint32_t{0};
  std::vector<std::string> literals_;
  std::vector<std::uint32_t> next_;          // the DFA: state * 256 + byte -> state
  std::vector<std::uint32_t> first_output_;  // per state: its first output, or kNone
  std::vector<std::uint32_t> output_literal_, output_next_;
  std::vector<std::uint64_t> grams_;  // a bitmap of the hashes of every 4-byte gram of every literal
  std::size_t sample_step_ = 0;       // 0: no filter (a literal shorter than 4 bytes)
  std::size_t max_length_ = 0;
};

}  // namespace keygate::purge
