// This file declares how verification reads a provider's answer beyond its status (verify.cpp uses it):
// whether a 200 really means live (live_if), and who the key belongs to (identity), both as a rule's
// [rules.verify] declares them. Values from the answer are untrusted text: cut short and cleaned here.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/verify_spec.hpp"
#include "verify/http.hpp"

namespace keygate {

// Name, value pairs in the order the verifier declares them (by name).
using Identity = std::vector<std::pair<std::string, std::string>>;

// The value at JSON `pointer` in `json` as text: a string unescaped, true/false/null and numbers as written,
// an array of those joined with ", "; nullopt when `json` is not JSON, the pointer names nothing, or an
// object.
std::optional<std::string> json_text_at(std::string_view json, std::string_view pointer);

// Whether an answer with a live status is really live: true when every live_if pointer has its value (or
// there are none), false when one differs, nullopt when the body is not JSON (a malformed answer).
std::optional<bool> live_if_holds(const VerifySpec& spec, std::string_view body);

// Whether an answer with a dead status really means dead: true when every dead_if pointer has its value (or
// there are none), false when one differs or the body is not JSON (then the status means something else).
bool dead_if_holds(const VerifySpec& spec, std::string_view body);

// The identity `spec` declares, read from `answer` (null: no answer to read, only prefix: sources) and
// the secret. Sources with no value are left out. Values are at most 200 bytes, without control
// characters, and never hold the secret.
Identity read_identity(const VerifySpec& spec, const http::Response* answer, const std::string& secret);

// `text` (a value from a provider's answer) made safe to print in any report: control characters become
// spaces, at most 200 bytes (cut at a UTF-8 character boundary), never `secret`.
std::string cleaned_value(std::string text, const std::string& secret);

// `bytes` in standard base64 with padding (HTTP basic authentication).
std::string base64(std::string_view bytes);

}  // namespace keygate
