// This file implements the second stage: Config -> RuleSet. Regexes are RE2 (linear time, memory-capped,
// Latin-1 so that any byte sequence is text). A RuleSet is immutable once built and shared by threads;
// a rule's regexes are compiled the first time text needs them, because the pre-commit check usually
// needs one or two of a hundred rules.
#pragma once

#include <re2/re2.h>

#include <memory>
#include <mutex>
#include <thread>
#include <string>
#include <vector>

#include "config.hpp"
#include "keywords.hpp"

namespace keygate {

struct CompiledAllowlist {
  const AllowlistSpec* spec = nullptr;
  std::vector<std::unique_ptr<const RE2>> regexes;
  std::vector<std::unique_ptr<const RE2>> paths;
};

// A rule and its lazily compiled regexes. compiled() is safe to call from many threads.
class Rule {
 public:
  // `spec` must outlive the rule (the RuleSet's Config holds it).
  explicit Rule(const RuleSpec& spec);
  const RuleSpec& spec() const { return spec_; }
  // Compiles on first call. Throws Error naming the rule's file:line if a regex is invalid.
  const Rule& compiled() const;
  // The rule's regex, null for a path-only rule. REQUIRES: compiled() was called. Each thread gets its own
  // RE2 object: threads sharing one contend on its DFA cache lock, which made two threads slower than one.
  const RE2* regex() const;
  const RE2* path() const { return path_.get(); }    // null when the rule applies to every path
  const std::vector<CompiledAllowlist>& allowlists() const { return allowlists_; }
  // True iff the regex may match across many lines (see regex_may_span_lines).
  bool spans_lines() const { return spans_lines_; }
  // True iff the rule is a catch-all (its id starts with "generic", or it is tagged "generic"): its findings
  // give way to a specific rule's at the same place.
  bool generic() const { return generic_; }

 private:
  const RuleSpec& spec_;
  std::uint64_t serial_;  // unique for the life of the process: the key of the per-thread copies
  bool spans_lines_;
  bool generic_;
  mutable std::once_flag once_;
  mutable std::thread::id owner_;  // the thread that compiled regex_ and uses it
  mutable std::unique_ptr<const RE2> regex_;
  mutable std::unique_ptr<const RE2> path_;
  mutable std::vector<CompiledAllowlist> allowlists_;
  mutable std::string compile_error_;
};

// Compiles every regex of `config` and throws one Error listing every invalid one (file:line, rule id).
// User configs go through this before use; the embedded defaults went through it at build time.
void validate_config(const Config& config);

class RuleSet {
 public:
  // Throws Error for an empty rule set. Regexes are compiled on first use (see validate_config).
  // `prebuilt`, when given, is the keyword automaton of exactly these rules, built ahead of time (the
  // embedded defaults'); it must outlive the RuleSet.
  explicit RuleSet(std::shared_ptr<const Config> config, const KeywordIndex* prebuilt = nullptr);
  explicit RuleSet(Config config) : RuleSet(std::make_shared<const Config>(std::move(config))) {}
  RuleSet(const RuleSet&) = delete;
  RuleSet& operator=(const RuleSet&) = delete;

  const Config& config() const { return *config_; }
  const std::vector<std::unique_ptr<Rule>>& rules() const { return rules_; }
  // Rules without keywords: they run on every fragment.
  const std::vector<std::size_t>& unconditional() const { return unconditional_; }
  const KeywordIndex& keywords() const { return *keywords_; }
  // The global allowlists that apply to `rule_id`, compiled on first use.
  std::vector<const CompiledAllowlist*> global_allowlists(const std::string& rule_id) const;
  const Rule* find(const std::string& id) const;
  // Compiles now every rule that does not come from the built-in defaults (those were validated at build
  // time and stay lazy), and the global allowlists. Throws one Error listing every invalid regex.
  void compile_user_rules() const;
  // How many layers of encoding the detector decodes (decode.hpp): the config's [decode] max_depth, or the
  // default; 0 turns decoding off. Set it before the RuleSet is shared.
  int max_decode_depth() const { return max_decode_depth_; }
  void set_max_decode_depth(int depth) { max_decode_depth_ = depth; }

 private:
  std::shared_ptr<const Config> config_;
  std::vector<std::unique_ptr<Rule>> rules_;
  std::vector<std::size_t> unconditional_;
  KeywordIndex own_keywords_;
  const KeywordIndex* keywords_ = &own_keywords_;
  mutable std::once_flag globals_once_;
  mutable std::vector<CompiledAllowlist> globals_;
  mutable std::string globals_error_;
  int max_decode_depth_;
};

// True iff `pattern` may match text spanning more than a few lines: some atom that can match a line break
// (\s, \n, \r, a negated class, or . under (?s)) is repeated without an upper bound (*, +, {n,}).
// A heuristic over the pattern text; it errs towards true.
bool regex_may_span_lines(std::string_view pattern);

// Compiles one pattern with keygate's RE2 options. Returns null and sets *error when RE2 rejects it.
std::unique_ptr<const RE2> compile_regex(const std::string& pattern, std::string* error);

}  // namespace keygate
