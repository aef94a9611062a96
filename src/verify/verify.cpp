// This file implements verification (see verify.hpp): request building from a rule's [rules.verify], the
// retry loop with backoff, the worker threads that bound requests in flight, and the stage over findings.
#include "verify/verify.hpp"

#include <fmt/core.h>

#include <atomic>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "core/error.hpp"
#include "rules/rules.hpp"
#include "verify/aws.hpp"
#include "verify/builtin_jobs.hpp"
#include "verify/google.hpp"
#include "verify/identity.hpp"

namespace keygate {
namespace {

using Clock = std::chrono::steady_clock;

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// True iff `s` is 0-255 in decimal, without leading zeros (which some parsers read as octal).
bool decimal_octet(std::string_view s) {
  if (s.empty() || s.size() > 3 || (s.size() > 1 && s[0] == '0')) return false;
  int v = 0;
  for (const char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  return v <= 255;
}

// True iff `host` (lower-cased) is this machine: localhost, 127.0.0.0/8 or [::1], exactly.
bool loopback_host(std::string_view host) {
  if (host == "localhost" || host == "[::1]") return true;
  int parts = 0;
  for (std::size_t start = 0;;) {
    const std::size_t dot = host.find('.', start);
    const std::string_view part = host.substr(start, dot == std::string_view::npos ? dot : dot - start);
    if (!decimal_octet(part) || (parts == 0 && part != "127")) return false;
    ++parts;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return parts == 4;
}

}  // namespace

bool url_may_carry_secret(std::string_view url) {
  const std::size_t colon = url.find("://");
  if (colon == std::string_view::npos) return false;
  std::string scheme(url.substr(0, colon));
  for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (scheme != "https" && scheme != "http") return false;
  const std::string_view rest = url.substr(colon + 3);
  const std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  for (const char c : authority) {
    // '@' is userinfo; a backslash is a path separator to some parsers and not to others; '%' would
    // encode the host; none of them belongs in the authority of a URL keygate sends a secret to.
    if (c == '@' || c == '\\' || c == '%' || static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return false;
  }
  std::string_view host = authority, port;
  if (!authority.empty() && authority[0] == '[') {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return false;
    host = authority.substr(0, close + 1);
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty() && after[0] != ':') return false;
    port = after.empty() ? after : after.substr(1);
    if (after.size() == 1) return false;  // "[::1]:" with no port
  } else if (const std::size_t p = authority.find(':'); p != std::string_view::npos) {
    host = authority.substr(0, p);
    port = authority.substr(p + 1);
    if (port.empty()) return false;
  }
  if (host.empty()) return false;
  if (!port.empty()) {
    if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string_view::npos) return false;
    const long n = std::stol(std::string(port));
    if (n < 1 || n > 65535) return false;
  }
  if (scheme == "https") return true;
  std::string lower(host);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return loopback_host(lower);
}

namespace {

// Parses "Sun, 06 Nov 1994 08:49:37 GMT" (RFC 9110's preferred date form) as a Unix time.
std::optional<std::time_t> parse_http_date(const std::string& text) {
  std::tm tm{};
  const char* end = ::strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (end == nullptr || *end != '\0') return std::nullopt;
  return ::timegm(&tm);
}

// Parses "12", "1.5", "250ms", "1m30s", "6m0s" as seconds; nullopt for anything else.
std::optional<double> parse_seconds(const std::string& text) {
  if (text.empty()) return std::nullopt;
  double total = 0;
  const char* p = text.c_str();
  while (*p != '\0') {
    char* end = nullptr;
    const double value = std::strtod(p, &end);
    if (end == p || !std::isfinite(value) || value < 0) return std::nullopt;
    p = end;
    if (*p == '\0') {
      total += value;
    } else if (starts_with(p, "ms")) {
      total += value / 1000, p += 2;
    } else if (*p == 's') {
      total += value, ++p;
    } else if (*p == 'm') {
      total += value * 60, ++p;
    } else if (*p == 'h') {
      total += value * 3600, ++p;
    } else {
      return std::nullopt;
    }
  }
  return total;
}

// Serialises log lines from the worker threads.
class Log {
 public:
  explicit Log(bool verbose) : verbose_(verbose) {}
  template <typename... Args>
  void say(fmt::format_string<Args...> format, Args&&... args) {
    if (!verbose_) return;
    const std::string line = fmt::format(format, std::forward<Args>(args)...);
    const std::lock_guard<std::mutex> lock(mutex_);
    fmt::print(stderr, "keygate: verify: {}\n", line);
  }

