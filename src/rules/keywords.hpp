// This file implements the keyword prefilter: one pass of an Aho-Corasick automaton (ASCII
// case-insensitive) tells which rules have a keyword in a text, so that only those rules' regexes run.
// This is what keeps the cost of scanning nearly flat in the number of rules.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace keygate {

// Which keyword occurrences can begin a match, asked by find_all about each one (RuleSet: its rules' hit
// gates). The others are still reported, as occurrences that do not open a window (Hit::opens).
class HitFilter {
 public:
  virtual ~HitFilter() = default;
  // True iff the occurrence of one of rule `rule`'s keywords that ends at text[end] may begin a match.
  virtual bool keep(std::uint32_t rule, std::string_view text, std::size_t end) const = 0;
};

class KeywordIndex {
 public:
  KeywordIndex() = default;
  // keywords_per_rule[r] holds rule r's keywords, already lower-case. Rules without keywords never hit.
  explicit KeywordIndex(const std::vector<std::vector<std::string>>& keywords_per_rule);
  // Movable (the tables' buffers move with it), not copyable (the views would point into the original).
  KeywordIndex(KeywordIndex&&) = default;
  KeywordIndex& operator=(KeywordIndex&&) = default;
  KeywordIndex(const KeywordIndex&) = delete;
  KeywordIndex& operator=(const KeywordIndex&) = delete;

  struct Hit {
    std::uint32_t rule;
    std::uint32_t end;  // offset just past the keyword occurrence
    // False when the filter found that no match begins here: the occurrence does not open a window of its
    // rule, but still widens one it touches (a match longer than a window holds more of its keywords).
    bool opens = true;
  };

  // Sets hits[r] = 1 for every rule r that has a keyword in `text` (ASCII case-insensitive); leaves the
  // other entries alone. REQUIRES: hits.size() >= the number of rules given to the constructor.
  void find(std::string_view text, std::vector<unsigned char>& hits) const;

  // A byte form of the automaton, so that the build can embed the default rules' one.
  std::string serialize() const;
  // Throws Error when `bytes` are not a serialized automaton. When `bytes` outlive the index and are
  // 4-byte aligned (the embedded defaults'), the tables are used where they are, not copied: the default
  // automaton is most of a megabyte, and copying it was a tenth of the pre-commit check's time.
  static KeywordIndex deserialize(std::string_view bytes, bool bytes_outlive_index = false);

  // Appends every keyword occurrence in `text` (ASCII case-insensitive), in text order, each marked with
  // what `filter` (when given) says of it. REQUIRES: text.size() < 4 GiB.
  void find_all(std::string_view text, std::vector<Hit>& hits, const HitFilter* filter = nullptr) const;

 private:
  std::uint8_t byte_class_[256] = {};
  std::uint32_t class_count_ = 1;
  std::size_t longest_ = 0;  // the longest keyword's length
  // Row offset + class -> row offset of the next state: odd for a state with outputs, whose number is in
  // the slot just before its row (see the constructor).
  std::vector<std::uint32_t> next_;
  std::vector<std::uint32_t> out_begin_;  // state -> range in out_rules_
  std::vector<std::uint32_t> out_rules_;
  // What the searches read: the vectors above, or tables inside embedded bytes (deserialize).
  const std::uint32_t* next_table_ = nullptr;
  std::size_t next_size_ = 0;
  const std::uint32_t* out_begin_table_ = nullptr;
  const std::uint32_t* out_rules_table_ = nullptr;
  void use_own_tables();
};

}  // namespace keygate
