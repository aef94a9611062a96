// This file implements `keygate verify` (see one_key.hpp): one key, or the keys of a text, checked without
// a scan; it shares the verifiers, retries and redaction of the --verify stage (verify.cpp).
#include "verify/one_key.hpp"

#include <fmt/core.h>

#include <set>

#include "core/error.hpp"
#include "detect/matcher.hpp"
#include "report/report.hpp"
#include "rules/rules.hpp"
#include "util/file_io.hpp"
#include "util/json_walk.hpp"
#include "util/utf8.hpp"

namespace keygate {
namespace {

constexpr std::size_t kMaxInput = 1 << 20;

std::string trimmed(const std::string& text) {
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

}  // namespace

std::string read_key_input(std::FILE* in, const std::string& where) {
  std::string text;
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, in)) > 0;) {
    text.append(buffer, n);
    if (text.size() > kMaxInput) throw Error(where + ": more than 1 MiB; give the keys, not a whole tree");
  }
  if (std::ferror(in)) throw Error(where + ": cannot read");
  return text;
}

std::vector<KeyInput> keys_in_text(const RuleSet& rules, const std::string& text, const std::string& rule_id,
                                   const std::string& where) {
  std::vector<KeyInput> keys;
  std::set<std::pair<std::string, std::string>> seen;
  if (!rule_id.empty()) {
    if (rules.find(rule_id) == nullptr)
      throw Error("--rule: no rule \"" + rule_id + "\" (see keygate rules)");
    for (std::size_t start = 0; start < text.size();) {
      const std::size_t end = std::min(text.find('\n', start), text.size());
      const std::string key = trimmed(text.substr(start, end - start));
      if (!key.empty() && seen.emplace(rule_id, key).second) keys.push_back({rule_id, key});
      start = end + 1;
    }
    if (keys.empty())
      throw Error(where + ": no key (give it on standard input: keygate verify --rule ID < FILE)");
    return keys;
  }
  for (const Finding& f : detect_in_text(rules, text, Origin{SourceKind::File, where, nullptr})) {
    if (seen.emplace(f.rule_id, f.secret).second) keys.push_back({f.rule_id, f.secret});
  }
  if (keys.empty()) throw Error(where + ": no key found (name its rule with --rule ID)");
  return keys;
}

std::vector<KeyInput> keys_in_report(const std::string& path) {
  const std::string text = load_file(path, "report");
  // A report is an array of finding objects; "rule" and "secret" are members of each.
  std::vector<KeyInput> keys;
  std::set<std::pair<std::string, std::string>> seen;
  KeyInput key;
  bool redacted_seen = false;
  const bool valid = walk_json(text, [&](const JsonValue& v) {
    if (v.depth == 2 && text[v.begin] == '"' && (v.key == "rule" || v.key == "secret")) {
      (v.key == "rule" ? key.rule_id : key.secret) = json_string(text, v);
    } else if (v.depth == 1) {
      if (!key.rule_id.empty() && !key.secret.empty()) {
        if (key.secret.find("…") != std::string::npos) {
          redacted_seen = true;
        } else if (seen.emplace(key.rule_id, key.secret).second) {
          keys.push_back(key);
        }
      }
      key = {};
    }
  });
  if (!valid || text.find_first_not_of(" \t\r\n") == std::string::npos ||
      text[text.find_first_not_of(" \t\r\n")] != '[')
    throw Error(path + ": not a keygate JSON report (keygate scan --format json)");
  if (keys.empty() && redacted_seen)
    throw Error(path + ": the secrets in it are redacted; write it with --show-secrets");
  return keys;
}

int verify_keys(const RuleSet& rules, const std::vector<KeyInput>& keys, const VerifySettings& settings,
                KeyFormat format, std::FILE* out) {
  std::vector<VerifyJob> jobs;
  std::vector<std::size_t> job_of(keys.size(), SIZE_MAX);
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const Rule* rule = rules.find(keys[i].rule_id);
    // A repository's own verifier could send the key anywhere (see verify_findings): not used.
    if (rule == nullptr || !rule->spec().verify || rule->spec().from_repository) continue;
    job_of[i] = jobs.size();
    jobs.push_back({keys[i].rule_id, keys[i].secret, &*rule->spec().verify});
  }
  const std::vector<Verdict> verdicts = verify_secrets(jobs, settings);
  int status = 0;
  if (format == KeyFormat::Json) fmt::print(out, "[");
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const Verdict none{Liveness::Unknown, "no verifier for this rule", 0, {}};
    const Verdict& v = job_of[i] == SIZE_MAX ? none : verdicts[job_of[i]];
    if (v.liveness == Liveness::Live) status = 1;
    if (v.liveness == Liveness::Unknown && status == 0) status = 2;
    Finding shown;
    shown.identity = v.identity;
    if (format == KeyFormat::Json) {
      fmt::print(out, "{}\n  {{\"rule\": {}, \"secret\": {}, \"verification\": {}", i == 0 ? "" : ",",
                 json_string(keys[i].rule_id), json_string(redacted(keys[i].secret)),
                 json_string(to_string(v)));
      if (!v.identity.empty()) fmt::print(out, ", \"identity\": {}", identity_json(shown));
      fmt::print(out, "}}");
    } else {
      fmt::print(out, "{} {}: {}\n", escape_control(keys[i].rule_id),
                 escape_control(redacted(keys[i].secret)), to_string(v));
      if (!v.identity.empty()) fmt::print(out, "    identity     {}\n", identity_text(shown));
    }
  }
  if (format == KeyFormat::Json) fmt::print(out, "{}]\n", keys.empty() ? "" : "\n");
  return status;
}

}  // namespace keygate
