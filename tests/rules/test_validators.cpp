// Tests for rules/validators.cpp: each check accepts real shapes and refuses the lookalikes named in its
// contract.
#include <catch2/catch.hpp>

#include "rules/validators.hpp"

using namespace keygate;

TEST_CASE("card numbers need a correct Luhn digit") {
  // Test numbers published by card networks for integration testing.
  CHECK(luhn_valid("4111 1111 1111 1111"));
  CHECK(luhn_valid("5555-5555-5555-4444"));
  CHECK(luhn_valid("378282246310005"));
  CHECK_FALSE(luhn_valid("4111 1111 1111 1112"));
  CHECK_FALSE(luhn_valid("0000 0000 0000 0000"));
  CHECK_FALSE(luhn_valid("123456789012"));  // too short
}

TEST_CASE("IBANs need their country's length and mod 97") {
  CHECK(iban_valid("GB82 WEST 1234 5698 7654 32"));
  CHECK(iban_valid("DE89370400440532013000"));
  CHECK(iban_valid("fr1420041010050500013m02606"));
  CHECK_FALSE(iban_valid("GB82 WEST 1234 5698 7654 33"));
  CHECK_FALSE(iban_valid("DE8937040044053201300"));  // one digit short
  CHECK_FALSE(iban_valid("ZZ89370400440532013000"));
}

TEST_CASE("US social security numbers outside the never-issued ranges") {
  CHECK(us_ssn_valid("123-45-6780"));
  CHECK(us_ssn_valid("536-22-1234"));
  for (const char* bad : {"000-12-3456", "666-12-3456", "912-34-5678", "123-00-4567", "123-45-0000",
                          "078-05-1120", "123-45-678"}) {
    INFO(bad);
    CHECK_FALSE(us_ssn_valid(bad));
  }
}

TEST_CASE("phone numbers are not dates, times, versions or runs") {
  CHECK(phone_plausible("+14155552671"));
  CHECK(phone_plausible("+44 20 7946 0958"));
  CHECK(phone_plausible("(415) 555-2671"));
  CHECK(phone_plausible("030 12345670"));
  for (const char* bad : {"2024-01-15", "12.03.2024", "10:30:00", "1.2.3.4567", "20240115", "12345678",
                          "1111111111", "1234567"}) {
    INFO(bad);
    CHECK_FALSE(phone_plausible(bad));
  }
}

TEST_CASE("e-mail addresses are not asset names or reserved domains") {
  CHECK(email_plausible("jane.doe@gmail.com"));
  CHECK(email_plausible("ops+alerts@corp.co.uk"));
  for (const char* bad :
       {"icon@2x.png", "user@example.com", "a@b.example.org", "root@localhost", "x@host.test"}) {
    INFO(bad);
    CHECK_FALSE(email_plausible(bad));
  }
}

TEST_CASE("checks are found by name") {
  bool known = false;
  CHECK(validator_named("luhn", &known) == Validator::Luhn);
  CHECK(known);
  validator_named("nope", &known);
  CHECK_FALSE(known);
  for (Validator v :
       {Validator::Luhn, Validator::Iban, Validator::UsSsn, Validator::Phone, Validator::Email}) {
    CHECK(validator_named(validator_name(v), &known) == v);
  }
}

TEST_CASE("HTTP Basic credentials: documentation placeholders are not secrets") {
  CHECK(basic_auth_plausible("ZGVwbG95OjJ2THo4d1I0cTlLbQ=="));              // deploy:2vLz8wR4q9Km
  CHECK_FALSE(basic_auth_plausible("dXNlckBob3N0OnBhc3NAaG9zdA=="));        // user@host:pass@host
  CHECK_FALSE(basic_auth_plausible("dXNlcjpwYXNzd29yZA=="));                // user:password
  CHECK_FALSE(basic_auth_plausible("YWRtaW46YWRtaW4="));                    // admin:admin
  CHECK(basic_auth_plausible("PVYAWasnM0nt43UK8kgML4bx8xOh_uRQPhfxLNbA"));  // a bearer token
  CHECK_FALSE(basic_auth_plausible("dGVzdA=="));                      // "test": a word, no user:password
  CHECK_FALSE(basic_auth_plausible("QWxhZGRpbjpvcGVuIHNlc2FtZQ=="));  // RFC 7617's Aladdin:open sesame
  CHECK(basic_auth_plausible("3q2+7w=="));                            // binary: an opaque token
  CHECK_FALSE(basic_auth_plausible("Y2k6JXM="));                      // ci:%s
  CHECK_FALSE(basic_auth_plausible("Y2k6eHh4eHh4eHg="));              // ci:xxxxxxx
  CHECK_FALSE(basic_auth_plausible("Y2k6eW91cl9wYXNzd29yZF9oZXJl"));  // ci:your_password_here
}
