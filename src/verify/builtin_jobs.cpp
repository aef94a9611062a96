// This file implements the built-in verifiers' share of the verify stage (see builtin_jobs.hpp): pairing
// findings into jobs; the requests themselves are verify.cpp's.
#include "verify/builtin_jobs.hpp"

#include <map>
#include <utility>

#include "verify/aws.hpp"
#include "verify/google.hpp"

namespace keygate {
namespace {

// A finding's file as a place: the same file, inner path and commit.
std::string place_of(const Finding& f) {
  std::string place = f.file + '\0' + (f.commit ? f.commit->id : "");
  for (const std::string& inner : f.inner) place += '\0' + inner;
  return place;
}

// The session token of a temporary key id (ASIA…) at findings[id]: the nearest of the aws-session-token
// findings `tokens` (their indices) in the same place (the line below on a tie, as credentials files list
// id, secret, token); empty if none. Its index goes to `token_at`.
std::string session_token_for(const std::vector<Finding>& findings, const std::vector<std::size_t>& tokens,
                              std::size_t id, std::size_t& token_at) {
  token_at = SIZE_MAX;
  if (tokens.empty() || !findings[id].secret.starts_with("ASIA")) return "";
  const std::string place = place_of(findings[id]);
  auto distance = [&](std::size_t t) { return std::abs(findings[t].line - findings[id].line); };
  for (const std::size_t t : tokens) {
    if (place_of(findings[t]) != place) continue;
    if (token_at == SIZE_MAX || distance(t) < distance(token_at) ||
        (distance(t) == distance(token_at) && findings[t].line > findings[token_at].line))
      token_at = t;
  }
  return token_at == SIZE_MAX ? "" : findings[token_at].secret;
}

void plan_aws(const std::vector<Finding>& findings, JobPlan& plan) {
  const std::vector<std::size_t> partner = pair_aws_findings(findings);
  std::vector<std::size_t> tokens;  // the aws-session-token findings
  for (std::size_t t = 0; t < findings.size(); ++t) {
    if (findings[t].rule_id == kAwsSessionTokenRule) tokens.push_back(t);
  }
  std::map<std::pair<std::string, std::string>, std::size_t> job_of;
  for (std::size_t i = 0; i < findings.size(); ++i) {
    const bool is_id = findings[i].rule_id == kAwsKeyIdRule;
    if (partner[i] == SIZE_MAX) {
      if (is_id)
        plan.no_job[i] =
            "unknown: no secret access key beside it to sign with (keygate verify reads ID:SECRET)";
      if (findings[i].rule_id == kAwsSecretRule) plan.no_job[i] = "unknown: no access key id beside it";
      continue;
    }
    const Finding& id = is_id ? findings[i] : findings[partner[i]];
    const Finding& secret = is_id ? findings[partner[i]] : findings[i];
    std::size_t token_at = SIZE_MAX;
    std::string token = session_token_for(findings, tokens, is_id ? i : partner[i], token_at);
    const auto [it, added] = job_of.try_emplace({id.secret, secret.secret}, plan.jobs.size());
    if (added)
      plan.jobs.push_back({std::string(kAwsKeyIdRule), id.secret, nullptr, VerifierKind::AwsSts,
                           secret.secret, std::move(token)});
    plan.finding_job[i] = it->second;
    // The token is part of the same credentials: the same verdict.
    if (token_at != SIZE_MAX && plan.finding_job[token_at] == SIZE_MAX)
      plan.finding_job[token_at] = it->second;
  }
  for (const std::size_t t : tokens) {
    if (plan.finding_job[t] == SIZE_MAX)
      plan.no_job[t] = "unknown: no temporary key id (ASIA…) and secret access key beside it to sign with";
  }
}

void plan_google(const std::vector<Finding>& findings, JobPlan& plan) {
  std::map<std::string, std::size_t> job_of;  // private_key_id -> job
  std::map<std::string, std::size_t> job_in;  // place of the key file -> job
  for (std::size_t i = 0; i < findings.size(); ++i) {
    if (findings[i].rule_id != kGoogleServiceAccountRule) continue;
    std::optional<std::string> file = service_account_file(findings[i]);
    if (!file) {
      plan.no_job[i] =
          "unknown: the key file is not on disk to sign with (history, an archive, or changed since): check "
          "it with "
          "keygate verify < KEY.json";
      continue;
    }
    const auto [it, added] = job_of.try_emplace(findings[i].secret, plan.jobs.size());
    if (added) {
      plan.jobs.push_back({findings[i].rule_id, findings[i].secret, nullptr,
                           VerifierKind::GoogleServiceAccount, std::move(*file), ""});
    }
    plan.finding_job[i] = it->second;
    job_in.emplace(place_of(findings[i]), it->second);
  }
  // The key file's private key, found by a private-key rule, is the same key: the same verdict.
  for (std::size_t i = 0; i < findings.size() && !job_in.empty(); ++i) {
    if (findings[i].pointer != "/private_key" || plan.finding_job[i] != SIZE_MAX) continue;
    if (const auto it = job_in.find(place_of(findings[i])); it != job_in.end())
      plan.finding_job[i] = it->second;
  }
}

}  // namespace

void plan_builtin_jobs(const std::vector<Finding>& findings, JobPlan& plan) {
  plan_aws(findings, plan);
  plan_google(findings, plan);
}

}  // namespace keygate
