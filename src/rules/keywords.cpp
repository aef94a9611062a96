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
  // The table the scan loop reads: transitions hold the target state's row offset, so that the loop does
  // no multiplication and no masking. A state with outputs has its row at an odd offset, one without at an
  // even one (a slot of padding where needed), so that one test of the low bit of the four lanes' states
  // ORed says whether any lane has output; the slot just before an odd row holds that state's number, for
  // its outputs (out_begin_).
  std::vector<std::uint32_t> row(outputs.size());
  std::size_t size = 0;
  for (std::size_t s = 0; s < outputs.size(); ++s) {
    const bool output = !outputs[s].empty();
    if (output) {
      size += (size % 2 == 0) ? 1 : 2;  // the state's number at an even slot, then its row, odd
    } else {
      size += size % 2;
    }
    row[s] = static_cast<std::uint32_t>(size);
    size += n;
    if (size >= 0xFFFFFFFFu) throw Error("the keyword automaton is too large (too many keywords)");
  }
  std::vector<std::uint32_t> laid(size, 0);
  for (std::size_t s = 0; s < outputs.size(); ++s) {
    if (!outputs[s].empty()) laid[row[s] - 1] = static_cast<std::uint32_t>(s);
    for (std::uint32_t c = 0; c < n; ++c) laid[row[s] + c] = row[next_[s * n + c]];
  }
  next_ = std::move(laid);
  use_own_tables();
}

void KeywordIndex::use_own_tables() {
  next_table_ = next_.data();
  next_size_ = next_.size();
  out_begin_table_ = out_begin_.data();
  out_rules_table_ = out_rules_.data();
}

namespace {

// The automaton from state `s` (a row offset) over q[i, stop), until a state with output (odd) is reached:
// returns the position just past the byte that reached it, or `stop`. Out of line, so that its few values
// have the registers to themselves.
__attribute__((noinline)) std::size_t run_one(const std::uint32_t* next, const std::uint8_t* cls,
                                              const unsigned char* q, std::size_t i, std::size_t stop,
                                              std::uint32_t& s) {
  std::uint32_t st = s;
  while (i < stop) {
    st = next[std::size_t{st} + cls[q[i++]]];
    if (st & 1u) break;
  }
  s = st;
  return i;
}

// run_one for kLanes texts at once, q[l][i, stop), until one of the states has output. A scalar automaton
// is bound by the latency of its table loads, one chain per byte; more lanes give the CPU independent
// chains (eight took 5-15% less time than four over the bench corpus's tree). The states stay in
// registers: an earlier loop kept some on the stack, which put a store and a load into each chain; the
// texts' pointers may go there, their loads are off the chains.
constexpr std::size_t kLanes = 8;

__attribute__((noinline)) std::size_t run_lanes(const std::uint32_t* next, const std::uint8_t* cls,
                                                const unsigned char* const q[kLanes], std::size_t i,
                                                std::size_t stop, std::uint32_t s[kLanes]) {
  const unsigned char* q0 = q[0];
  const unsigned char* q1 = q[1];
  const unsigned char* q2 = q[2];
  const unsigned char* q3 = q[3];
  const unsigned char* q4 = q[4];
  const unsigned char* q5 = q[5];
  const unsigned char* q6 = q[6];
  const unsigned char* q7 = q[7];
  std::uint32_t s0 = s[0], s1 = s[1], s2 = s[2], s3 = s[3], s4 = s[4], s5 = s[5], s6 = s[6], s7 = s[7];
  while (i < stop) {
    s0 = next[std::size_t{s0} + cls[q0[i]]];
    s1 = next[std::size_t{s1} + cls[q1[i]]];
    s2 = next[std::size_t{s2} + cls[q2[i]]];
    s3 = next[std::size_t{s3} + cls[q3[i]]];
    s4 = next[std::size_t{s4} + cls[q4[i]]];
    s5 = next[std::size_t{s5} + cls[q5[i]]];
    s6 = next[std::size_t{s6} + cls[q6[i]]];
    s7 = next[std::size_t{s7} + cls[q7[i]]];
    ++i;
    if (__builtin_expect(((s0 | s1 | s2 | s3 | s4 | s5 | s6 | s7) & 1u) != 0, 0)) break;
  }
  s[0] = s0;
  s[1] = s1;
  s[2] = s2;
  s[3] = s3;
  s[4] = s4;
  s[5] = s5;
  s[6] = s6;
  s[7] = s7;
  return i;
}

}  // namespace

