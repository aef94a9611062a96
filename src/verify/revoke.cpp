// This file implements `keygate revoke` (see revoke.hpp): the table of revocation APIs and manual steps,
// the confirmation, and one request per key through the verifier's request builder (verify.hpp).
#include "verify/revoke.hpp"

#include <fmt/core.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string_view>

#include "core/error.hpp"
#include "report/report.hpp"
#include "util/utf8.hpp"
#include "verify/identity.hpp"

namespace keygate {
namespace {

// A documented revocation API. The request is a VerifySpec: `live` lists the statuses that mean revoked,
// `dead` those that mean the key was not valid any more; its {base} follows KEYGATE_VERIFY_<PROVIDER>_URL.
struct Revoker {
  std::vector<std::string_view> rules;
  VerifySpec request;
  std::string_view live_if_pointer;  // with a 200, this JSON pointer must be true (Slack's "ok")
};

VerifySpec spec(std::string provider, std::string method, std::string base, std::string url,
                std::vector<std::pair<std::string, std::string>> headers, std::string body,
                std::vector<int> live, std::vector<int> dead) {
  VerifySpec s;
  s.provider = std::move(provider);
  s.method = std::move(method);
  s.base = std::move(base);
  s.url = std::move(url);
  s.headers = std::move(headers);
  s.body = std::move(body);
  s.live = std::move(live);
  s.dead = std::move(dead);
  return s;
}

const std::vector<Revoker>& revokers() {
  static const std::vector<Revoker> table = {
      // https://docs.github.com/en/rest/credentials/revoke: unauthenticated (an authenticated request gets
      // 403), 202 Accepted; the owner is notified. 60 requests an hour.
      {{"github-pat", "github-fine-grained-pat", "github-oauth-token", "github-refresh-token"},
       spec("github", "POST", "https://api.github.com", "{base}/credentials/revoke",
            {{"Accept", "application/vnd.github+json"},
             {"Content-Type", "application/json"},
             {"X-GitHub-Api-Version", "2022-11-28"}},
            R"({"credentials": ["{secret}"]})", {202}, {}),
       ""},
      // https://api.slack.com/methods/auth.revoke: {"ok": true, "revoked": true}.
      {{"slack-token"},
       spec("slack", "POST", "https://slack.com/api", "{base}/auth.revoke",
            {{"Authorization", "Bearer {secret}"}}, "", {200}, {401}),
       "/ok"},
      // https://docs.gitlab.com/api/personal_access_tokens/#self-revoke: 204 No Content.
      {{"gitlab-token", "gitlab-routable-token"},
       spec("gitlab", "DELETE", "https://gitlab.com", "{base}/api/v4/personal_access_tokens/self",
            {{"PRIVATE-TOKEN", "{secret}"}}, "", {204}, {401}),
       ""},
      // https://www.dropbox.com/developers/documentation/http/documentation#auth-token-revoke
      {{"dropbox-token"},
       spec("dropbox", "POST", "https://api.dropboxapi.com", "{base}/2/auth/token/revoke",
            {{"Authorization", "Bearer {secret}"}, {"Content-Type", "application/json"}}, "null", {200},
            {401}),
       ""},
      // https://developers.google.com/identity/protocols/oauth2/web-server#tokenrevoke
      {{"google-oauth-refresh-token"},
       spec("google-oauth", "POST", "https://oauth2.googleapis.com", "{base}/revoke?token={secret}",
            {{"Content-Type", "application/x-www-form-urlencoded"}}, "", {200}, {400}),
       ""},
  };
  return table;
}

const Revoker* revoker_of(const std::string& rule_id) {
  for (const Revoker& r : revokers()) {
    if (std::find(r.rules.begin(), r.rules.end(), rule_id) != r.rules.end()) return &r;
  }
  return nullptr;
}

struct Steps {
  std::string_view rule_prefix;
  std::string_view steps;
};

// Providers without a revocation API: where their keys are switched off, from each provider's docs.
constexpr Steps kSteps[] = {
    {"together-api-key",
     "Together has no revocation API. Open https://api.together.ai/settings/api-keys (the project's API keys "
     "settings; switch project if the key belongs to another one), find the key by the last four characters "
     "shown here, and delete it. The account's default user key cannot be deleted: regenerate it on the same "
     "page. Then put a new key where the old one was used, and check with `keygate verify --rule "
     "together-api-key` that the old one is dead."},
    {"openai-api-key",
     "Delete the key at https://platform.openai.com/settings/organization/api-keys (organisation keys) or on "
     "its project's API keys page; `keygate verify` shows its organisation."},
    {"anthropic-", "Delete the key at https://console.anthropic.com/settings/keys."},
    {"aws-",
     "In the IAM console (https://console.aws.amazon.com/iam/), find the access key id under the user's "
     "Security credentials, make it inactive, then delete it; check CloudTrail for its use."},
    {"stripe-",
     "Roll the key at https://dashboard.stripe.com/apikeys (live and test mode have separate keys)."},
    {"huggingface-", "Invalidate the token at https://huggingface.co/settings/tokens."},
    {"npm-", "Delete the token at https://www.npmjs.com/settings/~/tokens or with `npm token revoke ID`."},
    {"pypi-", "Delete the token at https://pypi.org/manage/account/token/."},
    {"sendgrid-", "Delete the key at https://app.sendgrid.com/settings/api_keys."},
    {"digitalocean-", "Delete the token at https://cloud.digitalocean.com/account/api/tokens."},
    {"heroku-",
     "Regenerate the API key at https://dashboard.heroku.com/account or revoke the authorization."},
    {"gcp-", "Delete the key in https://console.cloud.google.com/iam-admin/serviceaccounts (Keys tab)."},
    {"google-api-key", "Delete or restrict the key at https://console.cloud.google.com/apis/credentials."},
    {"groq-", "Delete the key at https://console.groq.com/keys."},
    {"mistral-", "Delete the key at https://console.mistral.ai/api-keys."},
    {"cohere-", "Delete the key at https://dashboard.cohere.com/api-keys."},
    {"replicate-", "Delete the token at https://replicate.com/account/api-tokens."},
    {"openrouter-", "Delete the key at https://openrouter.ai/settings/keys."},
    {"slack-", "Revoke it in the app's settings at https://api.slack.com/apps (OAuth & Permissions)."},
    {"discord-", "Reset the bot token in https://discord.com/developers/applications (Bot tab)."},
    {"telegram-", "Send /revoke to @BotFather for the bot."},
    {"twilio-", "Delete the key, or rotate the auth token, at https://console.twilio.com."},
};

}  // namespace

bool can_revoke(const std::string& rule_id) { return revoker_of(rule_id) != nullptr; }

std::string revocation_steps(const std::string& rule_id) {
  for (const Steps& s : kSteps) {
    if (rule_id.starts_with(s.rule_prefix)) return std::string(s.steps);
  }
  return "Revoke or rotate the key in the provider's dashboard, then replace it where it is used.";
}

namespace {

// Inside a git hook git sets these; a revocation must never be a side effect of a commit or a push.
bool inside_git_hook() {
  for (const char* name : {"GIT_INDEX_FILE", "GIT_DIR", "GIT_QUARANTINE_PATH", "GIT_PUSH_OPTION_COUNT"}) {
    if (std::getenv(name) != nullptr) return true;
  }
  return false;
}

// Asks the terminal for the word "revoke". False when there is no terminal or the answer differs.
bool confirmed_on_terminal(std::size_t count) {
  std::fstream tty("/dev/tty", std::ios::in | std::ios::out);
  if (!tty) return false;
  tty << "Revoke " << count << " key" << (count == 1 ? "" : "s")
      << " with the provider? This cannot be undone. Type revoke to go on: " << std::flush;
  std::string answer;
  std::getline(tty, answer);
  return answer == "revoke";
}

enum class Outcome { Revoked, AlreadyInvalid, Manual, Failed };

Outcome revoke_one(http::Client& client, const KeyInput& key, const VerifySettings& settings,
                   std::string& why) {
  const Revoker* r = revoker_of(key.rule_id);
  if (r == nullptr) return Outcome::Manual;
  std::optional<http::Request> request = make_request(r->request, r->request.url, key.secret, settings);
  if (!request) {
    why = "not sent: the URL must be https:// (plain http only to this machine)";
    return Outcome::Failed;
  }
  request->total_timeout_ms = std::lround(settings.timeout_seconds * 1000);
  const http::Response response = client.send(*request);
  if (response.failure != http::Failure::None) {
    why = redact_in(describe_failure(response), key.secret);
    return Outcome::Failed;
  }
  const auto in = [&](const std::vector<int>& list) {
    return std::find(list.begin(), list.end(), static_cast<int>(response.status)) != list.end();
  };
  if (in(r->request.live)) {
    if (r->live_if_pointer.empty()) return Outcome::Revoked;
    VerifySpec check;
    check.live_if = {{std::string(r->live_if_pointer), "true"}};
    if (live_if_holds(check, response.body) == true) return Outcome::Revoked;
    why = "HTTP " + std::to_string(response.status) + ", but the answer does not say revoked";
    return Outcome::Failed;
  }
  if (in(r->request.dead)) return Outcome::AlreadyInvalid;
  why = "HTTP " + std::to_string(response.status);
  return Outcome::Failed;
}

}  // namespace

int revoke_keys(const std::vector<KeyInput>& keys, const VerifySettings& settings, Confirmation confirmation,
                std::FILE* out) {
  if (inside_git_hook()) throw Error("revoke never runs inside a git hook; run it yourself after the commit");
  const std::size_t by_api =
      std::count_if(keys.begin(), keys.end(), [](const KeyInput& k) { return can_revoke(k.rule_id); });
  for (const KeyInput& k : keys) {
    fmt::print(out, "{} {}: {}\n", escape_control(k.rule_id), escape_control(redacted(k.secret)),
               can_revoke(k.rule_id) ? "revocation API" : "no revocation API (steps below)");
  }
  if (by_api > 0 && confirmation == Confirmation::Ask) {
    if (!confirmed_on_terminal(by_api)) {
      throw Error("revoke: not confirmed (type revoke on the terminal, or pass --yes); nothing was sent");
    }
  }
  int status = 0;
  std::unique_ptr<http::Client> client;
  for (const KeyInput& k : keys) {
    std::string why;
    Outcome outcome = Outcome::Manual;
    if (can_revoke(k.rule_id)) {
      if (!client) client = std::make_unique<http::Client>();
      outcome = revoke_one(*client, k, settings, why);
    }
    const std::string who = escape_control(k.rule_id) + " " + escape_control(redacted(k.secret));
    switch (outcome) {
      case Outcome::Revoked:
        fmt::print(out, "{}: revoked\n", who);
        break;
      case Outcome::AlreadyInvalid:
        fmt::print(out, "{}: not valid any more (nothing to revoke)\n", who);
        break;
      case Outcome::Manual:
        fmt::print(out, "{}: revoke it by hand: {}\n", who, revocation_steps(k.rule_id));
        status = std::max(status, 1);
        break;
      case Outcome::Failed:
        fmt::print(out, "{}: revocation failed: {}. {}\n", who, why, revocation_steps(k.rule_id));
        status = 2;
        break;
    }
  }
  return status;
}

}  // namespace keygate
