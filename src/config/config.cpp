// This file implements patterns.toml -> Config (see config.hpp). toml11 errors are converted here, once,
// into one-line "file:line: ..." messages; every problem in a file is collected before anything is thrown.
#include "config/config.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <toml.hpp>

#include "config/toml_limits.hpp"
#include "config/toml_line.hpp"
#include "core/error.hpp"
#include "detect/decode.hpp"
#include "detect/generic.hpp"
#include "rules/validators.hpp"
#include "util/ascii.hpp"
#include "util/file_io.hpp"
#include "util/utf8.hpp"

namespace keygate {
namespace {

struct Problem {
  int line;
  std::string text;
};

// Fields that are accepted but not honoured, counted per field so that a config with 400 rules gives one
// line per kind, not one per rule.
class Warnings {
 public:
  void add(const std::string& field, int line, const std::string& why) {
    auto& w = by_field_[field];
    if (w.count++ == 0) {
      w.first_line = line;
      w.why = why;
    }
  }
  std::vector<std::string> lines(const std::string& file) const {
    std::vector<std::string> out;
    for (const auto& [field, w] : by_field_) {
      out.push_back(file + ":" + std::to_string(w.first_line) + ": \"" + field + "\" is not supported" +
                    (w.count > 1 ? " (" + std::to_string(w.count) + " places)" : "") + ": " + w.why);
    }
    return out;
  }

 private:
  struct Entry {
    int count = 0;
    int first_line = 0;
    std::string why;
  };
  std::map<std::string, Entry> by_field_;
};

// Collects every problem of one file, then throws them all at once.
class Problems {
 public:
  explicit Problems(std::string file) : file_(std::move(file)) {}
  void add(int line, std::string text) { list_.push_back({line, std::move(text)}); }
  void add(const toml::value& at, std::string text) { add(line_of(at), std::move(text)); }
  static int line_of(const toml::value& v) { return toml_line(v); }
  void throw_if_any() const {
    if (list_.empty()) return;
    std::vector<Problem> sorted = list_;
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const Problem& a, const Problem& b) { return a.line < b.line; });
    std::string message;
    for (const Problem& p : sorted) {
      if (!message.empty()) message += '\n';
      message += file_ + ":" + std::to_string(p.line) + ": " + p.text;
    }
    throw Error(message);
  }

 private:
  std::string file_;
  std::vector<Problem> list_;
};

std::string rule_prefix(const std::string& id) {
  return id.empty() ? std::string() : "rule \"" + id + "\": ";
}

std::string type_name(const toml::value& v) {
  std::ostringstream out;
  out << v.type();
  return out.str();
}

// Reads typed fields out of one TOML table, reporting wrong types and unknown keys to Problems.
class TableReader {
 public:
  TableReader(const toml::value& table, Problems& problems, std::string context)
      : table_(table), problems_(problems), context_(std::move(context)) {}

  bool has(const std::string& key) const { return table_.as_table().count(key) != 0; }

