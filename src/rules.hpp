// This file implements the second stage: Config -> RuleSet. Regexes are RE2 (linear time, memory-capped,
// Latin-1 so that any byte sequence is text). A RuleSet is immutable once built and shared by threads;
// a rule's regexes are compiled the first time text needs them, because the pre-commit check usually
// needs one or two of a hundred rules.
#pragma once

#include <re2/re2.h>

#include <memory>
#include <mutex>
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
  explicit Rule(RuleSpec spec) : spec_(std::move(spec)) {}
  const RuleSpec& spec() const { return spec_; }
  // Compiles on first call. Throws Error naming the rule's file:line if a regex is invalid.
  const Rule& compiled() const;
  const RE2* regex() const { return regex_.get(); }  // null for a path-only rule
  const RE2* path() const { return path_.get(); }    // null when the rule applies to every path
  const std::vector<CompiledAllowlist>& allowlists() const { return allowlists_; }

 private:
  RuleSpec spec_;
  mutable std::once_flag once_;
  mutable std::unique_ptr<const RE2> regex_;
  mutable std::unique_ptr<const RE2> path_;
  mutable std::vector<CompiledAllowlist> allowlists_;
};

// Compiles every regex of `config` and throws one Error listing every invalid one (file:line, rule id).
// User configs go through this before use; the embedded defaults went through it at build time.
void validate_config(const Config& config);

class RuleSet {
 public:
  // Throws Error for an empty rule set. Regexes are compiled on first use (see validate_config).
  explicit RuleSet(Config config);
  RuleSet(const RuleSet&) = delete;
  RuleSet& operator=(const RuleSet&) = delete;

  const Config& config() const { return config_; }
  const std::vector<std::unique_ptr<Rule>>& rules() const { return rules_; }
  // Rules without keywords: they run on every fragment.
  const std::vector<std::size_t>& unconditional() const { return unconditional_; }
  const KeywordIndex& keywords() const { return keywords_; }
  // The global allowlists that apply to `rule_id`, compiled on first use.
  std::vector<const CompiledAllowlist*> global_allowlists(const std::string& rule_id) const;
  const Rule* find(const std::string& id) const;

 private:
  Config config_;
  std::vector<std::unique_ptr<Rule>> rules_;
  std::vector<std::size_t> unconditional_;
  KeywordIndex keywords_;
  mutable std::once_flag globals_once_;
  mutable std::vector<CompiledAllowlist> globals_;
};

// Compiles one pattern with keygate's RE2 options. Returns null and sets *error when RE2 rejects it.
std::unique_ptr<const RE2> compile_regex(const std::string& pattern, std::string* error);

}  // namespace keygate
