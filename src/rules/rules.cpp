// This file implements Config -> RuleSet (see rules.hpp). RE2 errors are converted here into one-line
// "file:line: rule "x": ..." messages.
#include "rules/rules.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <unordered_map>

#include "core/error.hpp"
#include "detect/decode.hpp"
#include "detect/generic.hpp"
#include "rules/provider_prefixes.hpp"
#include "util/ascii.hpp"
#include "util/trace.hpp"

namespace keygate {
namespace {

// Per-regex memory budget. RE2 falls back to slower (still linear) matching when a DFA exceeds it; a
// pattern whose program alone does not fit is rejected with "pattern too large".
constexpr int64_t kRegexMaxMem = 64 << 20;

// Per-thread regex copies kept at most (Rule::regex): more than the largest rule set (gitleaks' has 222).
constexpr std::size_t kMaxRegexCopiesPerThread = 1024;

std::string place(const RuleSpec& rule, int line = 0) {
  return rule.file + ":" + std::to_string(line > 0 ? line : rule.line) + ": rule \"" + rule.id + "\": ";
}

// Which of its patterns compile_rule makes.
enum class Make {
  Objects,  // compiles every pattern into the rule's objects
  Checks,   // checks every pattern as RE2 would (check_regex) and makes nothing
};

// Compiles `pattern` into `compiled` (Make::Objects) or only checks it (Make::Checks: compiled stays null).
// Returns false and sets *error when RE2 rejects it.
bool make_regex(const std::string& pattern, Make make, std::unique_ptr<const RE2>& compiled,
                std::string* error) {
  if (make == Make::Checks) return check_regex(pattern, error);
  compiled = compile_regex(pattern, error);
  return compiled != nullptr;
}

// One allowlist, a rule's or a global one, as the matcher uses it (in Checks mode: its regexes checked,
// none compiled). Appends one message per invalid regex to `problems`, each starting with `where`
// ("file:line: rule \"x\": allowlist: ").
CompiledAllowlist compile_allowlist(const AllowlistSpec& a, Make make, const std::string& where,
                                    std::vector<std::string>& problems) {
  CompiledAllowlist compiled;
  compiled.condition = a.condition;
  compiled.regex_target = a.regex_target;
  compiled.stopwords = a.stopwords;
  compiled.commits = a.commits;
  compiled.target_rules = a.target_rules;
  std::string error;
  for (const std::string& r : a.regexes) {
    compiled.regexes.emplace_back();
    if (!make_regex(r, make, compiled.regexes.back(), &error)) {
      problems.push_back(where + "invalid regex: " + error);
    }
  }
  for (const std::string& p : a.paths) {
    compiled.paths.emplace_back();
    if (!make_regex(p, make, compiled.paths.back(), &error)) {
      problems.push_back(where + "invalid path regex: " + error);
    }
  }
  return compiled;
}

// Compiles (or checks) every regex of `spec`, appending one message per invalid regex to `problems`.
void compile_rule(const RuleSpec& spec, Make make, std::unique_ptr<const RegexSearch>& regex,
                  std::unique_ptr<const RE2>& path, std::vector<CompiledAllowlist>& allowlists,
                  std::vector<std::string>& problems) {
  std::string error;
  if (!spec.regex.empty()) {
    std::unique_ptr<const RegexSearch> search;
    bool ok = true;
    if (make == Make::Checks && spec.secret_group == 0) {
      ok = check_regex(spec.regex, &error);
    } else {
      search = RegexSearch::compile(spec.regex, &error);
      ok = search != nullptr;
    }
    if (!ok) {
      problems.push_back(place(spec, spec.regex_line) + "invalid regex: " + error);
    } else if (search && spec.secret_group > search->groups()) {
      problems.push_back(place(spec) + "secretGroup " + std::to_string(spec.secret_group) +
                         " but the regex has " + std::to_string(search->groups()) + " capture group(s)");
    }
    if (make == Make::Objects) regex = std::move(search);
  }
  if (!spec.path.empty() && !make_regex(spec.path, make, path, &error)) {
    problems.push_back(place(spec) + "invalid path regex: " + error);
  }
  allowlists.clear();
  for (const AllowlistSpec& a : spec.allowlists) {
    CompiledAllowlist compiled = compile_allowlist(a, make, place(spec) + "allowlist: ", problems);
    if (make == Make::Objects) allowlists.push_back(std::move(compiled));
  }
}

std::string join_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& l : lines) {
    if (!out.empty()) out += '\n';
    out += l;
  }
  return out;
}

}  // namespace

RE2::Options regex_options() {
  RE2::Options options;
  options.set_encoding(RE2::Options::EncodingLatin1);
  options.set_log_errors(false);
  options.set_max_mem(kRegexMaxMem);
  return options;
}

