// This file implements KeywordIndex (see keywords.hpp): a dense Aho-Corasick DFA over byte classes.
#include "keywords.hpp"

#include <algorithm>
#include <cctype>
#include <deque>

namespace keygate {

KeywordIndex::KeywordIndex(const std::vector<std::vector<std::string>>& keywords_per_rule) {
  // Byte classes: one per distinct (lower-cased) byte used by a keyword, class 0 for every other byte.
  std::uint8_t lower_class[256] = {};
  for (const auto& keywords : keywords_per_rule) {
    for (const std::string& k : keywords) {
      for (unsigned char c : k) {
        unsigned char l = static_cast<unsigned char>(std::tolower(c));
        if (lower_class[l] == 0) lower_class[l] = static_cast<std::uint8_t>(class_count_++);
      }
    }
  }
  for (int b = 0; b < 256; ++b) byte_class_[b] = lower_class[std::tolower(b)];

  // The trie, with every missing transition pointing at state 0 for now.
  const std::uint32_t n = class_count_;
  next_.assign(n, 0);
  std::vector<std::vector<std::uint32_t>> outputs(1);
  for (std::uint32_t rule = 0; rule < keywords_per_rule.size(); ++rule) {
    for (const std::string& k : keywords_per_rule[rule]) {
      if (k.empty()) continue;
      std::uint32_t s = 0;
      for (unsigned char c : k) {
        std::uint32_t& t = next_[s * n + byte_class_[c]];
        if (t == 0) {
          t = static_cast<std::uint32_t>(outputs.size());
          outputs.emplace_back();
          next_.resize(next_.size() + n, 0);
        }
        s = next_[s * n + byte_class_[c]];
      }
      outputs[s].push_back(rule);
    }
  }

  // Breadth-first: failure links become full DFA transitions, outputs are inherited from the failure state.
  std::vector<std::uint32_t> fail(outputs.size(), 0);
  std::deque<std::uint32_t> queue;
  for (std::uint32_t c = 0; c < n; ++c) {
    if (next_[c] != 0) queue.push_back(next_[c]);
  }
  while (!queue.empty()) {
    const std::uint32_t s = queue.front();
    queue.pop_front();
    const auto& inherited = outputs[fail[s]];
    outputs[s].insert(outputs[s].end(), inherited.begin(), inherited.end());
    for (std::uint32_t c = 0; c < n; ++c) {
      std::uint32_t& t = next_[s * n + c];
      if (t != 0) {
        fail[t] = next_[fail[s] * n + c];
        queue.push_back(t);
      } else {
        t = next_[fail[s] * n + c];
      }
    }
  }

  out_begin_.assign(outputs.size() + 1, 0);
  for (std::size_t s = 0; s < outputs.size(); ++s) {
    auto& o = outputs[s];
    std::sort(o.begin(), o.end());
    o.erase(std::unique(o.begin(), o.end()), o.end());
    out_begin_[s] = static_cast<std::uint32_t>(out_rules_.size());
    out_rules_.insert(out_rules_.end(), o.begin(), o.end());
  }
  out_begin_[outputs.size()] = static_cast<std::uint32_t>(out_rules_.size());
  for (std::uint32_t& t : next_) {
    if (!outputs[t].empty()) t |= kOutputFlag;
  }
}

void KeywordIndex::find(std::string_view text, std::vector<unsigned char>& hits) const {
  if (next_.empty()) return;
  const std::uint32_t n = class_count_;
  const std::uint32_t* next = next_.data();
  std::uint32_t s = 0;
  for (unsigned char c : text) {
    s = next[(s & ~kOutputFlag) * n + byte_class_[c]];
    if (s & kOutputFlag) {
      const std::uint32_t state = s & ~kOutputFlag;
      for (std::uint32_t i = out_begin_[state]; i < out_begin_[state + 1]; ++i) hits[out_rules_[i]] = 1;
    }
  }
}

}  // namespace keygate
