// This file implements HitGate (see hit_gate.hpp).
#include "rules/hit_gate.hpp"

#include <algorithm>

#include "util/ascii.hpp"

namespace keygate {
std::optional<HitGate> HitGate::of(std::string_view pattern, const std::vector<std::string>& keywords) {
  if (pattern.empty() || keywords.empty()) return std::nullopt;
  const std::optional<std::vector<LiteralStart>> starts = core_starts(pattern);
  if (!starts) return std::nullopt;
  HitGate gate;
  bool filters = false;  // some start string says more than the keyword it begins with
  for (const LiteralStart& s : *starts) {
    bool begun = false;
    for (const std::string& k : keywords) {
      if (k.empty() || k.size() > s.bytes.size()) continue;
      bool prefix = true;
      for (std::size_t i = 0; i < k.size() && prefix; ++i) prefix = lower(s.bytes[i]) == lower(k[i]);
      if (!prefix) continue;
      begun = true;
      if (std::find(gate.lengths_.begin(), gate.lengths_.end(), k.size()) == gate.lengths_.end())
        gate.lengths_.push_back(k.size());
      // More bytes, a boundary, or a letter in one case only: the keyword occurs where this cannot.
      filters = filters || s.bytes.size() > k.size() || s.word_boundary;
      for (std::size_t i = 0; i < s.bytes.size(); ++i)
        filters = filters || (!s.fold[i] && is_alpha(s.bytes[i]));
    }
    if (!begun) return std::nullopt;  // a match beginning with s may hold a keyword only elsewhere
    gate.starts_.emplace_back(s);
  }
  if (!filters) return std::nullopt;
  return gate;
}

bool HitGate::admits(std::string_view text, std::size_t end) const {
  for (const std::size_t length : lengths_) {
    if (length > end) continue;
    const std::size_t at = end - length;
    const std::uint64_t w = text_word(text, at);
    for (const StartWord& s : starts_) {
      if (s.begins(w, text.size() - at) && (!s.word_boundary || word_boundary_at(text, at))) return true;
    }
  }
  return false;
}

}  // namespace keygate