std::unique_ptr<const RE2> compile_regex(const std::string& pattern, std::string* error) {
  auto re = std::make_unique<const RE2>(pattern, regex_options());
  if (!re->ok()) {
    *error = re->error();
    if (!re->error_arg().empty() && re->error().find(re->error_arg()) == std::string::npos) {
      *error += ": " + re->error_arg();
    }
    return nullptr;
  }
  return re;
}

namespace {

// `atom` without its negated classes that name \s or \n among the bytes they exclude ("[^\s:@/]*", the
// user name of a URL, stays on its line), so that the line-crossing checks below do not see their \s.
// Any other negated class is kept: it may match a line break.
std::string without_line_bound_classes(std::string_view atom) {
  std::string out;
  std::size_t copied = 0;
  for (std::size_t at = atom.find("[^"); at != std::string_view::npos; at = atom.find("[^", at + 2)) {
    std::size_t backslashes = 0;
    while (backslashes < at && atom[at - 1 - backslashes] == '\\') ++backslashes;
    if (backslashes % 2 == 1 || at < copied) continue;  // an escaped bracket, or inside a class removed
    bool excludes_newline = false;
    std::size_t i = at + 2;
    if (i < atom.size() && atom[i] == ']') ++i;  // a leading ] is a member
    for (; i < atom.size() && atom[i] != ']'; ++i) {
      if (atom[i] == '[') return std::string(atom);  // [:alpha:] and the like: not parsed here
      if (atom[i] == '\\' && i + 1 < atom.size()) {
        ++i;
        if (atom[i] == 's' || atom[i] == 'n') excludes_newline = true;
      }
    }
    if (!excludes_newline || i >= atom.size()) continue;
    out.append(atom.substr(copied, at - copied));
    copied = i + 1;
  }
  out.append(atom.substr(copied));
  return out;
}

}  // namespace

bool regex_may_span_lines(std::string_view p) {
  // (?s), (?is), (?s:...) and the like make . match a line break.
  bool dot_all = false;
  for (std::size_t at = p.find("(?"); at != std::string_view::npos && !dot_all; at = p.find("(?", at + 2)) {
    for (std::size_t k = at + 2; k < p.size() && is_alpha(p[k]); ++k) {
      if (p[k] == 's') dot_all = true;
    }
  }
  auto crosses_lines = [&](std::string_view whole_atom) {
    const std::string kept = without_line_bound_classes(whole_atom);
    const std::string_view atom = kept;
    if (atom.find("\\s") != std::string_view::npos || atom.find("\\n") != std::string_view::npos ||
        atom.find("\\r") != std::string_view::npos || atom.find("[^") != std::string_view::npos ||
        atom.find("\\W") != std::string_view::npos || atom.find("\\D") != std::string_view::npos ||
        atom.find("\\x0") != std::string_view::npos || atom.find("\\pZ") != std::string_view::npos) {
      return true;
    }
    return dot_all && atom.find('.') != std::string_view::npos;
  };
  std::size_t i = 0;
  while (i < p.size()) {
    // The next atom: an escape, a class, a group (with everything in it) or one character.
    const std::size_t start = i;
    if (p[i] == '\\') {
      i += 2;
    } else if (p[i] == '[') {
      ++i;
      if (i < p.size() && p[i] == '^') ++i;
      if (i < p.size() && p[i] == ']') ++i;
      while (i < p.size() && p[i] != ']') {
        const std::size_t posix_end =
            p[i] == '[' && i + 1 < p.size() && p[i + 1] == ':' ? p.find(":]", i) : 0;
        i = posix_end > 0 && posix_end != std::string_view::npos ? posix_end + 2 : i + (p[i] == '\\' ? 2 : 1);
      }
      ++i;
    } else if (p[i] == '(') {
      int depth = 0;
      do {
        if (p[i] == '\\') {
          ++i;
        } else if (p[i] == '[') {
          while (i + 1 < p.size() && p[i + 1] != ']') i += p[i + 1] == '\\' ? 2 : 1;
        } else if (p[i] == '(') {
          ++depth;
        } else if (p[i] == ')') {
          --depth;
        }
        ++i;
      } while (i < p.size() && depth > 0);
      // A group's own contents are checked too: a repeated atom inside it may cross lines by itself.
      const std::string_view inner = p.substr(start + 1, i - start - 2 < p.size() ? i - start - 2 : 0);
      if (regex_may_span_lines(inner)) return true;
    } else {
      ++i;
    }
    i = std::min(i, p.size());
    const std::string_view atom = p.substr(start, i - start);
    if (i >= p.size()) break;
    const char q = p[i];
    // "Unbounded" here: *, +, {n,}, or {n,m} with m of 8 or more (such as (?s:.){0,200}).
    bool unbounded = q == '*' || q == '+';
    if (q == '{') {
      const std::size_t close = p.find('}', i);
      if (close != std::string_view::npos) {
        const std::string_view bounds = p.substr(i + 1, close - i - 1);
        const std::size_t comma = bounds.find(',');
        if (comma != std::string_view::npos) {
          const std::string_view upper = bounds.substr(comma + 1);
          unbounded = upper.empty() || upper.size() > 1 || upper[0] >= '8';
        }
      }
    }
    if (unbounded && crosses_lines(atom)) return true;
  }
  return false;
}