  void string(const std::string& key, std::string& out) {
    const toml::value* v = take(key);
    if (v == nullptr) return;
    if (!v->is_string()) return wrong_type(*v, key, "a string");
    out = v->as_string().str;
  }
  void integer(const std::string& key, int& out) {
    const toml::value* v = take(key);
    if (v == nullptr) return;
    if (!v->is_integer()) return wrong_type(*v, key, "an integer");
    const auto value = v->as_integer();
    if (value < 0 || value > 1000) {
      problems_.add(*v, context_ + "\"" + key + "\" must be between 0 and 1000");
      return;
    }
    out = static_cast<int>(value);
  }
  void number(const std::string& key, double& out) {
    const toml::value* v = take(key);
    if (v == nullptr) return;
    if (v->is_integer()) {
      out = static_cast<double>(v->as_integer());
    } else if (v->is_floating()) {
      out = v->as_floating();
    } else {
      return wrong_type(*v, key, "a number");
    }
    if (!(out >= 0 && out <= 8)) problems_.add(*v, context_ + "\"" + key + "\" must be between 0 and 8");
  }
  void boolean(const std::string& key, bool& out) {
    const toml::value* v = take(key);
    if (v == nullptr) return;
    if (!v->is_boolean()) return wrong_type(*v, key, "true or false");
    out = v->as_boolean();
  }
  void strings(const std::string& key, std::vector<std::string>& out) {
    const toml::value* v = take(key);
    if (v == nullptr) return;
    if (!v->is_array()) return wrong_type(*v, key, "an array of strings");
    for (const toml::value& item : v->as_array()) {
      if (!item.is_string()) return wrong_type(item, key, "an array of strings");
      out.push_back(item.as_string().str);
    }
  }
  // Returns the tables of an array of tables (or of a single table, for legacy keys).
  std::vector<const toml::value*> tables(const std::string& key, bool single_allowed) {
    std::vector<const toml::value*> out;
    const toml::value* v = take(key);
    if (v == nullptr) return out;
    if (single_allowed && v->is_table()) {
      out.push_back(v);
      return out;
    }
    if (!v->is_array()) {
      wrong_type(*v, key, "an array of tables ([[" + key + "]])");
      return out;
    }
    for (const toml::value& item : v->as_array()) {
      if (!item.is_table()) {
        wrong_type(item, key, "an array of tables ([[" + key + "]])");
        return {};
      }
      out.push_back(&item);
    }
    return out;
  }
  const toml::value* table(const std::string& key) {
    const toml::value* v = take(key);
    if (v != nullptr && !v->is_table()) {
      wrong_type(*v, key, "a table");
      return nullptr;
    }
    return v;
  }
  // Marks a key as known but ignored, with a warning.
  // Marks a key as known but not honoured; returns it (or null) for a caller that honours part of it.
  const toml::value* unsupported(const std::string& key, const std::string& why, Warnings& warnings) {
    const toml::value* v = take(key);
    if (v != nullptr) warnings.add(key, Problems::line_of(*v), why);
    return v;
  }
  const toml::value* get(const std::string& key) { return take(key); }
  // Reports every key that no accessor asked for.
  void finish() {
    for (const auto& [key, value] : table_.as_table()) {
      if (known_.count(key) == 0) problems_.add(value, context_ + "unknown field \"" + key + "\"");
    }
  }

 private:
  const toml::value* take(const std::string& key) {
    known_.insert(key);
    const auto& t = table_.as_table();
    auto it = t.find(key);
    return it == t.end() ? nullptr : &it->second;
  }
  void wrong_type(const toml::value& v, const std::string& key, const std::string& expected) {
    problems_.add(v, context_ + "\"" + key + "\" must be " + expected + ", not " + type_name(v));
  }

  const toml::value& table_;
  Problems& problems_;
  std::string context_;
  std::set<std::string> known_;
};

AllowlistSpec read_allowlist(const toml::value& table, Problems& problems, const std::string& context,
                             bool global) {
  AllowlistSpec spec;
  spec.line = Problems::line_of(table);
  TableReader r(table, problems, context + "allowlist: ");
  r.string("description", spec.description);
  std::string condition, target;
  r.string("condition", condition);
  if (!condition.empty()) {
    std::string c = lowered(condition);
    if (c == "or") {
      spec.condition = Condition::Or;
    } else if (c == "and") {
      spec.condition = Condition::And;
    } else {
      problems.add(spec.line,
                   context + "allowlist: \"condition\" must be \"OR\" or \"AND\", not \"" + condition + "\"");
    }
  }
  r.string("regexTarget", target);
  if (!target.empty()) {
    if (target == "secret") {
      spec.regex_target = RegexTarget::Secret;
    } else if (target == "match") {
      spec.regex_target = RegexTarget::Match;
    } else if (target == "line") {
      spec.regex_target = RegexTarget::Line;
    } else {
      problems.add(spec.line,
                   context + "allowlist: \"regexTarget\" must be \"secret\", \"match\" or \"line\", not \"" +
                       target + "\"");
    }
  }
  r.strings("regexes", spec.regexes);
  r.strings("paths", spec.paths);
  r.strings("stopwords", spec.stopwords);
  for (std::string& s : spec.stopwords) s = lowered(s);
  r.strings("commits", spec.commits);
  if (global) r.strings("targetRules", spec.target_rules);
  r.finish();
  if (spec.regexes.empty() && spec.paths.empty() && spec.stopwords.empty() && spec.commits.empty()) {
    problems.add(spec.line, context + "allowlist has no regexes, paths, stopwords or commits");
  }
  return spec;
}