 private:
  bool verbose_;
  std::mutex mutex_;
};

}  // namespace

std::string describe_failure(const http::Response& r) {
  switch (r.failure) {
    case http::Failure::Timeout:
      return "timed out (" + r.error + ")";
    case http::Failure::Connect:
      return "cannot connect (" + r.error + ")";
    case http::Failure::Certificate:
      return "certificate rejected (" + r.error + ")";
    case http::Failure::Dropped:
      return "connection dropped (" + r.error + ")";
    default:
      return r.error;
  }
}

std::optional<http::Request> make_request(const VerifySpec& spec, const std::string& url_template,
                                          const std::string& secret, const VerifySettings& settings) {
  const std::string base = verify_base(spec.provider, spec.base);
  http::Request request;
  request.method = spec.method;
  request.url = expand_verify_template(url_template, base, secret);
  if (!url_may_carry_secret(request.url)) return std::nullopt;
  for (const auto& [name, value] : spec.headers) {
    request.headers.push_back(name + ": " + expand_verify_template(value, base, secret));
  }
  if (!spec.basic.empty())
    request.headers.push_back("Authorization: Basic " +
                              base64(expand_verify_template(spec.basic, base, secret)));
  request.body = expand_verify_template(spec.body, base, secret);
  set_transport(request, settings);
  return request;
}

std::string verify_base(const std::string& provider, std::string_view default_base) {
  const char* override_base = std::getenv(verify_url_variable(provider).c_str());
  std::string base =
      override_base != nullptr && *override_base != '\0' ? override_base : std::string(default_base);
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base;
}

void set_transport(http::Request& request, const VerifySettings& settings) {
  request.ca_file = settings.ca_file;
  if (request.ca_file.empty() && std::getenv("CURL_CA_BUNDLE") != nullptr)
    request.ca_file = std::getenv("CURL_CA_BUNDLE");
  request.connect_timeout_ms = std::lround(settings.connect_timeout_seconds * 1000);
}

namespace {

Verdict unknown(std::string why, int tries) { return Verdict{Liveness::Unknown, std::move(why), tries, {}}; }

bool contains(const std::vector<int>& statuses, long status) {
  return std::find(statuses.begin(), statuses.end(), static_cast<int>(status)) != statuses.end();
}

// Who the live key `job` belongs to: from `answer`, or from one more request when the verifier names an
// identity_url. A failed identity request leaves only what needs no answer (prefix: sources).
Identity ask_identity(http::Client& client, const VerifyJob& job, const http::Response& answer,
                      const VerifySettings& settings, Log& log) {
  const VerifySpec& spec = *job.spec;
  if (spec.identity.empty()) return {};
  if (spec.identity_url.empty()) return read_identity(spec, &answer, job.secret);
  std::optional<http::Request> request = make_request(spec, spec.identity_url, job.secret, settings);
  if (!request) return read_identity(spec, nullptr, job.secret);
  if (request->method == "HEAD") request->method = "GET";
  request->connect_timeout_ms =
      std::min(request->connect_timeout_ms, std::lround(settings.timeout_seconds * 1000));
  request->total_timeout_ms = std::lround(settings.timeout_seconds * 1000);
  const http::Response response = client.send(*request);
  log.say("{} {}: identity {}: {}", job.rule_id, redacted(job.secret), redact_in(request->url, job.secret),
          response.failure == http::Failure::None ? "HTTP " + std::to_string(response.status)
                                                  : redact_in(describe_failure(response), job.secret));
  const bool ok = response.failure == http::Failure::None && response.status >= 200 && response.status < 300;
  return read_identity(spec, ok ? &response : nullptr, job.secret);
}

// How one answer reads: a verdict, or nullopt to send the request again as for a rate limit.
using ReadAnswer = std::function<std::optional<Verdict>(const http::Response&, int tries)>;

// Sends `request` until `read` says live, dead or unknown, or retrying stops being sensible: 429 and 503
// (and what `read` calls a rate limit) are retried with backoff, timeouts and dropped connections at once.
Verdict send_until_answered(http::Client& client, http::Request request, const std::string& who,
                            const std::string& secret, const VerifySettings& settings,
                            const RetryPolicy& policy, std::mt19937_64& random, Log& log,
                            const ReadAnswer& read) {
  const std::string shown_url = redact_in(request.url, secret);
  const Clock::time_point start = Clock::now();
  int failures = 0;
  for (int tries = 1;; ++tries) {
    const double spent = std::chrono::duration<double>(Clock::now() - start).count();
    const double left = policy.budget_seconds - spent;
    request.total_timeout_ms = std::max(1L, std::lround(std::min(settings.timeout_seconds, left) * 1000));
    request.connect_timeout_ms = std::min(request.connect_timeout_ms, request.total_timeout_ms);
    const http::Response response = client.send(request);
    if (response.failure != http::Failure::None) {
      const std::string why = redact_in(describe_failure(response), secret);
      log.say("{}: {} {}: {}", who, request.method, shown_url, why);
      const bool transient =
          response.failure == http::Failure::Timeout || response.failure == http::Failure::Dropped;
      const double now_spent = std::chrono::duration<double>(Clock::now() - start).count();
      if (!transient || ++failures >= policy.max_failure_tries || tries >= policy.max_tries ||
          now_spent + settings.timeout_seconds > policy.budget_seconds) {
        return unknown(failures > 1 ? fmt::format("{}, {} tries", why, tries) : why, tries);
      }
      log.say("{}: try {} of {} at once", who, tries + 1, policy.max_failure_tries);
      continue;
    }
    log.say("{}: {} {}: HTTP {}", who, request.method, shown_url, response.status);
    const std::string status = "HTTP " + std::to_string(response.status);
    std::optional<Verdict> verdict;
    if (response.status != 429 && response.status != 503) {
      if (response.status >= 300 && response.status < 400)
        return unknown(status + " redirect, not followed", tries);
      verdict = read(response, tries);
      if (verdict) return *verdict;
    }
    if (tries >= policy.max_tries) {
      return unknown(fmt::format("rate limited ({}, {} tries)", status, tries), tries);
    }
    const std::optional<double> asked = server_retry_delay(response, std::chrono::system_clock::now());
    const double wait = asked ? *asked : backoff_delay(tries, policy, random);
    const double now_spent = std::chrono::duration<double>(Clock::now() - start).count();
    if (now_spent + wait > policy.budget_seconds) {
      return unknown(
          fmt::format("rate limited ({}; waiting {:.1f} s more would pass the {:.0f} s limit a key)", status,
                      wait, policy.budget_seconds),
          tries);
    }
    log.say("{}: {}, try {} of {} in {:.2f} s{}", who, status, tries + 1, policy.max_tries, wait,
            asked ? " (as the server asks)" : "");
    std::this_thread::sleep_for(std::chrono::duration<double>(wait));
  }
}

bool has_control_characters(const std::string& text) {
  for (const unsigned char c : text) {
    if (c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

// A declared verifier ([rules.verify]): its request, its live and dead statuses, live_if, identity.
Verdict verify_declared(http::Client& client, const VerifyJob& job, const VerifySettings& settings,
                        const RetryPolicy& policy, std::mt19937_64& random, Log& log) {
  const VerifySpec& spec = *job.spec;
  if (has_control_characters(job.secret)) return unknown("the secret has control characters; not sent", 0);
  std::optional<http::Request> made = make_request(spec, spec.url, job.secret, settings);
  if (!made) return unknown("not sent: the URL must be https:// (plain http only to this machine)", 0);
  const std::string who = job.rule_id + " " + redacted(job.secret);
  return send_until_answered(
      client, std::move(*made), who, job.secret, settings, policy, random, log,
      [&](const http::Response& response, int tries) -> std::optional<Verdict> {
        if (contains(spec.live, response.status)) {
          const std::optional<bool> holds = live_if_holds(spec, response.body);
          if (!holds)
            return unknown("HTTP " + std::to_string(response.status) + " with a malformed answer", tries);
          if (!*holds) return Verdict{Liveness::Dead, "", tries, {}};
          return Verdict{Liveness::Live, "", tries, ask_identity(client, job, response, settings, log)};
        }
        if (contains(spec.dead, response.status)) {
          if (dead_if_holds(spec, response.body)) return Verdict{Liveness::Dead, "", tries, {}};
          return unknown(
              "HTTP " + std::to_string(response.status) + ", not the provider's answer to a dead key", tries);
        }
        return unknown("HTTP " + std::to_string(response.status), tries);
      });
}

// An AWS key id (job.secret) with its secret access key (job.partner): a signed STS GetCallerIdentity.
Verdict verify_aws(http::Client& client, const VerifyJob& job, const VerifySettings& settings,
                   const RetryPolicy& policy, std::mt19937_64& random, Log& log) {
  const AwsCredentials credentials{job.secret, job.partner, job.session_token};
  if (has_control_characters(job.secret) || has_control_characters(job.partner) ||
      has_control_characters(job.session_token))
    return unknown("the secret has control characters; not sent", 0);
  if (credentials.key_id.starts_with("ASIA") && credentials.session_token.empty())
    return unknown("a temporary key (ASIA…) is checked only with its session token", 0);
  std::optional<http::Request> made = aws_sts_request(credentials, std::time(nullptr));
  if (!made) return unknown("not sent: the URL must be https:// (plain http only to this machine)", 0);
  set_transport(*made, settings);
  const std::string who = job.rule_id + " " + redacted(job.secret);
  return send_until_answered(client, std::move(*made), who, job.partner, settings, policy, random, log,
                             [&](const http::Response& response, int tries) {
                               return read_sts_answer(response, credentials, tries);
                             });
}

// A Google service-account key (job.partner, the key file): a JWT signed with it, exchanged for a token.
Verdict verify_google(http::Client& client, const VerifyJob& job, const VerifySettings& settings,
                      const RetryPolicy& policy, std::mt19937_64& random, Log& log) {
  const std::optional<ServiceAccountKey> key = service_account_in_json(job.partner);
  if (!key) return unknown("not a service-account key file", 0);
  std::string why;
  std::optional<http::Request> made = google_token_request(*key, std::time(nullptr), why);
  if (!made) return unknown(why, 0);
  set_transport(*made, settings);
  const std::string who = job.rule_id + " " + redacted(job.secret);
  return send_until_answered(client, std::move(*made), who, job.secret, settings, policy, random, log,
                             [&](const http::Response& response, int tries) -> std::optional<Verdict> {
                               return read_token_answer(response, *key, tries);
                             });
}

Verdict verify_one(http::Client& client, const VerifyJob& job, const VerifySettings& settings,
                   const RetryPolicy& policy, std::mt19937_64& random, Log& log) {
  switch (job.kind) {
    case VerifierKind::AwsSts:
      return verify_aws(client, job, settings, policy, random, log);
    case VerifierKind::GoogleServiceAccount:
      return verify_google(client, job, settings, policy, random, log);
    case VerifierKind::Declared:
      break;
  }
  return verify_declared(client, job, settings, policy, random, log);
}

}  // namespace

std::string to_string(const Verdict& verdict) {
  switch (verdict.liveness) {
    case Liveness::Live:
      return "live";
    case Liveness::Dead:
      return "dead";
    case Liveness::Unknown:
      break;
  }
  return "unknown: " + verdict.why;
}

std::string redact_in(std::string text, const std::string& secret) {
  if (secret.empty()) return text;
  const std::string shown = redacted(secret);
  for (std::size_t at = text.find(secret); at != std::string::npos;
       at = text.find(secret, at + shown.size())) {
    text.replace(at, secret.size(), shown);
  }
  return text;
}

std::optional<double> server_retry_delay(const http::Response& response,
                                         std::chrono::system_clock::time_point now) {
  const std::time_t now_seconds = std::chrono::system_clock::to_time_t(now);
  if (const std::string* value = http::find_header(response, "retry-after")) {
    if (!value->empty() && value->find_first_not_of("0123456789") == std::string::npos) {
      return std::strtod(value->c_str(), nullptr);  // never throws: a huge value is just a long wait
    }
    if (const std::optional<std::time_t> at = parse_http_date(*value)) {
      return std::max(0.0, static_cast<double>(*at - now_seconds));
    }
  }
  if (const std::string* value = http::find_header(response, "x-ratelimit-reset")) {
    if (const std::optional<double> seconds = parse_seconds(*value)) {
      // A plain number this large is a Unix time (GitHub's form), not a wait.
      if (*seconds > 1e9) return std::max(0.0, *seconds - static_cast<double>(now_seconds));
      return *seconds;
    }
  }
  return std::nullopt;
}

double backoff_delay(int retry, const RetryPolicy& policy, std::mt19937_64& random) {
  const double ceiling = policy.first_delay_seconds * std::ldexp(1.0, std::clamp(retry, 1, 30) - 1);
  return std::uniform_real_distribution<double>(0.0, ceiling)(random);
}

std::vector<Verdict> verify_secrets(const std::vector<VerifyJob>& jobs, const VerifySettings& settings,
                                    const RetryPolicy& policy) {
  std::vector<Verdict> verdicts(jobs.size());
  if (jobs.empty()) return verdicts;
  const std::size_t workers = std::clamp<std::size_t>(settings.concurrency, 1, jobs.size());
  // Made here, so that a missing libcurl is an Error of this thread, not of a worker.
  std::vector<std::unique_ptr<http::Client>> clients;
  for (std::size_t i = 0; i < workers; ++i) clients.push_back(std::make_unique<http::Client>());
  Log log(settings.verbose);
  std::atomic<std::size_t> next{0};
  std::mutex failure_mutex;
  std::exception_ptr failure;
  auto work = [&](http::Client& client) {
    try {
      std::mt19937_64 random(std::random_device{}());
      for (std::size_t i; (i = next++) < jobs.size();) {
        verdicts[i] = verify_one(client, jobs[i], settings, policy, random, log);
      }
    } catch (...) {
      const std::lock_guard<std::mutex> lock(failure_mutex);
      failure = std::current_exception();
    }
  };
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < workers; ++i) threads.emplace_back(work, std::ref(*clients[i]));
  work(*clients[0]);
  for (std::thread& t : threads) t.join();
  if (failure) std::rethrow_exception(failure);
  return verdicts;
}

void verify_findings(std::vector<Finding>& findings, const RuleSet& rules, const VerifySettings& settings) {
  if (!settings.enabled) return;
  // One request sequence per unique (secret, verifier): the same key found in many places is asked once.
  JobPlan plan{
      {}, std::vector<std::size_t>(findings.size(), SIZE_MAX), std::vector<std::string>(findings.size())};
  std::map<std::pair<std::string, const VerifySpec*>, std::size_t> job_of;
  for (std::size_t i = 0; i < findings.size(); ++i) {
    const Rule* rule = rules.find(findings[i].rule_id);
    if (rule == nullptr || !rule->spec().verify) continue;
    if (rule->spec().from_repository) {  // whoever controls the repository could collect the keys
      plan.no_job[i] =
          "unknown: the verifier in the repository's .keygate.toml is not used (pass the file with --config "
          "to "
          "trust it)";
      continue;
    }
    const VerifySpec* spec = &*rule->spec().verify;
    const auto [it, added] = job_of.try_emplace({findings[i].secret, spec}, plan.jobs.size());
    if (added)
      plan.jobs.push_back({findings[i].rule_id, findings[i].secret, spec, VerifierKind::Declared, "", ""});
    plan.finding_job[i] = it->second;
  }
  // AWS pairs and Google key files: checks that no declaration can say (verify/builtin_jobs.hpp).
  plan_builtin_jobs(findings, plan);
  const std::vector<Verdict> verdicts = verify_secrets(plan.jobs, settings);
  int counts[3] = {0, 0, 0};
  for (const Verdict& v : verdicts) ++counts[static_cast<int>(v.liveness)];
  if (!plan.jobs.empty()) {
    fmt::print(stderr, "keygate: verified {} unique secret{}: {} live, {} dead, {} unknown\n",
               plan.jobs.size(), plan.jobs.size() == 1 ? "" : "s", counts[0], counts[1], counts[2]);
  }
  std::vector<Finding> kept;
  for (std::size_t i = 0; i < findings.size(); ++i) {
    const std::size_t job = plan.finding_job[i];
    if (job != SIZE_MAX) findings[i].identity = verdicts[job].identity;
    findings[i].verification = job != SIZE_MAX           ? to_string(verdicts[job])
                               : !plan.no_job[i].empty() ? plan.no_job[i]
                                                         : "unknown: no verifier for this rule";
    if (settings.only_verified && !(job != SIZE_MAX && verdicts[job].liveness == Liveness::Live)) continue;
    kept.push_back(std::move(findings[i]));
  }
  findings = std::move(kept);
}

bool parse_verify_option(const std::string& arg, const std::function<std::string(const std::string&)>& value,
                         VerifySettings& settings) {
  auto is = [&](const std::string& name) { return arg == name || arg.rfind(name + "=", 0) == 0; };
  if (arg == "--verify") {
    settings.enabled = true;
  } else if (arg == "--only-verified") {
    settings.only_verified = true;
  } else if (is("--verify-ca")) {
    settings.ca_file = value("--verify-ca");
  } else if (is("--verify-concurrency")) {
    const std::string n = value("--verify-concurrency");
    char* end = nullptr;
    const long count = std::strtol(n.c_str(), &end, 10);
    if (n.empty() || *end != '\0' || count < 1 || count > 64) {
      throw Error("--verify-concurrency: not a count from 1 to 64: \"" + n + "\"");
    }
    settings.concurrency = static_cast<unsigned>(count);
  } else if (is("--verify-timeout")) {
    const std::string n = value("--verify-timeout");
    char* end = nullptr;
    const double seconds = std::strtod(n.c_str(), &end);
    if (n.empty() || *end != '\0' || !(seconds > 0 && seconds <= 600)) {
      throw Error("--verify-timeout: not a number of seconds (up to 600): \"" + n + "\"");
    }
    settings.timeout_seconds = seconds;
  } else {
    return false;
  }
  return true;
}

void check_verify_settings(const VerifySettings& settings, bool command_scans) {
  if (settings.only_verified && !settings.enabled) {
    throw Error("--only-verified needs --verify (nothing is sent anywhere without it)");
  }
  if (settings.enabled && !command_scans) throw Error("--verify only applies to scan, history and staged");
}

}  // namespace keygate
