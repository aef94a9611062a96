// Tests for ascii.hpp: ASCII classes and case mapping that never depend on the locale.
#include <catch2/catch.hpp>
#include <clocale>

#include "util/ascii.hpp"

using namespace keygate;

static_assert(is_alpha('q') && is_upper('Q') && !is_lower('Q') && is_digit('7') && is_alnum('z'));
static_assert(is_hex_digit('f') && is_hex_digit('F') && !is_hex_digit('g'));
static_assert(lower('A') == 'a' && upper('z') == 'Z' && lower('[') == '[' && upper('`') == '`');

TEST_CASE("bytes outside ASCII are neither letters nor digits and keep their case, whatever the locale") {
  const char* previous = std::setlocale(LC_ALL, nullptr);
  const std::string saved = previous != nullptr ? previous : "C";
  std::setlocale(LC_ALL, "C.UTF-8");  // where std::isalpha might widen; ascii.hpp must not
  for (int b = 0x80; b <= 0xFF; ++b) {
    const char c = static_cast<char>(b);
    CHECK_FALSE(is_alpha(c));
    CHECK_FALSE(is_alnum(c));
    CHECK_FALSE(is_hex_digit(c));
    CHECK(lower(c) == c);
    CHECK(upper(c) == c);
  }
  std::setlocale(LC_ALL, saved.c_str());
}

TEST_CASE("lowered and ends_with_lowered") {
  CHECK(lowered("DB_Password\xc3\x89") == "db_password\xc3\x89");
  CHECK(ends_with_lowered("data/Train.JSONL", ".jsonl"));
  CHECK_FALSE(ends_with_lowered("data/train.json", ".jsonl"));
  CHECK_FALSE(ends_with_lowered("l", ".jsonl"));
  CHECK(ends_with_lowered("x", ""));
}
