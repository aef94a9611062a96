// This file implements redaction, fingerprints and entropy (see finding.hpp).
#include "core/finding.hpp"

#include <git2.h>

#include <cmath>

#include "util/utf8.hpp"

namespace keygate {

std::string full_path(const Finding& f) {
  std::string out = f.file;
  for (const std::string& p : f.inner) out.append("!").append(p);
  return out;
}

std::string redacted(std::string_view secret) {
  constexpr std::string_view kEllipsis = "\xe2\x80\xa6";  // …
  if (secret.size() < 12) return std::string(secret.substr(0, secret.size() / 4)) + std::string(kEllipsis);
  // The prefix is a provider's marker where there is one ("tgp_v1_", "sk-proj-", "ghp_"): everything up to
  // the last '_' or '-' among the first 8 characters. Otherwise the first 4 characters.
  std::size_t prefix = 4;
  const std::size_t cut = secret.substr(0, 8).find_last_of("_-");
  if (cut != std::string_view::npos && cut >= 1) prefix = cut + 1;
  // Never reveal more than a third of the secret.
  while (prefix + 4 > secret.size() / 3 && prefix > 2 && secret.size() < 36) --prefix;
  return std::string(secret.substr(0, prefix)) + std::string(kEllipsis) +
         std::string(secret.substr(secret.size() - 4));
}

std::string fingerprint(std::string_view rule_id, std::string_view file, std::string_view secret) {
  std::string data;
  data.reserve(rule_id.size() + file.size() + secret.size() + 2);
  data.append(rule_id).push_back('\0');
  data.append(file).push_back('\0');
  data.append(secret);
  git_oid oid;
  git_odb_hash(&oid, data.data(), data.size(), GIT_OBJECT_BLOB);
  char hex[GIT_OID_HEXSZ + 1];
  git_oid_tostr(hex, sizeof hex, &oid);
  // The path part is for people and is escaped (a newline or a byte that is not UTF-8 would not survive a
  // .keygateignore line or a JSON report); the hash, over the raw bytes, is what tells paths apart.
  return std::string(rule_id) + ":" + escape_control(file) + ":" + std::string(hex, 16);
}

double shannon_entropy(std::string_view s) {
  if (s.empty()) return 0;
  std::size_t counts[256] = {};
  for (unsigned char c : s) ++counts[c];
  double entropy = 0;
  const double n = static_cast<double>(s.size());
  for (std::size_t c : counts) {
    if (c == 0) continue;
    const double p = static_cast<double>(c) / n;
    entropy -= p * std::log2(p);
  }
  return entropy;
}

}  // namespace keygate
