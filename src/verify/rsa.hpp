// This file declares the libcrypto edge for verification: an RS256 signature (RSASSA-PKCS1-v1_5 with
// SHA-256), which the Google service-account verifier (google.hpp) needs to sign its JWT. OpenSSL's libcrypto
// is loaded with dlopen on the first signature, like libcurl (http.hpp), so that no other run pays for
// loading it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace keygate {

// The RS256 signature of `message` under the PEM private key `pem` (PKCS#8 "BEGIN PRIVATE KEY" or PKCS#1
// "BEGIN RSA PRIVATE KEY"), as raw bytes. nullopt, with `why` set to one line (never the key), when
// libcrypto cannot be loaded or `pem` is not an unencrypted RSA private key. Never asks for a passphrase.
// Thread-safe.
std::optional<std::string> rs256_sign(std::string_view pem, std::string_view message, std::string& why);

}  // namespace keygate
