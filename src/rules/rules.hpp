// This file implements the second stage: Config -> RuleSet. Regexes are RE2 (linear time, memory-capped,
// Latin-1 so that any byte sequence is text). A RuleSet is immutable once built and shared by threads;
// a rule's regexes are compiled the first time text needs them, because the pre-commit check usually
// needs one or two of a hundred rules.
#pragma once

#include <re2/re2.h>

#include <atomic>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "config/config.hpp"
#include "rules/hit_gate.hpp"
#include "rules/keywords.hpp"
#include "rules/regex_search.hpp"
#include "rules/validators.hpp"

namespace keygate {

// An allowlist as the matcher uses it: everything it needs, computed once from its AllowlistSpec.
struct CompiledAllowlist {
  Condition condition = Condition::Or;
  RegexTarget regex_target = RegexTarget::Secret;
  std::vector<std::unique_ptr<const RE2>> regexes;
  std::vector<std::unique_ptr<const RE2>> paths;
  std::vector<std::string> stopwords;     // lower-case
  std::vector<std::string> commits;       // id prefixes
  std::vector<std::string> target_rules;  // global allowlists only: empty means every rule
};

// A rule and its lazily compiled regexes. compiled() is safe to call from many threads.
class Rule {
 public:
  // `spec` must outlive the rule (the RuleSet's Config holds it).
  explicit Rule(const RuleSpec& spec);
  const RuleSpec& spec() const { return spec_; }
  // Compiles on first call. Throws Error naming the rule's file:line if a regex is invalid.
  const Rule& compiled() const;
  // Appends to `problems` what compiled() would throw (one line per invalid regex), compiling nothing
  // but what its text cannot tell (check_regex; a secretGroup's group count).
  void check(std::vector<std::string>& problems) const;
  // The rule's whole regex, null for a rule without one; each thread gets its own RE2 object. REQUIRES:
  // compiled() was called. The detector uses search(); this is for the tests.
  const RE2* regex() const;
  // The search of the rule's regex (regex_search.hpp) for this thread: the compiling thread's own; another
  // thread shares it for its first searches, then compiles its own copy (threads sharing one RE2 contend on
  // its DFA cache lock, which made two threads slower than one). REQUIRES: compiled() was called and the
  // rule has a regex. Valid until the thread's next call to search() or regex().
  const RegexSearch& search() const;
  const RE2* path() const { return path_.get(); }  // null when the rule applies to every path
  // True iff the rule applies to a file at `path` (no path condition, or its path regex matches). Compiles
  // only the path regex, on first call: a rule without keywords but with a path (credential files) costs
  // a path test per file, not its whole compilation. Thread-safe; throws Error as compiled() would for an
  // invalid path regex.
  bool applies_to(std::string_view path) const;
  const std::vector<CompiledAllowlist>& allowlists() const { return allowlists_; }
  // True iff the regex may match across many lines (see regex_may_span_lines).
  bool spans_lines() const;
  // Which of its keywords' occurrences can begin a match (hit_gate.hpp), or null when every one can:
  // computed on first use, from the regex's text. Thread-safe.
  const HitGate* hit_gate() const;
  // True iff the rule is a catch-all (its id starts with "generic", or it is tagged "generic"): its findings
  // give way to a specific rule's at the same place.
  bool generic() const { return generic_; }
  // True iff the rule comes from the embedded defaults (validated when keygate was built).
  bool builtin() const { return builtin_; }
  // True iff the rule has a path condition and neither a regex nor a detector: it reports the file name
  // itself (a detector rule's path only limits where the detector runs).
  bool path_only() const { return path_only_; }
  // The validator a secret must also pass (RuleSpec::validator): Validator::None for most rules.
  Validator validator() const { return validator_; }

 private:
  const RuleSpec& spec_;
  std::uint64_t serial_;  // unique for the life of the process: the key of the per-thread copies
  // regex_may_span_lines of the regex, computed on first use (-1: not yet): a run meets few of its rules.
  mutable std::atomic<signed char> spans_lines_{-1};
  mutable std::once_flag gate_once_;
  mutable std::optional<HitGate> gate_;
  bool generic_;
  bool builtin_;
  bool path_only_;
  Validator validator_;
  mutable std::once_flag once_;
  mutable std::thread::id owner_;  // the thread that compiled search_ and uses it
  mutable std::unique_ptr<const RegexSearch> search_;
  mutable std::unique_ptr<const RE2> regex_;  // the owner's whole regex when search_ is split (tests)
  mutable std::unique_ptr<const RE2> path_;
  mutable std::once_flag path_gate_once_;
  mutable std::unique_ptr<const RE2> path_gate_;  // applies_to's own copy of the path regex
  mutable std::string path_gate_error_;
  mutable std::vector<CompiledAllowlist> allowlists_;
  mutable std::string compile_error_;
};

// Compiles every regex of `config` (built-in rules included) and throws one Error listing every invalid
// one (file:line, rule id): RuleSet(config).compile(Compile::AllRules), the path the command line takes,
// for the build tool (the embedded defaults) and the tests. An empty rule set is an Error too.
void validate_config(const Config& config);

// Which rules RuleSet::compile compiles now.
enum class Compile {
  UserRules,  // none: all but the built-in defaults (validated at build time) are checked (Rule::check),
              // and every rule is compiled when text first needs it
  AllRules,   // every rule, now
};

// What a RuleSet is built with besides its Config: the command line's settings for the detector, fixed
// for the RuleSet's life like everything else in it.
enum class Explain { Off, On };

struct RuleOptions {
  std::optional<int> max_decode_depth;  // --max-decode-depth: replaces the config's [decode] max_depth
  Explain explain = Explain::Off;       // --explain: generic findings carry the scorer's reasons
};

// The rules, as the detector uses them. As a HitFilter it keeps the keyword occurrences that each
// rule's hit gate admits (a detector rule's: detector_hit_opens, generic.hpp).
class RuleSet : public HitFilter {
 public:
  // Throws Error for an empty rule set. Regexes are compiled on first use (see validate_config).
  // `prebuilt`, when given, is the keyword automaton of exactly these rules, built ahead of time (the
  // embedded defaults'); it must outlive the RuleSet.
  explicit RuleSet(std::shared_ptr<const Config> config, const RuleOptions& options = {},
                   const KeywordIndex* prebuilt = nullptr);
  explicit RuleSet(Config config, const RuleOptions& options = {})
      : RuleSet(std::make_shared<const Config>(std::move(config)), options) {}
  RuleSet(const RuleSet&) = delete;
  RuleSet& operator=(const RuleSet&) = delete;

