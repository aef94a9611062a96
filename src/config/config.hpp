// This file implements the first stage of the pipeline: patterns.toml text -> Config, plain data with each
// value's line. The schema is gitleaks' ([[rules]], [[rules.allowlists]], [[allowlists]], [extend]) plus
// keygate's per-rule `examples` and `lookalikes`. Regexes are not compiled here; rules.cpp does that.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/verify_spec.hpp"
#include "core/confidence.hpp"

namespace keygate {

enum class Condition { Or, And };
enum class RegexTarget { Secret, Match, Line };

// One allowlist: a finding it covers is dropped. With Condition::Or any one listed check suffices; with
// Condition::And every kind of check that is listed must hold.
struct AllowlistSpec {
  std::string description;
  Condition condition = Condition::Or;
  RegexTarget regex_target = RegexTarget::Secret;
  std::vector<std::string> regexes;
  std::vector<std::string> paths;
  std::vector<std::string> stopwords;
  std::vector<std::string> commits;
  std::vector<std::string> target_rules;  // global allowlists only: empty means every rule
  int line = 0;
  bool operator==(const AllowlistSpec&) const = default;
};

struct RuleSpec {
  std::string id;
  std::string description;
  std::string regex;     // empty for a path-only rule
  std::string path;      // regex over the file path; empty means any path
  int secret_group = 0;  // 0: the first non-empty capture group, or the whole match when there is none
  double entropy = 0;    // minimum Shannon entropy (bits per byte) of the secret; 0 disables the check
  std::vector<std::string> keywords;  // lower-cased; the rule runs only where one occurs (case-insensitive)
  std::vector<std::string> tags;
  std::vector<AllowlistSpec> allowlists;
  std::vector<std::string> examples;    // text the rule must report
  std::vector<std::string> lookalikes;  // text the rule must not report
  std::optional<VerifySpec> verify;     // [rules.verify]: how to ask the provider if a key is live (--verify)
  std::string file;                     // where the rule was defined, for messages
  int line = 0;                         // of the rule's table
  int regex_line = 0;                   // of its regex (0: unknown), for messages about the regex
  // keygate: a built-in detector run instead of the regex ("password", "secret": see generic.hpp).
  std::string detector;
  // keygate: how sure a finding of this rule is; unset: high for a specific rule, derived for generic ones.
  std::optional<Confidence> confidence;
  // Set by resolve_config for the rules of a project's own .keygate.toml and every file of its [extend]
  // chain: whoever controls the repository wrote them, so their verifier is never used (verify.cpp).
  bool from_repository = false;
  // keygate extension, TOML key `check`: a validator the secret must also pass (rules/validators.hpp), e.g.
  // "luhn". (Named for what it is here: "check" already names git::check and the push checks.)
  std::string validator;
  bool operator==(const RuleSpec&) const = default;
};

// The one list of the fields of AllowlistSpec and RuleSpec, in their binary order: serialize_config and
// deserialize_config are written as visits of it, and tests/config/test_binary.cpp checks that it names
// every field of the structs (a field added above but not here fails that test).
template <typename Spec, typename Visit>
void visit_allowlist_fields(Spec& a, Visit&& visit) {
  visit(a.description), visit(a.condition), visit(a.regex_target), visit(a.regexes), visit(a.paths);
  visit(a.stopwords), visit(a.commits), visit(a.target_rules), visit(a.line);
}
inline constexpr int kAllowlistSpecFields = 9;

template <typename Spec, typename Visit>
void visit_rule_fields(Spec& r, Visit&& visit) {
  visit(r.id), visit(r.description), visit(r.regex), visit(r.path), visit(r.secret_group), visit(r.entropy);
  visit(r.keywords), visit(r.tags), visit(r.allowlists), visit(r.examples), visit(r.lookalikes);
  visit(r.verify), visit(r.file), visit(r.line), visit(r.regex_line), visit(r.from_repository);
  visit(r.detector), visit(r.confidence), visit(r.validator);
}
inline constexpr int kRuleSpecFields = 19;

// What a run does with an archive it cannot read whole (corrupt, truncated, encrypted entry, unknown
// format inside): by default the scan is incomplete (exit 2, a hook or push refused); Pass says so on
// stderr and lets the result stand.
enum class UnreadableArchive { Fail, Pass };

// The archive stage's bounds (archive/reader.hpp's Limits) when nothing sets them.
inline constexpr int kDefaultArchiveDepth = 4;
inline constexpr int kMaxArchiveDepth = 16;
inline constexpr std::uint64_t kDefaultArchiveExpandedBytes = 4ull << 30;
inline constexpr std::uint64_t kDefaultArchiveRatio = 100;
inline constexpr std::uint64_t kDefaultArchiveEntries = 100000;
inline constexpr std::uint64_t kDefaultArchivePathLength = 4096;

// [archive]: the archive stage's limits for one outermost container (all its levels together); an unset
// field keeps its default. --max-archive-depth overrides max_depth.
struct ArchiveSpec {
  std::optional<int> max_depth;                     // 0 (archives not opened) to kMaxArchiveDepth
  std::optional<std::uint64_t> max_expanded_bytes;  // bytes read out of entries
  std::optional<std::uint64_t> max_ratio;           // expanded size / container size
  std::optional<std::uint64_t> max_entries;
  std::optional<std::uint64_t> max_path_length;  // bytes of one entry's path
  std::optional<UnreadableArchive> unreadable;   // "fail" or "pass"
  int line = 0;                                  // of the [archive] table, for messages
};

// The embedded form (config/binary.cpp) holds file, rules, allowlists, demote_paths and min_confidence: a
// Config field the default patterns.toml can set must be written there too.
struct Config {
  std::string file;                 // display name of the source, for messages
  std::optional<bool> use_default;  // [extend] useDefault: start from keygate's default rules
  std::string extend_path;          // [extend] path: start from this config file (relative to this one)
  int extend_line = 0;              // of the [extend] table, for messages about the chain
  std::vector<std::string> disabled_rules;  // [extend] disabledRules
  std::vector<std::string> packs;           // [extend] packs: optional rule packs to add ("pii")
  std::vector<std::string>
      redact_fields;  // [redact] fields: JSON fields `redact` blanks; empty: its defaults
  std::vector<RuleSpec> rules;
  std::vector<AllowlistSpec> allowlists;
  std::optional<int> decode_max_depth;  // [decode] max_depth
  ArchiveSpec archive;                  // [archive]
  std::vector<std::string> warnings;    // fields that are accepted but cannot be honoured
  bool builtin = false;  // exactly the embedded defaults (whose keyword automaton is embedded too)
  // [confidence] demote_paths: where generic findings drop a level (unset: default_demote_paths()).
  std::optional<std::vector<std::string>> demote_paths;
  // [confidence] minimum: the lowest confidence reported (unset: medium; --min-confidence overrides).
  std::optional<Confidence> min_confidence;
  // Whether `keygate:allow` comments in the scanned content drop findings. Not a TOML key: false only on a
  // server that does not trust pushed content with it (resolve_server_config, PushTrust::inline_allow).
  bool inline_allow = true;
};

// Parses TOML text. `name` is used in messages ("name:12: rule "x": ..."). Throws Error listing every
// problem found in the file, one per line, when the text is invalid.
Config parse_config(std::string_view text, const std::string& name);

// Reads and parses a file; a missing or unreadable file is an Error naming it.
Config load_config_file(const std::string& path);

// Returns `base` with `overlay` applied the way gitleaks' [extend] does: rules with the same id are
// replaced, new rules appended, the overlay's disabled_rules removed, allowlists concatenated.
Config merge_configs(Config base, const Config& overlay);

// `base` with each [archive] field that `overlay` sets (merge_configs' part for [archive]).
void merge_archive(ArchiveSpec& base, const ArchiveSpec& overlay);

// The name the embedded default rules carry in messages and in RuleSpec::file.
inline constexpr const char* kBuiltInConfigName = "patterns.toml (built in)";

// The embedded default rule set (patterns.toml at build time), already parsed and validated.
const Config& default_config();
// The keyword automaton of the embedded defaults, built at build time (KeywordIndex::serialize):
// building it at start-up takes longer than the rest of the pre-commit check's set-up.
std::string_view default_keyword_index_bytes();

// Optional rule packs, embedded at build time (rules/<name>.toml) and added on request (`--rules NAME`,
// `[extend] packs`): "pii", personal data for reviewing datasets and logs.
bool rule_pack_known(std::string_view name);
// The pack's rules, parsed. Throws Error naming the pack when `name` is not one.
Config rule_pack(std::string_view name);

// The embedded patterns.toml text itself.
std::string_view default_config_text();

// A compact binary form of Config, used to embed the default rules without parsing TOML at start-up.
std::string serialize_config(const Config& config);
Config deserialize_config(std::string_view bytes);

}  // namespace keygate
