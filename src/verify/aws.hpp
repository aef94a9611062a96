// This file declares the AWS verifier (verify.cpp sends it): an access key id and its secret access key are
// two findings, paired here, and checked together with a SigV4-signed STS GetCallerIdentity, whose answer
// names the account, the ARN and the user id. The request never carries the secret, only its signature.
#pragma once

#include <cstddef>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/finding.hpp"
#include "verify/http.hpp"
#include "verify/verify.hpp"

namespace keygate {

inline constexpr std::string_view kAwsKeyIdRule = "aws-access-key-id";
inline constexpr std::string_view kAwsSecretRule = "aws-secret-access-key";
inline constexpr std::string_view kAwsSessionTokenRule = "aws-session-token";
// STS's global endpoint (region us-east-1); KEYGATE_VERIFY_AWS_URL overrides it (tests, other partitions).
inline constexpr std::string_view kAwsStsBase = "https://sts.amazonaws.com";

struct AwsCredentials {
  std::string key_id;         // AKIA… (long-term) or ASIA… (temporary)
  std::string secret;         // the secret access key
  std::string session_token;  // of a temporary (ASIA) key; empty otherwise
};

// True iff `text` has the shape of an access key id (AKIA, ASIA, ABIA, ACCA or A3T + 16 base32 characters).
bool aws_key_id_shaped(std::string_view text);
// True iff `text` has the shape of a secret access key (40 characters of the base64 alphabet).
bool aws_secret_shaped(std::string_view text);

// The SigV4 signature (64 hex digits) of a request, as AWS documents it ("Create a signed AWS API request"):
// `canonical_headers` are the "name:value\n" lines of the signed headers (lower-case names, sorted),
// `signed_headers` their names joined with ';', `amz_date` the X-Amz-Date value (YYYYMMDD'T'HHMMSS'Z').
std::string sigv4_signature(std::string_view secret, std::string_view method, std::string_view path,
                            std::string_view query, std::string_view canonical_headers,
                            std::string_view signed_headers, std::string_view body, std::string_view amz_date,
                            std::string_view region, std::string_view service);

// The signed POST {base}/ Action=GetCallerIdentity&Version=2011-06-15 for `credentials` at time `now`, with
// {base} from KEYGATE_VERIFY_AWS_URL or kAwsStsBase; nullopt when that URL may not carry a secret
// (url_may_carry_secret: the signature stands for the secret for a few minutes).
std::optional<http::Request> aws_sts_request(const AwsCredentials& credentials, std::time_t now);

// What an STS answer says: live with account, arn and user_id (200 with an Account); dead for
// InvalidClientTokenId (no such key), SignatureDoesNotMatch (the secret is not this key's) or ExpiredToken;
// nullopt for Throttling (retry); unknown otherwise. `tries` is recorded in the verdict.
std::optional<Verdict> read_sts_answer(const http::Response& response, const AwsCredentials& credentials,
                                       int tries);

// For each finding, the finding it pairs with, or SIZE_MAX: a secret access key (rule kAwsSecretRule, or a
// generic finding of that shape within three lines of a key id) with the nearest key id in the same place
// (the same file, inner path and commit), the one above on a tie; a key id with the secret nearest to it
// among those that chose it. Findings of other rules pair with nothing.
std::vector<std::size_t> pair_aws_findings(const std::vector<Finding>& findings);

// The credentials in `text` as `keygate verify` reads them: per line "ID:SECRET", "ID SECRET" or
// "ID,SECRET" (an optional third field is the session token), or an id alone on a line with the secret
// alone on the next non-blank line (and a session token alone on the line after, for an ASIA id). Lines
// of another shape are skipped.
std::vector<AwsCredentials> aws_credentials_in_text(std::string_view text);

}  // namespace keygate