// [rules.verify]: the request that tells whether a found key works (sent by verify.cpp, only with --verify).
VerifySpec read_verify(const toml::value& table, Problems& problems, const std::string& context,
                       const std::string& rule_id) {
  VerifySpec spec;
  spec.line = Problems::line_of(table);
  const std::string where = context + "verify: ";
  TableReader r(table, problems, where);
  r.string("provider", spec.provider);
  r.string("method", spec.method);
  r.string("base", spec.base);
  r.string("url", spec.url);
  r.string("body", spec.body);
  r.string("identity_url", spec.identity_url);
  r.string("basic", spec.basic);
  for (auto [key, list] : {std::pair{"headers", &spec.headers}, std::pair{"live_if", &spec.live_if},
                           std::pair{"identity", &spec.identity}}) {
    const toml::value* table = r.table(key);
    if (table == nullptr) continue;
    for (const auto& [name, value] : table->as_table()) {
      if (!value.is_string()) problems.add(value, where + key + " \"" + name + "\" must be a string");
      if (value.is_string()) list->emplace_back(name, value.as_string().str);
    }
    std::sort(list->begin(), list->end());
  }
  for (auto [key, list] : {std::pair{"live", &spec.live}, std::pair{"dead", &spec.dead}}) {
    const toml::value* v = r.get(key);
    if (v == nullptr) continue;
    for (const toml::value& item : v->is_array() ? v->as_array() : toml::array{*v}) {
      if (!item.is_integer()) {
        problems.add(item, where + "\"" + key + "\" must be an array of HTTP statuses");
        break;
      }
      list->push_back(static_cast<int>(std::clamp<toml::integer>(item.as_integer(), -1, 1000)));
    }
  }
  r.finish();
  if (spec.provider.empty()) spec.provider = rule_id;
  for (const std::string& problem : verify_spec_problems(spec)) problems.add(spec.line, where + problem);
  return spec;
}

// betterleaks' per-rule filter, in its most common form: entropy(finding["secret"]) < 3.5 (or <=, and
// with a "filter." prefix). Returns the threshold, or a negative number for any other expression.
double entropy_filter_threshold(const std::string& expression) {
  static const std::regex form(
      R"(^\s*(?:filter\.)?entropy\(finding\["secret"\]\)\s*<=?\s*([0-9]+(?:\.[0-9]+)?)\s*$)");
  std::smatch m;
  if (!std::regex_match(expression, m, form)) return -1;
  return std::stod(m[1].str());
}

// keygate: `confidence = "high|medium|low"` of a rule, or `minimum` of [confidence].
void read_confidence_field(TableReader& r, Problems& problems, const std::string& context, int line,
                           std::optional<Confidence>& out, const std::string& key = "confidence") {
  std::string text;
  r.string(key, text);
  if (text.empty()) return;
  Confidence c;
  if (!parse_confidence(text, &c)) {
    problems.add(line,
                 context + "\"" + key + "\" must be \"high\", \"medium\" or \"low\", not \"" + text + "\"");
    return;
  }
  out = c;
}

// keygate: [confidence] demote_paths = [...], minimum = "medium".
void read_confidence_table(const toml::value& table, Problems& problems, Config& config) {
  TableReader r(table, problems, "[confidence]: ");
  if (r.has("demote_paths")) {
    std::vector<std::string> paths;
    r.strings("demote_paths", paths);
    config.demote_paths = std::move(paths);
  }
  read_confidence_field(r, problems, "[confidence]: ", Problems::line_of(table), config.min_confidence,
                        "minimum");
  r.finish();
}

