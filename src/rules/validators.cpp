// This file implements the personal-data checks (see rules/validators.hpp).
#include "rules/validators.hpp"

#include <algorithm>
#include <array>
#include <string>

#include "detect/decode.hpp"
#include "util/ascii.hpp"

namespace keygate {
namespace {

std::string digits_of(std::string_view s) {
  std::string out;
  for (const char c : s) {
    if (is_digit(c)) out += c;
  }
  return out;
}

bool all_same(std::string_view digits) {
  return !digits.empty() && std::all_of(digits.begin(), digits.end(), [&](char c) { return c == digits[0]; });
}

// IBAN lengths by country (ISO 13616 registry).
struct IbanCountry {
  char code[3];
  int length;
};
constexpr std::array<IbanCountry, 88> kIbanLengths = {{
    {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16}, {"BG", 22},
    {"BH", 22}, {"BI", 27}, {"BR", 29}, {"BY", 28}, {"CH", 21}, {"CR", 22}, {"CY", 28}, {"CZ", 24},
    {"DE", 22}, {"DJ", 27}, {"DK", 18}, {"DO", 28}, {"EE", 20}, {"EG", 29}, {"ES", 24}, {"FI", 18},
    {"FK", 18}, {"FO", 18}, {"FR", 27}, {"GB", 22}, {"GE", 22}, {"GI", 23}, {"GL", 18}, {"GR", 27},
    {"GT", 28}, {"HN", 28}, {"HR", 21}, {"HU", 28}, {"IE", 22}, {"IL", 23}, {"IQ", 23}, {"IS", 26},
    {"IT", 27}, {"JO", 30}, {"KW", 30}, {"KZ", 20}, {"LB", 28}, {"LC", 32}, {"LI", 21}, {"LT", 20},
    {"LU", 20}, {"LV", 21}, {"LY", 25}, {"MC", 27}, {"MD", 24}, {"ME", 22}, {"MK", 19}, {"MN", 20},
    {"MR", 27}, {"MT", 31}, {"MU", 30}, {"NI", 28}, {"NL", 18}, {"NO", 15}, {"OM", 23}, {"PK", 24},
    {"PL", 28}, {"PS", 29}, {"PT", 25}, {"QA", 29}, {"RO", 24}, {"RS", 22}, {"RU", 33}, {"SA", 24},
    {"SC", 31}, {"SD", 18}, {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27}, {"SO", 23}, {"ST", 25},
    {"SV", 28}, {"TL", 23}, {"TN", 24}, {"TR", 26}, {"UA", 29}, {"VA", 22}, {"VG", 24}, {"XK", 20},
}};

}  // namespace

Validator validator_named(std::string_view name, bool* known) {
  *known = true;
  if (name.empty() || name == "none") return Validator::None;
  if (name == "luhn") return Validator::Luhn;
  if (name == "iban") return Validator::Iban;
  if (name == "us-ssn") return Validator::UsSsn;
  if (name == "phone") return Validator::Phone;
  if (name == "email") return Validator::Email;
  if (name == "basic-auth") return Validator::BasicAuth;
  *known = false;
  return Validator::None;
}

std::string_view validator_name(Validator v) {
  switch (v) {
    case Validator::None:
      return "";
    case Validator::Luhn:
      return "luhn";
    case Validator::Iban:
      return "iban";
    case Validator::UsSsn:
      return "us-ssn";
    case Validator::Phone:
      return "phone";
    case Validator::Email:
      return "email";
    case Validator::BasicAuth:
      return "basic-auth";
  }
  return "";
}

bool validate(Validator v, std::string_view candidate) {
  switch (v) {
    case Validator::None:
      return true;
    case Validator::Luhn:
      return luhn_valid(candidate);
    case Validator::Iban:
      return iban_valid(candidate);
    case Validator::UsSsn:
      return us_ssn_valid(candidate);
    case Validator::Phone:
      return phone_plausible(candidate);
    case Validator::Email:
      return email_plausible(candidate);
    case Validator::BasicAuth:
      return basic_auth_plausible(candidate);
  }
  return true;
}

bool luhn_valid(std::string_view card_number) {
  const std::string d = digits_of(card_number);
  if (d.size() < 13 || d.size() > 19 || all_same(d)) return false;
  int sum = 0;
  bool twice = false;
  for (auto it = d.rbegin(); it != d.rend(); ++it) {
    int v = *it - '0';
    if (twice && (v *= 2) > 9) v -= 9;
    sum += v;
    twice = !twice;
  }
  return sum % 10 == 0;
}

bool iban_valid(std::string_view iban) {
  std::string s;
  for (const char c : iban) {
    if (c == ' ' || c == '-') continue;
    if (!is_alnum(c)) return false;
    s += upper(c);
  }
  if (s.size() < 15 || s.size() > 34) return false;
  if (!is_alpha(s[0]) || !is_alpha(s[1]) || !is_digit(s[2]) || !is_digit(s[3])) {
    return false;
  }
  const auto country = std::find_if(kIbanLengths.begin(), kIbanLengths.end(),
                                    [&](const IbanCountry& c) { return s.compare(0, 2, c.code) == 0; });
  if (country == kIbanLengths.end() || static_cast<int>(s.size()) != country->length) return false;
  // Move the first four characters to the end, letters become 10..35, and the number mod 97 must be 1.
  const std::string rotated = s.substr(4) + s.substr(0, 4);
  int remainder = 0;
  for (const char c : rotated) {
    const int v = is_digit(c) ? c - '0' : c - 'A' + 10;
    remainder = v >= 10 ? (remainder * 100 + v) % 97 : (remainder * 10 + v) % 97;
  }
  return remainder == 1;
}

bool us_ssn_valid(std::string_view ssn) {
  const std::string d = digits_of(ssn);
  if (d.size() != 9) return false;
  const int area = std::stoi(d.substr(0, 3));
  const int group = std::stoi(d.substr(3, 2));
  const int serial = std::stoi(d.substr(5, 4));
  // Never issued: area 000, 666 and 900-999; group 00; serial 0000. 078-05-1120 was printed on a wallet
  // insert and is the best-known sample number.
  if (area == 0 || area == 666 || area >= 900 || group == 0 || serial == 0) return false;
  if (d == "078051120" || d == "123456789") return false;
  return true;
}

bool phone_plausible(std::string_view phone) {
  const std::string d = digits_of(phone);
  if (d.size() < 8 || d.size() > 15 || all_same(d)) return false;
  // Dates and times written with separators (2024-01-15, 12.03.2024, 10:30:00) are not phone numbers.
  const std::size_t dots = static_cast<std::size_t>(std::count(phone.begin(), phone.end(), '.'));
  if (phone.find(':') != std::string_view::npos) return false;
  if (dots >= 2 && phone.front() != '+') return false;  // version strings, dotted dates
  if (d.size() == 8 && (d.compare(0, 2, "19") == 0 || d.compare(0, 2, "20") == 0)) return false;  // 20240115
  // Ascending or descending runs (12345678) are placeholders.
  bool ascending = true;
  for (std::size_t i = 1; i < d.size() && ascending; ++i) ascending = d[i] == static_cast<char>(d[i - 1] + 1);
  return !ascending;
}

bool email_plausible(std::string_view email) {
  const std::size_t at = email.rfind('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= email.size()) return false;
  const std::string domain = lowered(email.substr(at + 1));
  const std::size_t dot = domain.rfind('.');
  if (dot == std::string::npos) return false;
  const std::string tld = domain.substr(dot + 1);
  // Image and asset names (icon@2x.png), and domains reserved for examples and tests (RFC 2606, 6761).
  static const char* const kFileExtensions[] = {"png", "jpg", "jpeg", "gif",  "svg", "webp", "js", "css",
                                                "ts",  "map", "json", "html", "py",  "rb",   "go", "md"};
  for (const char* ext : kFileExtensions) {
    if (tld == ext) return false;
  }
  static const char* const kReserved[] = {"example.com", "example.org", "example.net", "example",
                                          "test",        "invalid",     "localhost",   "local"};
  for (const char* r : kReserved) {
    const std::string_view name(r);
    if (domain == name ||
        (domain.size() > name.size() && domain.compare(domain.size() - name.size(), name.size(), name) == 0 &&
         domain[domain.size() - name.size() - 1] == '.')) {
      return false;
    }
  }
  return true;
}

bool basic_auth_plausible(std::string_view token) {
  std::string plain;
  if (!decode_base64(token, plain, 512)) return true;
  const std::size_t colon = plain.find(':');
  if (colon == std::string::npos) {
    // Text without a colon is a word ("Basic dGVzdA==" is "test"), not user:password. Binary is an opaque
    // token some services put there, kept.
    const bool text = std::all_of(plain.begin(), plain.end(), [](char c) {
      const auto u = static_cast<unsigned char>(c);
      return (u >= 0x20 && u < 0x7f) || c == '\t';
    });
    return !text;
  }
  const std::string user = lowered(plain.substr(0, colon));
  const std::string password = lowered(plain.substr(colon + 1));
  if (password.empty() || password == user) return false;
  if (user == "aladdin" && password == "open sesame") return false;  // RFC 7617's own example
  // The words of documentation and tests, alone or with a host ("pass@host").
  const std::string word = password.substr(0, password.find('@'));
  if (word.empty()) return false;
  static const char* const kPlaceholders[] = {"pass", "password", "passwd", "pwd",  "secret", "changeme",
                                              "test", "example",  "xxx",    "xxxx", "***",    "token"};
  for (const char* p : kPlaceholders) {
    if (word == p) return false;
  }
  // Masks (xxxxxxxx, ****), templates (<pw>, $PW, ${PW}, {{ pw }}, %s) and "your_password_here".
  if (word.find_first_not_of("x*") == std::string::npos) return false;
  if (word.find("your") != std::string::npos || word.find("password") != std::string::npos) return false;
  return word.front() != '<' && word.front() != '$' && word.front() != '{' && word.front() != '%';
}

}  // namespace keygate