// parse_config refused unknown check names, with their place.
static Validator validator_of(std::string_view name) {
  bool known = true;
  return validator_named(name, &known);
}

Rule::Rule(const RuleSpec& spec)
    : spec_(spec),
      generic_(spec_.id.rfind("generic", 0) == 0 ||
               std::find(spec_.tags.begin(), spec_.tags.end(), "generic") != spec_.tags.end()),
      builtin_(spec_.file == kBuiltInConfigName),
      path_only_(spec_.regex.empty() && spec_.detector.empty() && !spec_.path.empty()),
      validator_(validator_of(spec_.validator)) {
  static std::atomic<std::uint64_t> next_serial{0};
  serial_ = next_serial++;
}

bool Rule::spans_lines() const {
  signed char known = spans_lines_.load(std::memory_order_relaxed);
  if (known < 0) {
    known = regex_may_span_lines(spec_.regex) ? 1 : 0;
    spans_lines_.store(known, std::memory_order_relaxed);
  }
  return known != 0;
}

const HitGate* Rule::hit_gate() const {
  std::call_once(gate_once_, [this] {
    if (spec_.detector.empty()) gate_ = HitGate::of(spec_.regex, spec_.keywords);
  });
  return gate_ ? &*gate_ : nullptr;
}

namespace {

// A thread's own copies of one rule's regex and search (Rule::regex, Rule::search), each made on first use.
struct ThreadCopy {
  std::unique_ptr<const RE2> regex;
  std::unique_ptr<const RegexSearch> search;
  int shared_uses = 0;  // searches made with the owner's RegexSearch so far
};

// Keyed by the rule's serial, so a copy never outlives its meaning; bounded, because copies of the rules of
// RuleSets that are gone are never looked up again. Starting over is safe: no caller keeps a pointer
// across another call to regex() or search() on the same thread (see process.hpp).
ThreadCopy& thread_copy(std::uint64_t serial) {
  thread_local std::unordered_map<std::uint64_t, ThreadCopy> copies;
  if (copies.size() >= kMaxRegexCopiesPerThread && copies.count(serial) == 0) copies.clear();
  return copies[serial];
}

// A thread searches with the owner's RegexSearch this many times before it compiles its own: contention on
// RE2's DFA lock costs only where a rule runs often, and most rules of a large set run a few times or never
// (gitleaks' 222 rules: copying each one a thread met cost 20 ms of compiling).
constexpr int kSharedSearches = 64;

}  // namespace

const RE2* Rule::regex() const {
  if (!search_) return nullptr;
  if (std::this_thread::get_id() == owner_) {
    if (search_->whole() != nullptr) return search_->whole();
    if (!regex_) {
      std::string ignored;  // the pattern is valid (compiled() checked it)
      regex_ = compile_regex(spec_.regex, &ignored);
    }
    return regex_.get();
  }
  ThreadCopy& copy = thread_copy(serial_);
  if (!copy.regex) {
    std::string ignored;
    copy.regex = compile_regex(spec_.regex, &ignored);
  }
  return copy.regex.get();
}

const RegexSearch& Rule::search() const {
  if (std::this_thread::get_id() == owner_) return *search_;
  ThreadCopy& copy = thread_copy(serial_);
  if (copy.search) return *copy.search;
  if (++copy.shared_uses <= kSharedSearches) return *search_;  // RE2 objects are thread-safe
  std::string ignored;                                         // the pattern is valid (compiled() checked it)
  copy.search = RegexSearch::compile(spec_.regex, &ignored);
  return *copy.search;
}

void Rule::check(std::vector<std::string>& problems) const {
  std::unique_ptr<const RegexSearch> no_search;
  std::unique_ptr<const RE2> no_path;
  std::vector<CompiledAllowlist> no_allowlists;
  compile_rule(spec_, Make::Checks, no_search, no_path, no_allowlists, problems);
}