RuleSpec read_rule(const toml::value& table, Problems& problems, const std::string& file,
                   Warnings& warnings) {
  RuleSpec rule;
  rule.file = file;
  rule.line = Problems::line_of(table);
  // The id first, so that every later message can name the rule.
  if (auto it = table.as_table().find("id"); it != table.as_table().end() && it->second.is_string()) {
    rule.id = it->second.as_string().str;
  }
  const std::string context = rule_prefix(rule.id);
  TableReader r(table, problems, context);
  r.string("id", rule.id);
  r.string("description", rule.description);
  r.string("regex", rule.regex);
  if (auto it = table.as_table().find("regex"); it != table.as_table().end())
    rule.regex_line = Problems::line_of(it->second);
  r.string("path", rule.path);
  r.integer("secretGroup", rule.secret_group);
  r.number("entropy", rule.entropy);
  r.strings("keywords", rule.keywords);
  for (std::string& k : rule.keywords) k = lowered(k);
  r.strings("tags", rule.tags);
  r.strings("examples", rule.examples);
  r.strings("lookalikes", rule.lookalikes);
  r.string("detector", rule.detector);
  if (!rule.detector.empty() && !known_detector(rule.detector)) {
    problems.add(rule.line, context + "unknown detector \"" + rule.detector + "\" (known: password, secret)");
  }
  read_confidence_field(r, problems, context, rule.line, rule.confidence);
  r.string("check", rule.validator);
  if (bool known = true; validator_named(rule.validator, &known), !known) {
    problems.add(rule.line, context + "unknown check \"" + rule.validator +
                                "\" (luhn, iban, us-ssn, phone, email or basic-auth)");
  }
  for (const toml::value* t : r.tables("allowlist", true)) {
    rule.allowlists.push_back(read_allowlist(*t, problems, context, false));
  }
  for (const toml::value* t : r.tables("allowlists", false)) {
    rule.allowlists.push_back(read_allowlist(*t, problems, context, false));
  }
  if (const toml::value* verify = r.table("verify"))
    rule.verify = read_verify(*verify, problems, context, rule.id);
  r.unsupported("required", "composite rules are not implemented; the rule fires on its own regex", warnings);
  r.unsupported("skipReport", "the rule is reported like any other", warnings);
  r.unsupported("validate",
                "betterleaks expressions are not evaluated; declare a [rules.verify] table instead",
                warnings);
  r.unsupported("tokenEfficiency", "use \"entropy\" instead", warnings);
  r.unsupported("specificity", "a generic rule gives way to any specific one at the same place", warnings);
  // betterleaks: an entropy filter becomes `entropy`; any other expression cannot be evaluated.
  if (const toml::value* filter = r.get("filter")) {
    const double threshold = filter->is_string() ? entropy_filter_threshold(filter->as_string().str) : -1;
    if (threshold >= 0) {
      rule.entropy = std::max(rule.entropy, threshold);
    } else {
      warnings.add("filter", Problems::line_of(*filter),
                   "only entropy(finding[\"secret\"]) < N is understood; the rule runs without the others");
    }
  }
  r.finish();
  if (rule.id.empty()) problems.add(rule.line, "rule without an \"id\"");
  for (const std::string& k : rule.keywords) {
    if (k.empty()) problems.add(rule.line, context + "empty keyword");
  }
  if (rule.regex.empty() && rule.path.empty() && rule.detector.empty()) {
    problems.add(rule.line, context + "needs a \"regex\" or a \"path\"");
  }
  return rule;
}

void read_extend(const toml::value& table, Problems& problems, Config& config) {
  TableReader r(table, problems, "[extend]: ");
  config.extend_line = Problems::line_of(table);
  bool use_default = false;
  if (r.has("useDefault")) {
    r.boolean("useDefault", use_default);
    config.use_default = use_default;
  }
  r.string("path", config.extend_path);
  r.strings("disabledRules", config.disabled_rules);
  r.strings("packs", config.packs);
  for (const std::string& pack : config.packs) {
    if (!rule_pack_known(pack))
      problems.add(config.extend_line, "[extend]: unknown rule pack \"" + pack + "\" (pii)");
  }
  r.finish();
}

