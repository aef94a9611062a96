// Tests of the generic detector's reading of names (src/detect/generic_names.cpp): the quick filter every
// word of a window passes through.
#include <algorithm>
#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <string_view>

#include "detect/generic.hpp"

using namespace keygate;

namespace {

// The filter's definition: a stem occurs in the first 64 bytes, ASCII case ignored.
bool reference(std::string_view token) {
  if (token.size() < 2) return false;
  std::string l(token.substr(0, 64));
  std::transform(l.begin(), l.end(), l.begin(),
                 [](unsigned char c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; });
  for (std::string_view stem :
       {"pass", "pwd", "secret", "token", "credential", "key", "auth", "salt", "pw"}) {
    if (l.find(stem) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("may_name_credential finds a stem anywhere in a word's first 64 bytes, in any case") {
  for (const char* yes : {"password", "DB_PASSWORD", "dbPwd", "PW", "clientSecret", "SALT", "apiKey",
                          "x_auth_header", "CREDENTIALS", "refresh_token"})
    CHECK(may_name_credential(yes));
  for (const char* no : {"", "p", "username", "host", "port", "database", "Pas", "credentia", "toke"})
    CHECK_FALSE(may_name_credential(no));
  // A stem that starts inside the first 64 bytes but ends past them is not seen, as before.
  CHECK_FALSE(may_name_credential(std::string(62, 'x') + "token"));
  CHECK(may_name_credential(std::string(59, 'x') + "token"));

  // Random words over an alphabet dense in the stems' letters agree with the definition.
  std::mt19937 rng(24);
  const std::string alphabet = "pPaAsSwWdDeEcCrRtTkKoOnNyYuUhHlLiI_-0";
  for (int i = 0; i < 20000; ++i) {
    std::string w(rng() % 80, ' ');
    for (char& c : w) c = alphabet[rng() % alphabet.size()];
    INFO(w);
    REQUIRE(may_name_credential(w) == reference(w));
  }
}