void KeywordIndex::find(std::string_view text, std::vector<unsigned char>& hits) const {
  if (next_size_ == 0) return;
  const std::uint32_t* next = next_table_;
  const auto* q = reinterpret_cast<const unsigned char*>(text.data());
  std::uint32_t s = 0;
  for (std::size_t i = 0; i < text.size();) {
    i = run_one(next, byte_class_, q, i, text.size(), s);
    if (s & 1u) {
      const std::uint32_t state = next[s - 1];
      for (std::uint32_t k = out_begin_table_[state]; k < out_begin_table_[state + 1]; ++k)
        hits[out_rules_table_[k]] = 1;
    }
  }
}

void KeywordIndex::find_all(std::string_view text, std::vector<Hit>& hits, const HitFilter* filter) const {
  if (next_size_ == 0) return;
  const std::uint32_t* next = next_table_;
  const std::uint32_t* out_begin = out_begin_table_;
  const std::uint32_t* out_rules = out_rules_table_;
  const std::uint8_t* cls = byte_class_;
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t size = text.size();
  // A keyword repeated many times on one line ("AAAA…" for a rule keyed on 21 A's) would give a hit per
  // byte: 8 bytes each, 128 MB for one 16 MB chunk. The matcher gives hits on one line the same window, so
  // a hit of the same rule as the one just before, within kRepeatGap bytes and no line break, is dropped,
  // unless it opens a window and the one before does not. `out[first, size)` are the hits of one lane.
  constexpr std::size_t kRepeatGap = 64;
  auto emit = [&](std::uint32_t s, std::size_t end, std::vector<Hit>& out, std::size_t first) {
    const std::uint32_t state = next[s - 1];
    for (std::uint32_t i = out_begin[state]; i < out_begin[state + 1]; ++i) {
      const bool opens = filter == nullptr || filter->keep(out_rules[i], text, end);
      if (out.size() > first && out.back().rule == out_rules[i] && (out.back().opens || !opens) &&
          end - out.back().end < kRepeatGap &&
          std::memchr(p + out.back().end, '\n', end - out.back().end) == nullptr) {
        continue;
      }
      out.push_back({out_rules[i], static_cast<std::uint32_t>(end), opens});
    }
  };
  if (size < 4096) {
    const std::size_t first = hits.size();
    std::uint32_t s = 0;
    for (std::size_t at = 0; at < size;) {
      at = run_one(next, cls, p, at, size, s);
      if (s & 1u) emit(s, at, hits, first);
    }
    return;
  }
  // kLanes lanes over as many parts of the text (run_lanes). Each lane after the first starts longest_ - 1
  // bytes early, in the start state, and keeps only the occurrences that end inside its own part. Lane 0
  // appends to `hits` directly, the others to buffers of the thread's, kept for its next text.
  thread_local std::vector<Hit> spare[kLanes - 1];
  std::vector<Hit>* out[kLanes];
  std::size_t first[kLanes] = {hits.size()};
  out[0] = &hits;
  for (std::size_t l = 1; l < kLanes; ++l) {
    out[l] = &spare[l - 1];
    out[l]->clear();
  }
  const std::size_t part = size / kLanes;
  const std::size_t lead = longest_ > 0 ? longest_ - 1 : 0;
  std::size_t begin[kLanes], pos[kLanes], stop[kLanes];
  std::uint32_t state[kLanes] = {};
  const unsigned char* q[kLanes];
  for (std::size_t l = 0; l < kLanes; ++l) {
    begin[l] = l * part;
    stop[l] = l + 1 == kLanes ? size : (l + 1) * part;
    pos[l] = l == 0 ? 0 : begin[l] - std::min(lead, begin[l]);
    q[l] = p + pos[l];
  }
  // All lanes together for as long as the shortest has bytes left, then each alone.
  std::size_t common = stop[0] - pos[0];
  for (std::size_t l = 1; l < kLanes; ++l) common = std::min(common, stop[l] - pos[l]);
  for (std::size_t i = 0; i < common;) {
    i = run_lanes(next, cls, q, i, common, state);
    for (std::size_t l = 0; l < kLanes; ++l) {
      if ((state[l] & 1u) && pos[l] + i > begin[l]) emit(state[l], pos[l] + i, *out[l], first[l]);
    }
  }
  for (std::size_t l = 0; l < kLanes; ++l) {
    for (std::size_t at = pos[l] + common; at < stop[l];) {
      at = run_one(next, cls, p, at, stop[l], state[l]);
      if ((state[l] & 1u) && at > begin[l]) emit(state[l], at, *out[l], first[l]);
    }
  }
  for (std::size_t l = 1; l < kLanes; ++l) {
    hits.insert(hits.end(), out[l]->begin(), out[l]->end());
    // A text with a hit every few bytes leaves large buffers: not kept beyond it.
    if (out[l]->capacity() > (std::size_t{1} << 16)) std::vector<Hit>().swap(*out[l]);
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