void read_decode(const toml::value& table, Problems& problems, Config& config) {
  TableReader r(table, problems, "[decode]: ");
  int depth = -1;
  r.integer("max_depth", depth);
  r.finish();
  if (depth > kMaxDecodeDepth) {
    problems.add(Problems::line_of(table),
                 "[decode]: \"max_depth\" must be between 0 and " + std::to_string(kMaxDecodeDepth));
  } else if (depth >= 0) {
    config.decode_max_depth = depth;
  }
}

// [archive]: each limit a positive integer in its range, `unreadable` "fail" or "pass".
void read_archive(const toml::value& table, Problems& problems, Config& config) {
  TableReader r(table, problems, "[archive]: ");
  config.archive.line = Problems::line_of(table);
  const auto bounded = [&](const char* key, std::uint64_t low, std::uint64_t high,
                           std::optional<std::uint64_t>& out) {
    const toml::value* v = r.get(key);
    if (v == nullptr) return;
    if (!v->is_integer() || v->as_integer() < static_cast<std::int64_t>(low) ||
        static_cast<std::uint64_t>(v->as_integer()) > high) {
      problems.add(*v, "[archive]: \"" + std::string(key) + "\" must be an integer from " +
                           std::to_string(low) + " to " + std::to_string(high));
      return;
    }
    out = static_cast<std::uint64_t>(v->as_integer());
  };
  std::optional<std::uint64_t> depth;
  bounded("max_depth", 0, kMaxArchiveDepth, depth);
  if (depth) config.archive.max_depth = static_cast<int>(*depth);
  bounded("max_expanded_bytes", 1, 1ull << 50, config.archive.max_expanded_bytes);
  bounded("max_ratio", 1, 1000000, config.archive.max_ratio);
  bounded("max_entries", 1, 1ull << 32, config.archive.max_entries);
  bounded("max_path_length", 1, 65536, config.archive.max_path_length);
  if (const toml::value* v = r.get("unreadable")) {
    if (v->is_string() && v->as_string().str == "fail") {
      config.archive.unreadable = UnreadableArchive::Fail;
    } else if (v->is_string() && v->as_string().str == "pass") {
      config.archive.unreadable = UnreadableArchive::Pass;
    } else {
      problems.add(*v, "[archive]: \"unreadable\" must be \"fail\" or \"pass\"");
    }
  }
  r.finish();
}

// "[error] toml::parse_key_value_pair: missing key-value separator `=`\n --> ..." -> the first line's text.
std::string first_line_of_toml_error(const std::string& what) {
  std::string line = what.substr(0, what.find('\n'));
  for (const char* prefix : {"[error] "}) {
    if (line.rfind(prefix, 0) == 0) line = line.substr(std::string(prefix).size());
  }
  if (line.rfind("toml::", 0) == 0) {
    auto colon = line.find(": ");
    if (colon != std::string::npos) line = line.substr(colon + 2);
  }
  return line;
}

}  // namespace

