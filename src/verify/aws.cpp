// This file implements the AWS verifier (see aws.hpp): pairing a key id with its secret, SigV4 over the
// util/sha256 HMAC, the STS request, and reading STS's XML answer.
#include "verify/aws.hpp"

#include <cctype>
#include <cstdlib>
#include <limits>

#include "util/sha256.hpp"
#include "verify/identity.hpp"

namespace keygate {
namespace {

constexpr std::string_view kRegion = "us-east-1";  // of the global endpoint
constexpr std::string_view kService = "sts";
constexpr std::string_view kStsBody = "Action=GetCallerIdentity&Version=2011-06-15";
constexpr std::string_view kContentType = "application/x-www-form-urlencoded; charset=utf-8";

bool base32_upper(char c) { return (c >= 'A' && c <= 'Z') || (c >= '2' && c <= '7'); }

bool base64_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
}

std::string digest_bytes(const Sha256Digest& d) {
  return std::string(reinterpret_cast<const char*>(d.data()), d.size());
}

std::string hmac(std::string_view key, std::string_view message) {
  return digest_bytes(hmac_sha256(key, message));
}

// The text of the first <name>…</name> in `xml`, with the five XML entities decoded; nullopt when absent.
std::optional<std::string> xml_text(std::string_view xml, std::string_view name) {
  std::string open = "<", close = "</";
  open.append(name).append(">");
  close.append(name).append(">");
  const std::size_t start = xml.find(open);
  if (start == std::string_view::npos) return std::nullopt;
  const std::size_t end = xml.find(close, start + open.size());
  if (end == std::string_view::npos) return std::nullopt;
  const std::string_view raw = xml.substr(start + open.size(), end - start - open.size());
  static constexpr std::pair<std::string_view, char> kEntities[] = {
      {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
  std::string text;
  for (std::size_t i = 0; i < raw.size();) {
    bool decoded = false;
    for (const auto& [entity, c] : kEntities) {
      if (raw.substr(i, entity.size()) == entity) {
        text += c, i += entity.size(), decoded = true;
        break;
      }
    }
    if (!decoded) text += raw[i++];
  }
  return text;
}

// "YYYYMMDDTHHMMSSZ" for `now` in UTC.
std::string amz_date(std::time_t now) {
  std::tm tm{};
  ::gmtime_r(&now, &tm);
  char text[17];
  std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &tm);
  return text;
}

bool same_place(const Finding& a, const Finding& b) {
  const std::string_view commit_a = a.commit ? std::string_view(a.commit->id) : std::string_view();
  const std::string_view commit_b = b.commit ? std::string_view(b.commit->id) : std::string_view();
  return a.kind == b.kind && a.file == b.file && a.inner == b.inner && commit_a == commit_b;
}

std::vector<std::string_view> fields_of(std::string_view line) {
  std::vector<std::string_view> fields;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= line.size(); ++i) {
    if (i == line.size() || line[i] == ':' || line[i] == ',' || line[i] == ' ' || line[i] == '\t') {
      if (i > start) fields.push_back(line.substr(start, i - start));
      start = i + 1;
    }
  }
  return fields;
}

bool session_token_shaped(std::string_view text) {
  if (text.size() < 100) return false;
  for (const char c : text) {
    if (!base64_char(c) && c != '=') return false;
  }
  return true;
}

}  // namespace

bool aws_key_id_shaped(std::string_view text) {
  if (text.size() != 20) return false;
  const std::string_view head = text.substr(0, 4);
  const bool known =
      head == "AKIA" || head == "ASIA" || head == "ABIA" || head == "ACCA" ||
      (text.substr(0, 3) == "A3T" && (base32_upper(text[3]) || (text[3] >= '0' && text[3] <= '9')));
  if (!known) return false;
  for (const char c : text.substr(4)) {
    if (!base32_upper(c)) return false;
  }
  return true;
}

bool aws_secret_shaped(std::string_view text) {
  if (text.size() != 40) return false;
  for (const char c : text) {
    if (!base64_char(c)) return false;
  }
  return true;
}

std::string sigv4_signature(std::string_view secret, std::string_view method, std::string_view path,
                            std::string_view query, std::string_view canonical_headers,
                            std::string_view signed_headers, std::string_view body, std::string_view amz_date,
                            std::string_view region, std::string_view service) {
  std::string canonical;
  canonical.append(method).append("\n").append(path).append("\n").append(query).append("\n");
  canonical.append(canonical_headers).append("\n").append(signed_headers).append("\n");
  canonical.append(to_hex(sha256(body)));
  const std::string_view date = amz_date.substr(0, 8);
  std::string scope;
  scope.append(date).append("/").append(region).append("/").append(service).append("/aws4_request");
  std::string to_sign = "AWS4-HMAC-SHA256\n";
  to_sign.append(amz_date).append("\n").append(scope).append("\n").append(to_hex(sha256(canonical)));
  std::string key = hmac("AWS4" + std::string(secret), date);
  key = hmac(key, region);
  key = hmac(key, service);
  key = hmac(key, "aws4_request");
  return to_hex(hmac_sha256(key, to_sign));
}

