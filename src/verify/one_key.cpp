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
#include "verify/aws.hpp"
#include "verify/google.hpp"

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
  const bool aws_rule = rule_id == kAwsKeyIdRule || rule_id == kAwsSecretRule;
  if (aws_rule || rule_id.empty()) {
    for (AwsCredentials& c : aws_credentials_in_text(text)) {
      if (seen.emplace(kAwsKeyIdRule, c.key_id).second)
        keys.push_back({std::string(kAwsKeyIdRule), c.key_id, c.secret, c.session_token});
    }
  }
  // A service-account key file: the whole text is the key (verify/google.hpp).
  if (rule_id.empty() || rule_id == kGoogleServiceAccountRule) {
    if (const std::optional<ServiceAccountKey> key = service_account_in_json(text))
      return {{std::string(kGoogleServiceAccountRule), key->private_key_id, text, ""}};
    if (!rule_id.empty())
      throw Error(where +
                  ": not a service-account key file (give the whole JSON file: keygate verify < KEY.json)");
  }
  if (aws_rule) {
    if (keys.empty())
      throw Error(where +
                  ": no AWS key id with its secret (give ID:SECRET, or the id and the secret on two lines)");
    return keys;
  }
  if (!rule_id.empty()) {
    if (rules.find(rule_id) == nullptr)
      throw Error("--rule: no rule \"" + rule_id + "\" (see keygate rules)");
    for (std::size_t start = 0; start < text.size();) {
      const std::size_t end = std::min(text.find('\n', start), text.size());
      const std::string key = trimmed(text.substr(start, end - start));
      if (!key.empty() && seen.emplace(rule_id, key).second) keys.push_back({rule_id, key, "", ""});
      start = end + 1;
    }
    if (keys.empty())
      throw Error(where + ": no key (give it on standard input: keygate verify --rule ID < FILE)");
    return keys;
  }
  const std::vector<Finding> found = detect_in_text(rules, text, Origin{SourceKind::File, where, nullptr});
  const std::vector<std::size_t> partner = pair_aws_findings(found);
  for (std::size_t i = 0; i < found.size(); ++i) {
    const Finding& f = found[i];
    if (f.rule_id == kAwsKeyIdRule && partner[i] != SIZE_MAX) {
      if (seen.emplace(f.rule_id, f.secret).second)
        keys.push_back({f.rule_id, f.secret, found[partner[i]].secret, ""});
    } else if (partner[i] != SIZE_MAX || seen.count({std::string(kAwsKeyIdRule), f.secret}) > 0) {
      continue;  // a secret access key, verified with its id; or an id given with its secret above
    } else if (seen.emplace(f.rule_id, f.secret).second) {
      keys.push_back({f.rule_id, f.secret, "", ""});
    }
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
    if (!keys[i].partner.empty()) {  // a built-in verifier: an AWS pair (aws.hpp) or a key file (google.hpp)
      job_of[i] = jobs.size();
      const VerifierKind kind = keys[i].rule_id == kGoogleServiceAccountRule
                                    ? VerifierKind::GoogleServiceAccount
                                    : VerifierKind::AwsSts;
      jobs.push_back(
          {keys[i].rule_id, keys[i].secret, nullptr, kind, keys[i].partner, keys[i].session_token});
      continue;
    }
    const Rule* rule = rules.find(keys[i].rule_id);
    // A repository's own verifier could send the key anywhere (see verify_findings): not used.
    if (rule == nullptr || !rule->spec().verify || rule->spec().from_repository) continue;
    job_of[i] = jobs.size();
    jobs.push_back({keys[i].rule_id, keys[i].secret, &*rule->spec().verify, VerifierKind::Declared, "", ""});
  }
  const std::vector<Verdict> verdicts = verify_secrets(jobs, settings);
  int status = 0;
  if (format == KeyFormat::Json) fmt::print(out, "[");
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const bool aws = keys[i].rule_id == kAwsKeyIdRule || keys[i].rule_id == kAwsSecretRule;
    const Verdict none{
        Liveness::Unknown,
        aws ? "an AWS key is checked as ID:SECRET (both on one line, or on two lines)"
        : keys[i].rule_id == kGoogleServiceAccountRule
            ? "a service-account key is checked from its whole key file (keygate verify < KEY.json)"
            : "no verifier for this rule",
        0,
        {}};
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