Config parse_config(std::string_view text, const std::string& name) {
  Config config;
  config.file = name;
  check_toml_text(text, name);  // UTF-8, size and nesting, before toml11 sees it (toml_limits.hpp)
  toml::value root;
  try {
    std::istringstream in{std::string(text)};
    root = toml::parse(in, name);
  } catch (const toml::exception& e) {
    throw Error(name + ":" + std::to_string(e.location().line()) +
                ": invalid TOML: " + first_line_of_toml_error(e.what()));
  } catch (const std::exception& e) {
    throw Error(name + ": invalid TOML: " + first_line_of_toml_error(e.what()));
  }

  Problems problems(name);
  Warnings warnings;
  TableReader r(root, problems, "");
  std::string ignored;
  r.string("title", ignored);
  r.string("description", ignored);
  r.string("minVersion", ignored);
  r.string("betterleaksMinVersion", ignored);
  r.unsupported("prefilter", "betterleaks expressions are not evaluated; use [[allowlists]] paths", warnings);
  r.unsupported("filter", "betterleaks expressions are not evaluated; use [[allowlists]]", warnings);
  if (const toml::value* extend = r.table("extend")) read_extend(*extend, problems, config);
  if (const toml::value* confidence = r.table("confidence"))
    read_confidence_table(*confidence, problems, config);
  if (const toml::value* decode = r.table("decode")) read_decode(*decode, problems, config);
  if (const toml::value* archive = r.table("archive")) read_archive(*archive, problems, config);
  if (const toml::value* redact = r.table("redact")) {
    // keygate extension: the JSON fields `keygate redact` blanks (replacing its default list).
    TableReader fields(*redact, problems, "[redact]: ");
    fields.strings("fields", config.redact_fields);
    for (std::string& f : config.redact_fields) f = lowered(f);
    fields.finish();
  }
  for (const toml::value* t : r.tables("rules", false)) {
    config.rules.push_back(read_rule(*t, problems, name, warnings));
  }
  for (const toml::value* t : r.tables("allowlist", true)) {
    config.allowlists.push_back(read_allowlist(*t, problems, "", true));
  }
  for (const toml::value* t : r.tables("allowlists", false)) {
    config.allowlists.push_back(read_allowlist(*t, problems, "", true));
  }
  r.finish();

  std::set<std::string> seen;
  for (const RuleSpec& rule : config.rules) {
    if (!rule.id.empty() && !seen.insert(rule.id).second) {
      problems.add(rule.line, rule_prefix(rule.id) + "duplicate rule id");
    }
  }
  problems.throw_if_any();
  config.warnings = warnings.lines(name);
  return config;
}

Config load_config_file(const std::string& path) { return parse_config(load_file(path), path); }

void merge_archive(ArchiveSpec& base, const ArchiveSpec& overlay) {
  if (overlay.max_depth) base.max_depth = overlay.max_depth;
  if (overlay.max_expanded_bytes) base.max_expanded_bytes = overlay.max_expanded_bytes;
  if (overlay.max_ratio) base.max_ratio = overlay.max_ratio;
  if (overlay.max_entries) base.max_entries = overlay.max_entries;
  if (overlay.max_path_length) base.max_path_length = overlay.max_path_length;
  if (overlay.unreadable) base.unreadable = overlay.unreadable;
  if (overlay.line != 0) base.line = overlay.line;
}

Config merge_configs(Config base, const Config& overlay) {
  for (const RuleSpec& rule : overlay.rules) {
    auto same = std::find_if(base.rules.begin(), base.rules.end(),
                             [&](const RuleSpec& r) { return r.id == rule.id; });
    if (same != base.rules.end()) {
      *same = rule;
    } else {
      base.rules.push_back(rule);
    }
  }
  const std::set<std::string> disabled(overlay.disabled_rules.begin(), overlay.disabled_rules.end());
  base.rules.erase(std::remove_if(base.rules.begin(), base.rules.end(),
                                  [&](const RuleSpec& r) { return disabled.count(r.id) != 0; }),
                   base.rules.end());
  base.allowlists.insert(base.allowlists.end(), overlay.allowlists.begin(), overlay.allowlists.end());
  if (overlay.demote_paths) base.demote_paths = overlay.demote_paths;
  if (overlay.min_confidence) base.min_confidence = overlay.min_confidence;
  if (!overlay.redact_fields.empty()) base.redact_fields = overlay.redact_fields;
  for (const std::string& pack : overlay.packs) {
    if (std::find(base.packs.begin(), base.packs.end(), pack) == base.packs.end()) base.packs.push_back(pack);
  }
  base.warnings.insert(base.warnings.end(), overlay.warnings.begin(), overlay.warnings.end());
  if (overlay.decode_max_depth) base.decode_max_depth = overlay.decode_max_depth;
  merge_archive(base.archive, overlay.archive);
  base.file = overlay.file;
  base.builtin = false;
  base.use_default.reset();
  base.extend_path.clear();
  base.disabled_rules.clear();
  return base;
}

}  // namespace keygate
