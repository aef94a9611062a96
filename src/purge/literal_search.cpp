// This file implements the multi-literal search of `purge --check` (see literal_search.hpp): the automaton
// is built as a full DFA (256 transitions a state), which is small for the few dozen literals a purge
// holds and makes each byte one table lookup.
#include "purge/literal_search.hpp"

#include <algorithm>
#include <cstring>
#include <deque>

namespace keygate::purge {

std::uint32_t LiteralSearch::gram_hash(const char* p) {
  std::uint32_t v;
  std::memcpy(&v, p, 4);
  return (v * 2654435761u) >> (32 - kGramBits);
}

LiteralSearch::LiteralSearch(std::vector<std::string> literals) : literals_(std::move(literals)) {
  // The trie, as a DFA under construction (0 = no edge yet, state 0 is the root).
  next_.assign(256, 0);
  std::vector<std::uint32_t> last_output;  // per state, the tail of its own output list
  first_output_.assign(1, kNone);
  last_output.assign(1, kNone);
  std::size_t min_length = ~std::size_t{0};
  for (std::uint32_t k = 0; k < literals_.size(); ++k) {
    const std::string& literal = literals_[k];
    min_length = std::min(min_length, literal.size());
    max_length_ = std::max(max_length_, literal.size());
    std::uint32_t state = 0;
    for (const char c : literal) {
      std::uint32_t& edge = next_[std::size_t{state} * 256 + static_cast<unsigned char>(c)];
      if (edge == 0) {
        edge = static_cast<std::uint32_t>(first_output_.size());
        first_output_.push_back(kNone);
        last_output.push_back(kNone);
        next_.resize(next_.size() + 256, 0);
      }
      state = next_[std::size_t{state} * 256 + static_cast<unsigned char>(c)];
    }
    output_literal_.push_back(k);
    output_next_.push_back(first_output_[state]);
    first_output_[state] = static_cast<std::uint32_t>(output_literal_.size() - 1);
  }
  // Failure links in breadth-first order; a state's outputs are followed by its failure state's (shared
  // list tails), and missing edges become the failure state's edges.
  std::vector<std::uint32_t> fail(first_output_.size(), 0);
  std::deque<std::uint32_t> queue;
  for (int c = 0; c < 256; ++c) {
    if (const std::uint32_t s = next_[c]; s != 0) queue.push_back(s);
  }
  while (!queue.empty()) {
    const std::uint32_t state = queue.front();
    queue.pop_front();
    // Append the failure state's outputs to this state's list.
    const std::uint32_t inherited = first_output_[fail[state]];
    if (first_output_[state] == kNone) {
      first_output_[state] = inherited;
    } else {
      std::uint32_t o = first_output_[state];
      while (output_next_[o] != kNone && output_next_[o] != inherited) o = output_next_[o];
      output_next_[o] = inherited;
    }
    for (int c = 0; c < 256; ++c) {
      std::uint32_t& edge = next_[std::size_t{state} * 256 + c];
      const std::uint32_t via_fail = next_[std::size_t{fail[state]} * 256 + c];
      if (edge != 0) {
        fail[edge] = via_fail;
        queue.push_back(edge);
      } else {
        edge = via_fail;
      }
    }
  }
  if (literals_.empty() || min_length < 4) return;  // sample_step_ 0: the automaton runs over everything
  grams_.assign((std::size_t{1} << kGramBits) / 64, 0);
  for (const std::string& literal : literals_) {
    for (std::size_t i = 0; i + 4 <= literal.size(); ++i) {
      const std::uint32_t h = gram_hash(literal.data() + i);
      grams_[h >> 6] |= std::uint64_t{1} << (h & 63);
    }
  }
  sample_step_ = min_length - 3;
}

}  // namespace keygate::purge
