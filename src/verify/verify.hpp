// This file implements verification, an optional stage between detection and the report: with --verify,
// each unique secret of a rule that has a [rules.verify] table is sent once to its provider, which answers
// whether the key works (live), does not (dead), or cannot tell (unknown, with why). Without --verify
// nothing is ever sent. Requests go through http.hpp; rate limits are retried with backoff here.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "config/verify_spec.hpp"
#include "core/finding.hpp"
#include "verify/http.hpp"

namespace keygate {

class RuleSet;

struct VerifySettings {
  bool enabled = false;         // --verify: nothing is sent without it
  bool only_verified = false;   // --only-verified: report only live keys (needs --verify)
  unsigned concurrency = 4;     // --verify-concurrency: requests in flight at most
  std::string ca_file;          // --verify-ca FILE, else $CURL_CA_BUNDLE, else the system's certificates
  double timeout_seconds = 10;  // --verify-timeout: one request, from connecting to the last byte
  double connect_timeout_seconds = 5;
  bool verbose = false;  // log each request and retry on stderr (secrets redacted)
};

// How rate-limited answers (429, 503) are retried: full-jitter exponential backoff, or the server's own
// Retry-After / x-ratelimit-reset when it sends one, within `max_tries` requests and `budget_seconds` a key.
// A timeout or a dropped connection is retried too (the network, not the key), at once and at most
// `max_failure_tries` requests in all, within the same budget.
struct RetryPolicy {
  double first_delay_seconds = 0.5;  // the n-th retry waits a uniform random time in [0, first * 2^(n-1)]
  int max_tries = 5;
  double budget_seconds = 30;
  int max_failure_tries = 2;
};

enum class Liveness { Live, Dead, Unknown };

struct Verdict {
  Liveness liveness = Liveness::Unknown;
  std::string why;                                            // for Unknown: one line, never the secret
  int tries = 0;                                              // requests sent
  std::vector<std::pair<std::string, std::string>> identity;  // of a live key, when the verifier asks
};

// "live", "dead" or "unknown: WHY": the form every report shows.
std::string to_string(const Verdict& verdict);

// Declared: a rule's [rules.verify] (VerifyJob::spec). Built in, because the check needs a request signed
// with the key, which no declaration can say: AwsSts (verify/aws.hpp: a key id and its secret) and
// GoogleServiceAccount (verify/google.hpp: a service-account key file).
enum class VerifierKind { Declared, AwsSts, GoogleServiceAccount };

struct VerifyJob {
  std::string rule_id;               // for log lines
  std::string secret;                // AwsSts: the access key id; GoogleServiceAccount: the private_key_id
  const VerifySpec* spec = nullptr;  // Declared: must outlive the call
  VerifierKind kind = VerifierKind::Declared;
  std::string partner;        // AwsSts: the secret access key; GoogleServiceAccount: the key file
  std::string session_token;  // AwsSts: of a temporary (ASIA) key; may be empty
};

// Verifies every job, `settings.concurrency` at a time; returns one verdict per job, in order. The caller
// passes each secret once (verify_findings does). A network or server failure is an Unknown verdict;
// throws Error only when libcurl cannot be loaded.
std::vector<Verdict> verify_secrets(const std::vector<VerifyJob>& jobs, const VerifySettings& settings,
                                    const RetryPolicy& policy = {});

// The pipeline stage. Unless settings.enabled, does nothing. Otherwise sets every finding's `verification`
// (and `identity`, for a live key whose verifier declares one)
// (a finding whose rule has no verifier is "unknown: no verifier for this rule"; a verifier from a
// repository's own .keygate.toml or its [extend] chain, RuleSpec::from_repository, is never used: whoever
// controls the repository writes it and could send the keys found anywhere; --config files are used), sending
// one request sequence per unique secret, and with settings.only_verified drops every finding that is not
// live.
void verify_findings(std::vector<Finding>& findings, const RuleSet& rules, const VerifySettings& settings);

// For cli.cpp: returns true iff `arg` is one of the options above, and applies it; `value(name)` returns the
// option's value (from "--name=V" or the next argument). Throws Error for a bad value.
bool parse_verify_option(const std::string& arg, const std::function<std::string(const std::string&)>& value,
                         VerifySettings& settings);
// Throws Error when the options do not fit together or `command_scans` is false (not scan|history|staged).
void check_verify_settings(const VerifySettings& settings, bool command_scans);

// Seconds the server asks to wait before the next request (Retry-After: seconds or an HTTP date;
// x-ratelimit-reset: seconds, a duration such as "1m30s", or a Unix time), or nullopt when it says nothing
// usable. Never negative.
std::optional<double> server_retry_delay(const http::Response& response,
                                         std::chrono::system_clock::time_point now);

// The full-jitter wait before retry number `retry` (1 for the first retry).
double backoff_delay(int retry, const RetryPolicy& policy, std::mt19937_64& random);

// The request `spec` declares for `secret` to `url_template` (its url, identity_url, or a revocation URL):
// {base} from KEYGATE_VERIFY_<PROVIDER>_URL or spec.base, headers, basic auth, body, CA file and timeouts
// from `settings`. nullopt when the URL may not carry a secret (url_may_carry_secret).
std::optional<http::Request> make_request(const VerifySpec& spec, const std::string& url_template,
                                          const std::string& secret, const VerifySettings& settings);

// The base URL of `provider`'s API: KEYGATE_VERIFY_<PROVIDER>_URL when set (tests, other regions), else
// `default_base`; without a trailing '/'.
std::string verify_base(const std::string& provider, std::string_view default_base);

// Sets `request`'s CA file (settings, else $CURL_CA_BUNDLE) and connect timeout from `settings`.
void set_transport(http::Request& request, const VerifySettings& settings);

// "timed out (...)", "cannot connect (...)": a failed request in words (the secret is not in them).
std::string describe_failure(const http::Response& response);

// `text` with every occurrence of `secret` replaced by its redacted form.
std::string redact_in(std::string text, const std::string& secret);

// True iff a request to `url` may carry a secret: an absolute https URL, or plain http to this machine
// (host exactly localhost, 127.0.0.0/8 in dotted decimal or [::1]; a test server), so that a key never
// crosses a network in clear text. The URL is parsed as RFC 3986 says (scheme, authority up to the first
// '/', '?' or '#', host, port) and refused when it holds userinfo ("http://localhost:80@attacker.example"
// names the host attacker.example), a backslash, a '%' or a space in its authority, or a bad port.
bool url_may_carry_secret(std::string_view url);

}  // namespace keygate
