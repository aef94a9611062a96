// This file implements encoded_forms (see plan.hpp): the encoders that mirror keygate's decoders
// (detect/decode.hpp), so that purge replaces a secret in every form the detector found it in.
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "purge/plan.hpp"

namespace keygate::purge {
namespace {

constexpr std::size_t kMinForm = 8;
constexpr std::size_t kMaxForms = 256;
constexpr char kHexLower[] = "0123456789abcdef";
constexpr char kHexUpper[] = "0123456789ABCDEF";

// The base64 characters of `bytes` placed `align` bytes into a longer text that depend on `bytes` alone
// (the first and last characters also hold bits of the bytes around them). With align 0, also the whole
// encoding, padded and not: what an encoder writes for the value alone.
void add_base64(std::string_view bytes, std::vector<std::string>& out) {
  static constexpr char kStandard[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  static constexpr char kUrl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  for (std::size_t align = 0; align < 3; ++align) {
    // The bit stream: `align` zero bytes, then the secret, then zero bytes to a whole group.
    std::string stream(align, '\0');
    stream.append(bytes);
    const std::size_t secret_end_bits = 8 * stream.size();
    while (stream.size() % 3 != 0) stream.push_back('\0');
    std::string standard, url;
    for (std::size_t g = 0; g < stream.size(); g += 3) {
      const unsigned v = (static_cast<unsigned char>(stream[g]) << 16) |
                         (static_cast<unsigned char>(stream[g + 1]) << 8) |
                         static_cast<unsigned char>(stream[g + 2]);
      for (int k = 0; k < 4; ++k) {
        const unsigned index = (v >> (18 - 6 * k)) & 63;
        standard += kStandard[index];
        url += kUrl[index];
      }
    }
    // Character i holds bits [6i, 6i + 6) of the stream.
    std::size_t first = (8 * align + 5) / 6;
    std::size_t last = secret_end_bits / 6;  // one past the last character within the secret's bits
    if (align == 0) {
      const std::size_t whole = (secret_end_bits + 5) / 6;  // characters written for the value alone
      std::string padded = standard.substr(0, whole);
      out.push_back(padded);
      out.push_back(url.substr(0, whole));
      while (padded.size() % 4 != 0) padded += '=';
      out.push_back(padded);
    }
    if (last > first) {
      out.push_back(standard.substr(first, last - first));
      out.push_back(url.substr(first, last - first));
    }
  }
}

void add_hex(std::string_view bytes, std::vector<std::string>& out) {
  std::string lower, upper;
  for (const char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    lower += kHexLower[b >> 4], lower += kHexLower[b & 15];
    upper += kHexUpper[b >> 4], upper += kHexUpper[b & 15];
  }
  out.push_back(lower);
  out.push_back(upper);
}

bool unreserved(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

void add_percent(std::string_view bytes, std::vector<std::string>& out) {
  std::string upper, lower, all;
  for (const char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    const std::string u = {'%', kHexUpper[b >> 4], kHexUpper[b & 15]};
    const std::string l = {'%', kHexLower[b >> 4], kHexLower[b & 15]};
    upper += unreserved(b) ? std::string(1, c) : u;
    lower += unreserved(b) ? std::string(1, c) : l;
    all += u;
  }
  out.push_back(upper);
  out.push_back(lower);
  out.push_back(all);
}

// Every byte as `prefix` + hex digits (+ `suffix`): \u00XX, \xXX, &#xXX;. Bytes past ASCII stay as they
// are (their escapes name code points, not bytes).
void add_escaped(std::string_view bytes, std::string_view prefix, int digits, std::string_view suffix,
                 std::vector<std::string>& out) {
  std::string lower, upper;
  for (const char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    if (b >= 0x80) {
      lower += c, upper += c;
      continue;
    }
    lower += prefix, upper += prefix;
    for (int d = digits - 1; d >= 0; --d) {
      const unsigned nibble = d >= 2 ? 0 : (b >> (4 * d)) & 15;
      lower += kHexLower[nibble], upper += kHexUpper[nibble];
    }
    lower += suffix, upper += suffix;
  }
  out.push_back(lower);
  out.push_back(upper);
}

void add_html(std::string_view bytes, std::vector<std::string>& out) {
  add_escaped(bytes, "&#x", 2, ";", out);
  std::string decimal;
  for (const char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    decimal += b >= 0x80 ? std::string(1, c) : "&#" + std::to_string(b) + ";";
  }
  out.push_back(decimal);
}

// JSON string escapes of the bytes that have one (a slash escaped too, as some writers do).
void add_json(std::string_view bytes, std::vector<std::string>& out) {
  std::string escaped;
  for (const char c : bytes) {
    if (c == '"' || c == '\\' || c == '/') escaped += '\\';
    escaped += c;
  }
  out.push_back(escaped);
}

void encode_step(std::string_view step, std::string_view bytes, std::vector<std::string>& out) {
  if (step == "base64") {
    add_base64(bytes, out);
  } else if (step == "hex") {
    add_hex(bytes, out);
  } else if (step == "percent") {
    add_percent(bytes, out);
  } else if (step == "unicode") {
    add_escaped(bytes, "\\u", 4, "", out);
  } else if (step == "hex-escape") {
    add_escaped(bytes, "\\x", 2, "", out);
  } else if (step == "json") {
    add_json(bytes, out);
  } else if (step == "html") {
    add_html(bytes, out);
  }
}

}  // namespace

std::vector<std::string> encoded_forms(std::string_view secret, std::string_view chain) {
  std::vector<std::string_view> steps;  // outermost first
  for (std::size_t at = 0; at <= chain.size() && !chain.empty();) {
    const std::size_t end = std::min(chain.find('>', at), chain.size());
    steps.push_back(chain.substr(at, end - at));
    at = end + 1;
  }
  std::set<std::string> seen = {std::string(secret)};
  std::vector<std::string> layer = {std::string(secret)};
  std::vector<std::string> forms;
  for (auto step = steps.rbegin(); step != steps.rend(); ++step) {
    std::vector<std::string> encoded;
    for (const std::string& form : layer) encode_step(*step, form, encoded);
    std::vector<std::string> next;
    for (std::string& e : encoded) {
      if (e.size() < kMinForm || forms.size() >= kMaxForms || !seen.insert(e).second) continue;
      forms.push_back(e);
      next.push_back(std::move(e));
    }
    // A step may leave a form as it was (percent-encoding a secret of unreserved bytes): the next step
    // also encodes the forms of this one.
    layer.insert(layer.end(), next.begin(), next.end());
  }
  return forms;
}

}  // namespace keygate::purge
