// This file implements the checks and the template expansion of a rule's verifier (see verify_spec.hpp);
// it sits with config parsing so that a bad [rules.verify] is reported with the other config problems.
#include "config/verify_spec.hpp"

#include <algorithm>

#include "util/ascii.hpp"

namespace keygate {
namespace {

// The placeholders in `text` that are neither {base} nor {secret}.
std::vector<std::string> unknown_placeholders(std::string_view text) {
  std::vector<std::string> out;
  for (std::size_t open = text.find('{'); open != std::string_view::npos; open = text.find('{', open + 1)) {
    const std::size_t close = text.find('}', open);
    if (close == std::string_view::npos) break;
    const std::string_view name = text.substr(open + 1, close - open - 1);
    if (name != "base" && name != "secret") out.emplace_back(name);
  }
  return out;
}

}  // namespace

std::vector<std::string> verify_spec_problems(const VerifySpec& spec) {
  std::vector<std::string> out;
  if (spec.method != "GET" && spec.method != "HEAD" && spec.method != "POST") {
    out.push_back("\"method\" must be \"GET\", \"HEAD\" or \"POST\", not \"" + spec.method + "\"");
  }
  if (spec.url.empty()) out.push_back("needs a \"url\"");
  const bool uses_base = spec.url.find("{base}") != std::string::npos;
  if (uses_base && !spec.url.starts_with("{base}")) out.push_back("\"url\" may use {base} only at its start");
  if (uses_base && spec.base.empty()) out.push_back("\"url\" uses {base}, so \"base\" is needed");
  const std::string& scheme_of = uses_base ? spec.base : spec.url;
  if (!scheme_of.empty() && !scheme_of.starts_with("https://") && !scheme_of.starts_with("http://")) {
    out.push_back("the URL must start with https:// (or {base}, itself an https:// URL)");
  }
  for (const std::string& name : unknown_placeholders(spec.url))
    out.push_back("\"url\": unknown placeholder {" + name + "}");
  for (const auto& [name, value] : spec.headers) {
    for (const std::string& p : unknown_placeholders(value))
      out.push_back("header \"" + name + "\": unknown placeholder {" + p + "}");
    if (name.empty() || name.find_first_of(":\r\n ") != std::string::npos)
      out.push_back("bad header name \"" + name + "\"");
  }
  // Not the body: JSON is full of braces; only {base} and {secret} are replaced in it.
  for (const auto& [field, text] :
       {std::pair{"identity_url", &spec.identity_url}, std::pair{"basic", &spec.basic}}) {
    for (const std::string& name : unknown_placeholders(*text))
      out.push_back(std::string("\"") + field + "\": unknown placeholder {" + name + "}");
  }
  if (!spec.body.empty() && spec.method != "POST") out.push_back("\"body\" needs method \"POST\"");
  if (!spec.identity_url.empty()) {
    const bool identity_base = spec.identity_url.starts_with("{base}");
    if (!identity_base && !spec.identity_url.starts_with("https://"))
      out.push_back("\"identity_url\" must start with {base} or https://");
    if (identity_base && spec.base.empty())
      out.push_back("\"identity_url\" uses {base}, so \"base\" is needed");
    if (spec.identity.empty()) out.push_back("\"identity_url\" without \"identity\" asks for nothing");
  }
  for (const auto& [name, source] : spec.identity) {
    const bool known = source.starts_with("/") || source.starts_with("header:") ||
                       (source.starts_with("prefix:") && source.find('=') != std::string::npos);
    if (name.empty() || !known) {
      out.push_back("identity \"" + name +
                    "\": the source must be a JSON pointer (/...), \"header:NAME\" or \"prefix:P=V,...\"");
    }
  }
  for (const auto& [pointer, value] : spec.live_if) {
    if (!pointer.starts_with("/")) out.push_back("live_if \"" + pointer + "\": not a JSON pointer");
  }
  for (const auto& [pointer, value] : spec.dead_if) {
    if (!pointer.starts_with("/")) out.push_back("dead_if \"" + pointer + "\": not a JSON pointer");
  }
  if (!spec.dead_if.empty() && spec.dead.empty())
    out.push_back("\"dead_if\" without \"dead\" statuses asks nothing");
  if (spec.live.empty()) out.push_back("\"live\" must list at least one status");
  for (const std::vector<int>* list : {&spec.live, &spec.dead}) {
    for (int status : *list) {
      if (status < 100 || status > 599)
        out.push_back("status " + std::to_string(status) + " is not an HTTP status");
    }
  }
  for (int status : spec.live) {
    if (std::count(spec.dead.begin(), spec.dead.end(), status)) {
      out.push_back("status " + std::to_string(status) + " is both \"live\" and \"dead\"");
    }
  }
  return out;
}

std::string expand_verify_template(std::string_view text, std::string_view base, std::string_view secret) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    if (text.substr(i, 6) == "{base}") {
      out.append(base);
      i += 6;
    } else if (text.substr(i, 8) == "{secret}") {
      out.append(secret);
      i += 8;
    } else {
      out += text[i++];
    }
  }
  return out;
}

std::string verify_url_variable(const std::string& provider) {
  std::string name = "KEYGATE_VERIFY_";
  for (char c : provider) {
    name += (c == '-' || c == '.') ? '_' : upper(c);
  }
  return name + "_URL";
}

}  // namespace keygate