std::optional<http::Request> aws_sts_request(const AwsCredentials& credentials, std::time_t now) {
  http::Request request;
  request.method = "POST";
  request.url = verify_base("aws", kAwsStsBase) + "/";
  if (!url_may_carry_secret(request.url)) return std::nullopt;
  // The Host header libcurl sends is the URL's authority, lower-cased here as SigV4 asks.
  const std::string_view after_scheme = std::string_view(request.url).substr(request.url.find("://") + 3);
  std::string host(after_scheme.substr(0, after_scheme.find('/')));
  for (char& c : host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const std::string date = amz_date(now);
  std::string canonical_headers =
      "content-type:" + std::string(kContentType) + "\nhost:" + host + "\nx-amz-date:" + date + "\n";
  std::string signed_headers = "content-type;host;x-amz-date";
  if (!credentials.session_token.empty()) {
    canonical_headers += "x-amz-security-token:" + credentials.session_token + "\n";
    signed_headers += ";x-amz-security-token";
  }
  const std::string signature = sigv4_signature(credentials.secret, "POST", "/", "", canonical_headers,
                                                signed_headers, kStsBody, date, kRegion, kService);
  request.headers.push_back("Content-Type: " + std::string(kContentType));
  request.headers.push_back("X-Amz-Date: " + date);
  if (!credentials.session_token.empty())
    request.headers.push_back("X-Amz-Security-Token: " + credentials.session_token);
  request.headers.push_back("Authorization: AWS4-HMAC-SHA256 Credential=" + credentials.key_id + "/" +
                            date.substr(0, 8) + "/" + std::string(kRegion) + "/" + std::string(kService) +
                            "/aws4_request, SignedHeaders=" + signed_headers + ", Signature=" + signature);
  request.body = std::string(kStsBody);
  return request;
}

std::optional<Verdict> read_sts_answer(const http::Response& response, const AwsCredentials& credentials,
                                       int tries) {
  const std::string status = "HTTP " + std::to_string(response.status);
  if (response.status == 200) {
    const std::optional<std::string> account = xml_text(response.body, "Account");
    if (!account || account->empty() || response.body_cut)
      return Verdict{Liveness::Unknown, status + " with a malformed answer", tries, {}};
    Verdict live{Liveness::Live, "", tries, {}};
    // Sorted by name, as every verifier's identity is.
    for (const std::string_view name : {"Account", "Arn", "UserId"}) {
      std::optional<std::string> value = name == "Account" ? account : xml_text(response.body, name);
      if (!value || value->empty()) continue;
      for (const std::string* secret : {&credentials.secret, &credentials.session_token}) {
        if (!secret->empty()) *value = cleaned_value(std::move(*value), *secret);
      }
      live.identity.emplace_back(name == "Account" ? "account" : name == "Arn" ? "arn" : "user_id", *value);
    }
    return live;
  }
  const std::optional<std::string> code = xml_text(response.body, "Code");
  if (code == "Throttling" || code == "RequestLimitExceeded") return std::nullopt;
  if (code == "InvalidClientTokenId" || code == "SignatureDoesNotMatch" || code == "ExpiredToken")
    return Verdict{Liveness::Dead, "", tries, {}};
  std::string why = status;
  if (code) why += " (" + cleaned_value(*code, credentials.secret) + ")";
  return Verdict{Liveness::Unknown, why, tries, {}};
}

std::vector<std::size_t> pair_aws_findings(const std::vector<Finding>& findings) {
  constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();
  std::vector<std::size_t> partner(findings.size(), kNone);
  std::vector<std::size_t> ids;
  for (std::size_t i = 0; i < findings.size(); ++i) {
    if (findings[i].rule_id == kAwsKeyIdRule) ids.push_back(i);
  }
  if (ids.empty()) return partner;
  auto distance = [&](std::size_t a, std::size_t b) { return std::abs(findings[a].line - findings[b].line); };
  for (std::size_t s = 0; s < findings.size(); ++s) {
    const Finding& f = findings[s];
    const bool named = f.rule_id == kAwsSecretRule;
    if (!named && !(f.generic && aws_secret_shaped(f.secret))) continue;
    std::size_t best = kNone;
    for (const std::size_t i : ids) {
      if (!same_place(findings[i], f)) continue;
      if (!named && distance(i, s) > 3) continue;
      // Nearest wins; on a tie the id above (a credentials file lists the id first).
      if (best == kNone || distance(i, s) < distance(best, s) ||
          (distance(i, s) == distance(best, s) && findings[i].line < findings[best].line))
        best = i;
    }
    if (best == kNone) continue;
    partner[s] = best;
    if (partner[best] == kNone || distance(best, s) < distance(best, partner[best])) partner[best] = s;
  }
  return partner;
}

std::vector<AwsCredentials> aws_credentials_in_text(std::string_view text) {
  std::vector<std::string_view> lines;
  for (std::size_t start = 0; start <= text.size();) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
      line.remove_suffix(1);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    if (!line.empty()) lines.push_back(line);
    start = end + 1;
  }
  std::vector<AwsCredentials> found;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::vector<std::string_view> fields = fields_of(lines[i]);
    if (fields.empty() || !aws_key_id_shaped(fields[0])) continue;
    AwsCredentials c{std::string(fields[0]), "", ""};
    if (fields.size() >= 2 && aws_secret_shaped(fields[1])) {
      c.secret = fields[1];
      if (fields.size() >= 3 && session_token_shaped(fields[2])) c.session_token = fields[2];
    } else if (fields.size() == 1 && i + 1 < lines.size() && aws_secret_shaped(lines[i + 1])) {
      c.secret = lines[++i];
      if (c.key_id.starts_with("ASIA") && i + 1 < lines.size() && session_token_shaped(lines[i + 1]))
        c.session_token = lines[++i];
    } else {
      continue;
    }
    found.push_back(std::move(c));
  }
  return found;
}

}  // namespace keygate