  const Config& config() const { return *config_; }
  const std::vector<std::unique_ptr<Rule>>& rules() const { return rules_; }
  // Rules with a regex or a detector and without keywords: they run on every fragment.
  const std::vector<std::size_t>& unconditional() const { return unconditional_; }
  // Path-only rules (Rule::path_only): they run on file names, never on text.
  const std::vector<std::size_t>& path_only() const { return path_only_; }
  const KeywordIndex& keywords() const { return *keywords_; }
  bool keep(std::uint32_t rule, std::string_view text, std::size_t end) const override;
  // Where generic findings drop a confidence level: the config's [confidence] demote_paths, or
  // default_demote_paths() when it names none. Resolved once here.
  const std::vector<std::string>& demote_paths() const { return *demote_paths_; }
  // The literal prefixes of the provider rules' keys (provider_prefixes.hpp), worked out on first use.
  const std::vector<std::string>& provider_prefixes() const;
  // The global allowlists that apply to `rule_id`, compiled on first use.
  std::vector<const CompiledAllowlist*> global_allowlists(const std::string& rule_id) const;
  const Rule* find(const std::string& id) const;
  // How many layers of encoding the detector decodes (decode.hpp): RuleOptions::max_decode_depth, else the
  // config's [decode] max_depth, else the default; 0 turns decoding off.
  int max_decode_depth() const { return max_decode_depth_; }
  // When on, each generic detector finding carries the scorer's reasons (Finding::explanation), which the
  // reports print. Off by default: the string costs an allocation per finding.
  bool explain() const { return explain_ == Explain::On; }
  // Compiles now the rules `which` names (and, for AllRules, the global allowlists), and checks the other
  // rules and global allowlists that are not built in (the rest compile on first use). Throws one Error
  // listing every invalid regex, each with its file:line and rule id (the same words whether checked or
  // compiled). The one rule-compilation path.
  void compile(Compile which) const;

 private:
  std::shared_ptr<const Config> config_;
  std::vector<std::unique_ptr<Rule>> rules_;
  std::vector<std::size_t> unconditional_;
  std::vector<std::size_t> path_only_;
  const std::vector<std::string>* demote_paths_;  // into *config_ or default_demote_paths()
  mutable std::once_flag prefixes_once_;
  mutable std::vector<std::string> provider_prefixes_;  // set once, under prefixes_once_
  KeywordIndex own_keywords_;
  const KeywordIndex* keywords_ = &own_keywords_;
  // A global allowlist compiled on first use by a rule it targets: a one-file check meets few rules, and
  // an allowlist for rare files (the credential-file placeholders) would otherwise cost 1.5M instructions.
  struct LazyAllowlist {
    explicit LazyAllowlist(const AllowlistSpec& s) : spec(&s) {}
    const AllowlistSpec* spec;
    std::once_flag once;
    CompiledAllowlist compiled;
    std::string error;
  };
  const CompiledAllowlist& compiled_global(LazyAllowlist& g) const;  // throws Error naming its place
  mutable std::deque<LazyAllowlist> globals_;                        // one per config allowlist, in order
  const int max_decode_depth_;
  const Explain explain_;
};

// True iff `pattern` may match text spanning more than a few lines: some atom that can match a line break
// (\s, \n, \r, a negated class, or . under (?s)) is repeated without an upper bound (*, +, {n,}).
// A heuristic over the pattern text; it errs towards true.
bool regex_may_span_lines(std::string_view pattern);

// keygate's RE2 options: Latin-1 (any byte sequence is text), no logging, a 64 MB memory budget.
RE2::Options regex_options();

// Compiles one pattern with keygate's RE2 options. Returns null and sets *error when RE2 rejects it.
std::unique_ptr<const RE2> compile_regex(const std::string& pattern, std::string* error);

// Returns true iff compile_regex(pattern) would succeed; otherwise sets *error to the message it would give.
// Parses the pattern; compiles it only when its program might reach RE2's size limit (regex_check.cpp).
bool check_regex(const std::string& pattern, std::string* error);

}  // namespace keygate
