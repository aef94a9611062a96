// This file declares the Google service-account verifier (verify.cpp sends it): the key file's JSON names the
// account (client_email, project_id) and holds its RSA private key; keygate signs a JWT with it (RS256,
// rsa.hpp) and exchanges it at Google's token endpoint (the OAuth 2.0 JWT bearer grant), which answers an
// access token for a working key and invalid_grant for a deleted or disabled one. The token is dropped.
#pragma once

#include <ctime>
#include <optional>
#include <string>
#include <string_view>

#include "core/finding.hpp"
#include "verify/http.hpp"
#include "verify/verify.hpp"

namespace keygate {

inline constexpr std::string_view kGoogleServiceAccountRule = "gcp-service-account-key";
// Google's token endpoint, the token_uri of every key file; KEYGATE_VERIFY_GOOGLE_URL overrides the base
// (tests). The key file's own token_uri is never used: whoever wrote the file would receive a signed
// assertion that Google accepts for an hour.
inline constexpr std::string_view kGoogleTokenBase = "https://oauth2.googleapis.com";

struct ServiceAccountKey {
  std::string client_email;
  std::string project_id;
  std::string private_key_id;
  std::string private_key;  // PEM
};

// The key in `json`, a service-account key file (an object with "type": "service_account", client_email,
// private_key_id and private_key; project_id may be missing), or nullopt.
std::optional<ServiceAccountKey> service_account_in_json(std::string_view json);

// The key file a finding of kGoogleServiceAccountRule was found in, read again from disk: only a file of the
// working tree (not history, an archive or the index), at most 1 MiB, and only when it still holds the
// finding's private_key_id. nullopt otherwise.
std::optional<std::string> service_account_file(const Finding& finding);

// `bytes` in base64url without padding (RFC 7515's JWS encoding).
std::string base64url(std::string_view bytes);

// The signed token request for `key` at time `now`: POST {base}/token with the JWT bearer grant, the JWT
// (RS256, kid = private_key_id) claiming iss = client_email, scope cloud-platform, aud = the request's URL,
// iat = now, exp = now + 1 hour. nullopt with `why` set when the key cannot sign or the URL may not carry
// a secret.
std::optional<http::Request> google_token_request(const ServiceAccountKey& key, std::time_t now,
                                                  std::string& why);

// What the token endpoint says: live with email and project when it answers an access_token (200); dead
// for invalid_grant (a deleted or disabled key, or a signature Google does not know) unless it blames the
// clock; unknown otherwise.
Verdict read_token_answer(const http::Response& response, const ServiceAccountKey& key, int tries);

}  // namespace keygate
