// This file implements the Google service-account verifier (see google.hpp): the key file read with
// util/json_walk, the JWT signed with rsa.hpp, and the token endpoint's answer read.
#include "verify/google.hpp"

#include <cctype>

#include "core/error.hpp"
#include "report/report.hpp"
#include "util/file_io.hpp"
#include "util/json_walk.hpp"
#include "verify/identity.hpp"
#include "verify/rsa.hpp"

namespace keygate {
namespace {

constexpr std::size_t kMaxKeyFile = 1 << 20;

// The string members of the top-level object in `json` named in `names`, in that order ("" when missing);
// nullopt when `json` is not a JSON object.
std::optional<std::vector<std::string>> members(std::string_view json,
                                                const std::vector<std::string_view>& names) {
  std::vector<std::string> values(names.size());
  const bool valid = walk_json(json, [&](const JsonValue& v) {
    if (v.depth != 1 || json[v.begin] != '"') return;
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (v.key == names[i]) values[i] = json_string(json, v);
    }
  });
  const std::size_t first = json.find_first_not_of(" \t\r\n");
  if (!valid || first == std::string_view::npos || json[first] != '{') return std::nullopt;
  return values;
}

// `text` with the characters a form body must escape percent-encoded (a JWT has none; done to be sure).
std::string form_encoded(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto b = static_cast<unsigned char>(c);
    if (std::isalnum(b) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += c;
    } else {
      out += '%', out += kHex[b >> 4], out += kHex[b & 15];
    }
  }
  return out;
}

}  // namespace

std::optional<ServiceAccountKey> service_account_in_json(std::string_view json) {
  const std::optional<std::vector<std::string>> m =
      members(json, {"type", "client_email", "project_id", "private_key_id", "private_key"});
  if (!m || (*m)[0] != "service_account" || (*m)[1].empty() || (*m)[3].empty() || (*m)[4].empty())
    return std::nullopt;
  return ServiceAccountKey{(*m)[1], (*m)[2], (*m)[3], (*m)[4]};
}

std::optional<std::string> service_account_file(const Finding& finding) {
  if (finding.kind != SourceKind::File || !finding.inner.empty() || finding.commit || finding.file.empty())
    return std::nullopt;
  try {
    std::optional<std::string> text = load_file_if_exists(finding.file);
    if (!text || text->size() > kMaxKeyFile) return std::nullopt;
    const std::optional<ServiceAccountKey> key = service_account_in_json(*text);
    if (!key || key->private_key_id != finding.secret) return std::nullopt;
    return text;
  } catch (const Error&) {
    return std::nullopt;  // unreadable now: the verdict says the key file could not be read
  }
}

std::string base64url(std::string_view bytes) {
  std::string out = base64(bytes);
  while (!out.empty() && out.back() == '=') out.pop_back();
  for (char& c : out) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return out;
}

std::optional<http::Request> google_token_request(const ServiceAccountKey& key, std::time_t now,
                                                  std::string& why) {
  http::Request request;
  request.method = "POST";
  request.url = verify_base("google", kGoogleTokenBase) + "/token";
  if (!url_may_carry_secret(request.url)) {
    why = "not sent: the URL must be https:// (plain http only to this machine)";
    return std::nullopt;
  }
  const std::string header = R"({"alg":"RS256","typ":"JWT","kid":)" + json_string(key.private_key_id) + "}";
  const std::string claims = "{\"iss\":" + json_string(key.client_email) +
                             R"(,"scope":"https://www.googleapis.com/auth/cloud-platform","aud":)" +
                             json_string(request.url) + ",\"iat\":" + std::to_string(now) +
                             ",\"exp\":" + std::to_string(now + 3600) + "}";
  const std::string signing_input = base64url(header) + "." + base64url(claims);
  const std::optional<std::string> signature = rs256_sign(key.private_key, signing_input, why);
  if (!signature) return std::nullopt;
  request.headers.push_back("Content-Type: application/x-www-form-urlencoded");
  request.body = "grant_type=" + form_encoded("urn:ietf:params:oauth:grant-type:jwt-bearer") +
                 "&assertion=" + form_encoded(signing_input + "." + base64url(*signature));
  return request;
}

Verdict read_token_answer(const http::Response& response, const ServiceAccountKey& key, int tries) {
  const std::string status = "HTTP " + std::to_string(response.status);
  if (response.status == 200) {
    const std::optional<std::string> token = json_text_at(response.body, "/access_token");
    if (!token || token->empty())
      return Verdict{Liveness::Unknown, status + " with a malformed answer", tries, {}};
    Verdict live{Liveness::Live, "", tries, {}};
    live.identity.emplace_back("email", cleaned_value(key.client_email, key.private_key));
    if (!key.project_id.empty())
      live.identity.emplace_back("project", cleaned_value(key.project_id, key.private_key));
    return live;
  }
  const std::optional<std::string> error = json_text_at(response.body, "/error");
  const std::string description = json_text_at(response.body, "/error_description").value_or("");
  // Google answers invalid_grant to a clock far from its own too ("... in a reasonable timeframe. Check
  // your iat and exp values"): that says nothing about the key.
  const bool clock =
      description.find("timeframe") != std::string::npos || description.find("iat") != std::string::npos;
  if (error == "invalid_grant" && !clock) return Verdict{Liveness::Dead, "", tries, {}};
  std::string why = status;
  if (error) why += " (" + cleaned_value(*error, key.private_key) + ")";
  if (clock) why += ": Google says the token's time is wrong; is this machine's clock right?";
  return Verdict{Liveness::Unknown, why, tries, {}};
}

}  // namespace keygate
