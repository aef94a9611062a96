// This file implements reading a provider's answer (see identity.hpp): JSON pointers over the body with
// util/json_walk, headers, and the key's own prefix.
#include "verify/identity.hpp"

#include "util/ascii.hpp"
#include "util/json_walk.hpp"
#include "verify/verify.hpp"

namespace keygate {
namespace {

constexpr std::size_t kMaxValue = 200;

}  // namespace

std::string cleaned_value(std::string text, const std::string& secret) {
  text = redact_in(std::move(text), secret);
  for (char& c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  if (text.size() > kMaxValue) {
    std::size_t cut = kMaxValue;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    text.resize(cut);
    text += "…";
  }
  return text;
}

namespace {

// A scalar JSON value as text: strings unescaped, everything else as written; nullopt for containers.
std::optional<std::string> scalar_text(std::string_view json, const JsonValue& v) {
  const char first = json[v.begin];
  if (first == '"') return json_string(json, v);
  if (first == '{' || first == '[') return std::nullopt;
  return std::string(json.substr(v.begin, v.end - v.begin));
}

}  // namespace

std::optional<std::string> json_text_at(std::string_view json, std::string_view pointer) {
  std::optional<std::string> found;
  std::string items;
  bool is_array = false, any_item = false;
  const std::string prefix = std::string(pointer) + "/";
  const bool valid = walk_json(json, [&](const JsonValue& v) {
    if (v.pointer == pointer) {
      const char first = json[v.begin];
      if (first == '[') {
        is_array = true;
      } else {
        found = scalar_text(json, v);
      }
    } else if (v.pointer.starts_with(prefix) &&
               v.pointer.find('/', prefix.size()) == std::string_view::npos) {
      // A direct item of the value at `pointer`, in case it is an array of scalars (scopes).
      if (std::optional<std::string> text = scalar_text(json, v)) {
        if (any_item) items += ", ";
        items += *text;
        any_item = true;
      }
    }
  });
  if (!valid) return std::nullopt;
  if (is_array) return items;
  return found;
}

namespace {

// True when every pointer of `conditions` has its value in `body`; nullopt when `body` is not JSON.
std::optional<bool> all_hold(const std::vector<std::pair<std::string, std::string>>& conditions,
                             std::string_view body) {
  if (conditions.empty()) return true;
  if (!walk_json(body, [](const JsonValue&) {})) return std::nullopt;
  for (const auto& [pointer, want] : conditions) {
    if (json_text_at(body, pointer) != want) return false;
  }
  return true;
}

}  // namespace

std::optional<bool> live_if_holds(const VerifySpec& spec, std::string_view body) {
  return all_hold(spec.live_if, body);
}

bool dead_if_holds(const VerifySpec& spec, std::string_view body) {
  return all_hold(spec.dead_if, body).value_or(false);
}

Identity read_identity(const VerifySpec& spec, const http::Response* answer, const std::string& secret) {
  Identity out;
  for (const auto& [name, source] : spec.identity) {
    std::optional<std::string> value;
    if (source.starts_with("prefix:")) {
      std::string_view rest = std::string_view(source).substr(7);
      while (!rest.empty() && !value) {
        const std::string_view item = rest.substr(0, rest.find(','));
        rest.remove_prefix(std::min(rest.size(), item.size() + 1));
        const std::size_t eq = item.find('=');
        if (eq != std::string_view::npos && secret.starts_with(item.substr(0, eq)))
          value = std::string(item.substr(eq + 1));
      }
    } else if (answer == nullptr) {
      continue;
    } else if (source.starts_with("header:")) {
      std::string name = source.substr(7);
      for (char& c : name) c = lower(c);  // the answer's header names are lower-cased (http.hpp)
      if (const std::string* header = http::find_header(*answer, name)) value = *header;
    } else if (!answer->body_cut) {
      value = json_text_at(answer->body, source);
    }
    if (value && !value->empty() && *value != "null")
      out.emplace_back(name, cleaned_value(std::move(*value), secret));
  }
  return out;
}

std::string base64(std::string_view bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::size_t n = std::min<std::size_t>(3, bytes.size() - i);
    std::uint32_t block = 0;
    for (std::size_t j = 0; j < 3; ++j)
      block = block << 8 | (j < n ? static_cast<unsigned char>(bytes[i + j]) : 0u);
    for (std::size_t j = 0; j < 4; ++j) out += j <= n ? kAlphabet[(block >> (18 - 6 * j)) & 63] : '=';
  }
  return out;
}

}  // namespace keygate
