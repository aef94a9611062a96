// This file implements KeywordIndex (see keywords.hpp): a dense Aho-Corasick DFA over byte classes.
#include "rules/keywords.hpp"

#include <algorithm>
#include <cstring>
#include <deque>

#include "core/error.hpp"
#include "util/ascii.hpp"

namespace keygate {

KeywordIndex::KeywordIndex(const std::vector<std::vector<std::string>>& keywords_per_rule) {
  // Byte classes: one per distinct (lower-cased) byte used by a keyword, class 0 for every other byte.
  std::uint8_t lower_class[256] = {};
  for (const auto& keywords : keywords_per_rule) {
    for (const std::string& k : keywords) {
      for (unsigned char c : k) {
        const auto l = static_cast<unsigned char>(lower(static_cast<char>(c)));
        if (lower_class[l] == 0) lower_class[l] = static_cast<std::uint8_t>(class_count_++);
      }
    }
  }
  for (int b = 0; b < 256; ++b)
    byte_class_[b] = lower_class[static_cast<unsigned char>(lower(static_cast<char>(b)))];

  // The trie, with every missing transition pointing at state 0 for now.
  const std::uint32_t n = class_count_;
  next_.assign(n, 0);
  std::vector<std::vector<std::uint32_t>> outputs(1);
  for (std::uint32_t rule = 0; rule < keywords_per_rule.size(); ++rule) {
    for (const std::string& k : keywords_per_rule[rule]) {
      if (k.empty()) continue;
      std::uint32_t s = 0;
      longest_ = std::max<std::size_t>(longest_, k.size());
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
  // Transitions hold the target state's row offset (state * class count), so that the scan loop does no
  // multiplication, and the output flag.
  for (std::uint32_t& t : next_) {
    const bool output = !outputs[t].empty();
    t *= n;
    if (output) t |= kOutputFlag;
  }
  use_own_tables();
}

void KeywordIndex::use_own_tables() {
  next_table_ = next_.data();
  next_size_ = next_.size();
  out_begin_table_ = out_begin_.data();
  out_rules_table_ = out_rules_.data();
}

void KeywordIndex::find(std::string_view text, std::vector<unsigned char>& hits) const {
  if (next_size_ == 0) return;
  const std::uint32_t n = class_count_;
  const std::uint32_t* next = next_table_;
  const std::uint32_t* out_begin_ = out_begin_table_;
  const std::uint32_t* out_rules_ = out_rules_table_;
  std::uint32_t s = 0;
  for (unsigned char c : text) {
    s = next[(s & ~kOutputFlag) + byte_class_[c]];
    if (s & kOutputFlag) {
      const std::uint32_t state = (s & ~kOutputFlag) / n;
      for (std::uint32_t i = out_begin_[state]; i < out_begin_[state + 1]; ++i) hits[out_rules_[i]] = 1;
    }
  }
}

void KeywordIndex::find_all(std::string_view text, std::vector<Hit>& hits, const HitFilter* filter) const {
  if (next_size_ == 0) return;
  const std::uint32_t* next = next_table_;
  const std::uint32_t* out_begin_ = out_begin_table_;
  const std::uint32_t* out_rules_ = out_rules_table_;
  const std::uint8_t* cls = byte_class_;
  const std::uint32_t n = class_count_;
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t size = text.size();
  // A keyword repeated many times on one line ("AAAA…" for a rule keyed on 21 A's) would give a hit per
  // byte: 8 bytes each, 128 MB for one 16 MB chunk. The matcher gives hits on one line the same window, so
  // a hit of the same rule as the one just before, within kRepeatGap bytes and no line break, is dropped,
  // unless it opens a window and the one before does not.
  constexpr std::size_t kRepeatGap = 64;
  // Out of line: inlined, it took the registers the scan loop's states need.
  auto emit = [&](std::uint32_t s, std::size_t end, std::vector<Hit> & out) __attribute__((noinline)) {
    const std::uint32_t state = (s & ~kOutputFlag) / n;
    for (std::uint32_t i = out_begin_[state]; i < out_begin_[state + 1]; ++i) {
      const bool opens = filter == nullptr || filter->keep(out_rules_[i], text, end);
      if (!out.empty() && out.back().rule == out_rules_[i] && (out.back().opens || !opens) &&
          end - out.back().end < kRepeatGap &&
          std::memchr(p + out.back().end, '\n', end - out.back().end) == nullptr) {
        continue;
      }
      out.push_back({out_rules_[i], static_cast<std::uint32_t>(end), opens});
    }
  };
  // A scalar automaton is bound by the latency of one table load per byte. Four lanes over four parts of
  // the text give the CPU four independent chains. Each lane after the first starts longest_ - 1 bytes
  // early, in the start state, and keeps only the occurrences that end inside its own part.
  if (size < 4096) {
    std::uint32_t s = 0;
    for (std::size_t at = 0; at < size; ++at) {
      s = next[(s & ~kOutputFlag) + cls[p[at]]];
      if (s & kOutputFlag) emit(s, at + 1, hits);
    }
    return;
  }
  constexpr std::size_t kLanes = 4;
  const std::size_t part = size / kLanes;
  const std::size_t lead = longest_ > 0 ? longest_ - 1 : 0;
  std::size_t begin[kLanes], pos[kLanes], stop[kLanes];
  std::uint32_t state[kLanes] = {};
  std::vector<Hit> lane_hits[kLanes];
  for (std::size_t l = 0; l < kLanes; ++l) {
    begin[l] = l * part;
    stop[l] = l + 1 == kLanes ? size : (l + 1) * part;
    pos[l] = l == 0 ? 0 : begin[l] - std::min(lead, begin[l]);
  }
  // Run all lanes together for as long as the shortest has bytes left, then finish each alone. The four
  // states are four variables, which the compiler keeps in registers: in an array they went through
  // memory on every byte, which made each chain twice as long (git/git's history: 11% less CPU).
  std::size_t common = stop[0] - pos[0];
  for (std::size_t l = 1; l < kLanes; ++l) common = std::min(common, stop[l] - pos[l]);
  {
    const unsigned char* q0 = p + pos[0];
    const unsigned char* q1 = p + pos[1];
    const unsigned char* q2 = p + pos[2];
    const unsigned char* q3 = p + pos[3];
    std::uint32_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (std::size_t i = 0; i < common; ++i) {
      s0 = next[(s0 & ~kOutputFlag) + cls[q0[i]]];
      s1 = next[(s1 & ~kOutputFlag) + cls[q1[i]]];
      s2 = next[(s2 & ~kOutputFlag) + cls[q2[i]]];
      s3 = next[(s3 & ~kOutputFlag) + cls[q3[i]]];
      if (__builtin_expect(((s0 | s1 | s2 | s3) & kOutputFlag) != 0, 0)) {
        const std::uint32_t now[kLanes] = {s0, s1, s2, s3};
        for (std::size_t l = 0; l < kLanes; ++l) {
          if ((now[l] & kOutputFlag) && pos[l] + i + 1 > begin[l]) emit(now[l], pos[l] + i + 1, lane_hits[l]);
        }
      }
    }
    state[0] = s0;
    state[1] = s1;
    state[2] = s2;
    state[3] = s3;
  }
  for (std::size_t l = 0; l < kLanes; ++l) {
    for (std::size_t at = pos[l] + common; at < stop[l]; ++at) {
      state[l] = next[(state[l] & ~kOutputFlag) + cls[p[at]]];
      if ((state[l] & kOutputFlag) && at + 1 > begin[l]) emit(state[l], at + 1, lane_hits[l]);
    }
    hits.insert(hits.end(), lane_hits[l].begin(), lane_hits[l].end());
  }
}

namespace {

void put(std::string& out, const void* p, std::size_t n) { out.append(static_cast<const char*>(p), n); }

template <typename T>
void put_vector(std::string& out, const std::vector<T>& v) {
  const std::uint64_t n = v.size();
  put(out, &n, sizeof n);
  put(out, v.data(), n * sizeof(T));
}

class Bytes {
 public:
  explicit Bytes(std::string_view in) : in_(in) {}
  void get(void* p, std::size_t n) {
    if (in_.size() - pos_ < n) throw Error("embedded keyword index is truncated (build error)");
    std::memcpy(p, in_.data() + pos_, n);
    pos_ += n;
  }
  // The table of uint32 at the read position, in place; its length in *n. REQUIRES: 4-byte aligned.
  const std::uint32_t* view(std::size_t* n) {
    std::uint64_t count = 0;
    get(&count, sizeof count);
    if (count > (in_.size() - pos_) / sizeof(std::uint32_t)) {
      throw Error("embedded keyword index is corrupt (build error)");
    }
    const auto* table = reinterpret_cast<const std::uint32_t*>(in_.data() + pos_);
    pos_ += static_cast<std::size_t>(count) * sizeof(std::uint32_t);
    *n = static_cast<std::size_t>(count);
    return table;
  }
  template <typename T>
  void get_vector(std::vector<T>& v) {
    std::uint64_t n = 0;
    get(&n, sizeof n);
    if (n > in_.size() / sizeof(T)) throw Error("embedded keyword index is corrupt (build error)");
    v.resize(n);
    get(v.data(), n * sizeof(T));
  }

 private:
  std::string_view in_;
  std::size_t pos_ = 0;
};

}  // namespace

std::string KeywordIndex::serialize() const {
  std::string out;
  put(out, byte_class_, sizeof byte_class_);
  put(out, &class_count_, sizeof class_count_);
  const std::uint64_t longest = longest_;
  put(out, &longest, sizeof longest);
  put_vector(out, next_);
  put_vector(out, out_begin_);
  put_vector(out, out_rules_);
  return out;
}

KeywordIndex KeywordIndex::deserialize(std::string_view bytes, bool bytes_outlive_index) {
  KeywordIndex index;
  Bytes in(bytes);
  in.get(index.byte_class_, sizeof index.byte_class_);
  in.get(&index.class_count_, sizeof index.class_count_);
  std::uint64_t longest = 0;
  in.get(&longest, sizeof longest);
  index.longest_ = static_cast<std::size_t>(longest);
  if (bytes_outlive_index && reinterpret_cast<std::uintptr_t>(bytes.data()) % alignof(std::uint32_t) == 0) {
    // The header (256 + 4 + 8 bytes) and each count (8 bytes) keep every table 4-byte aligned.
    index.next_table_ = in.view(&index.next_size_);
    std::size_t ignored = 0;
    index.out_begin_table_ = in.view(&ignored);
    index.out_rules_table_ = in.view(&ignored);
    return index;
  }
  in.get_vector(index.next_);
  in.get_vector(index.out_begin_);
  in.get_vector(index.out_rules_);
  index.use_own_tables();
  return index;
}

}  // namespace keygate