const Rule& Rule::compiled() const {
  // Errors are kept and thrown after call_once returns: an exception unwinding through pthread_once
  // aborts when the C++ runtime is linked statically.
  std::call_once(once_, [this] {
    owner_ = std::this_thread::get_id();
    std::vector<std::string> problems;
    const auto start = std::chrono::steady_clock::now();
    compile_rule(spec_, Make::Objects, search_, path_, allowlists_, problems);
    compile_error_ = join_lines(problems);
    if (trace_enabled()) {
      trace_note("compiled rule %s in %.3f ms", spec_.id.c_str(),
                 std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    }
  });
  if (!compile_error_.empty()) throw Error(compile_error_);
  return *this;
}

bool Rule::applies_to(std::string_view path) const {
  if (spec_.path.empty()) return true;
  std::call_once(path_gate_once_, [this] {
    std::string error;
    if (!make_regex(spec_.path, Make::Objects, path_gate_, &error))
      path_gate_error_ = place(spec_) + "invalid path regex: " + error;
  });
  if (!path_gate_error_.empty()) throw Error(path_gate_error_);
  return RE2::PartialMatch(re2::StringPiece(path.data(), path.size()), *path_gate_);
}

void validate_config(const Config& config) { RuleSet(config).compile(Compile::AllRules); }

RuleSet::RuleSet(std::shared_ptr<const Config> config, const RuleOptions& options,
                 const KeywordIndex* prebuilt)
    : config_(std::move(config)),
      demote_paths_(config_->demote_paths ? &*config_->demote_paths : &default_demote_paths()),
      max_decode_depth_(
          options.max_decode_depth.value_or(config_->decode_max_depth.value_or(kDefaultDecodeDepth))),
      explain_(options.explain) {
  const Config& c = *config_;
  if (c.rules.empty()) throw Error(c.file + ": no rules: keygate would find nothing");
  for (std::size_t i = 0; i < c.rules.size(); ++i) {
    rules_.push_back(std::make_unique<Rule>(c.rules[i]));  // refers to *config_, which never changes
    if (rules_.back()->path_only()) {
      path_only_.push_back(i);
    } else if (c.rules[i].keywords.empty()) {
      unconditional_.push_back(i);
    }
  }
  if (prebuilt != nullptr) {
    keywords_ = prebuilt;
  } else {
    std::vector<std::vector<std::string>> keywords;
    for (const RuleSpec& rule : c.rules) keywords.push_back(rule.keywords);
    own_keywords_ = KeywordIndex(keywords);
  }
  for (const AllowlistSpec& a : c.allowlists) globals_.emplace_back(a);
}

bool RuleSet::keep(std::uint32_t rule, std::string_view text, std::size_t end) const {
  const RuleSpec& spec = rules_[rule]->spec();
  if (!spec.detector.empty()) return detector_hit_opens(text, end);
  const HitGate* gate = rules_[rule]->hit_gate();
  return gate == nullptr || gate->admits(text, end);
}

const CompiledAllowlist& RuleSet::compiled_global(LazyAllowlist& g) const {
  std::call_once(g.once, [&] {
    std::vector<std::string> problems;
    g.compiled =
        compile_allowlist(*g.spec, Make::Objects,
                          config_->file + ":" + std::to_string(g.spec->line) + ": allowlist: ", problems);
    g.error = join_lines(problems);
  });
  if (!g.error.empty()) throw Error(g.error);
  return g.compiled;
}

std::vector<const CompiledAllowlist*> RuleSet::global_allowlists(const std::string& rule_id) const {
  std::vector<const CompiledAllowlist*> out;
  for (LazyAllowlist& g : globals_) {
    const auto& targets = g.spec->target_rules;
    if (targets.empty() || std::find(targets.begin(), targets.end(), rule_id) != targets.end()) {
      out.push_back(&compiled_global(g));
    }
  }
  return out;
}

void RuleSet::compile(Compile which) const {
  std::vector<std::string> problems;
  for (const auto& rule : rules_) {
    if (which == Compile::UserRules) {
      if (!rule->builtin()) rule->check(problems);
      continue;
    }
    try {
      rule->compiled();
    } catch (const Error& e) {
      problems.push_back(e.what());
    }
  }
  for (LazyAllowlist& g : globals_) {
    if (which == Compile::UserRules) {
      // The built-in allowlists were validated when keygate was built; another file's are checked.
      if (config_->file != kBuiltInConfigName) {
        compile_allowlist(*g.spec, Make::Checks,
                          config_->file + ":" + std::to_string(g.spec->line) + ": allowlist: ", problems);
      }
      continue;
    }
    try {
      compiled_global(g);
    } catch (const Error& e) {
      problems.push_back(e.what());
    }
  }
  if (!problems.empty()) throw Error(join_lines(problems));
}

const std::vector<std::string>& RuleSet::provider_prefixes() const {
  std::call_once(prefixes_once_, [&] { provider_prefixes_ = keygate::provider_prefixes(rules_); });
  return provider_prefixes_;
}

const Rule* RuleSet::find(const std::string& id) const {
  for (const auto& r : rules_) {
    if (r->spec().id == id) return r.get();
  }
  return nullptr;
}

}  // namespace keygate
