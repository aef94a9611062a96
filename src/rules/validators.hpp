// This file implements the checks behind the opt-in personal-data rules (`--rules pii`): a regex finds a
// candidate, and the rule's `check` confirms it (a card number's Luhn digit, an IBAN's mod-97),
// so that order numbers, timestamps and version strings that merely look alike stay quiet.
#pragma once

#include <string_view>

namespace keygate {

// The checks a rule can name with `check = "..."` (a keygate extension). None: no check.
enum class Validator { None, Luhn, Iban, UsSsn, Phone, Email, BasicAuth };

// The check called `name`, or nullopt-like Validator::None with *known = false for an unknown name.
Validator validator_named(std::string_view name, bool* known);
// The name of a check, for messages and for the binary form of a config.
std::string_view validator_name(Validator v);

// True iff `candidate` passes check `v` (always true for None).
bool validate(Validator v, std::string_view candidate);

// The individual checks. Separators (spaces, '-', '.') are ignored where the format allows them.
bool luhn_valid(std::string_view card_number);  // 13 to 19 digits and a correct Luhn check digit
bool iban_valid(std::string_view iban);         // country code, check digits, length per country, mod 97 == 1
bool us_ssn_valid(std::string_view ssn);        // AAA-GG-SSSS outside the never-issued ranges
bool phone_plausible(std::string_view phone);   // 8 to 15 digits, not a date, a version or one repeated digit
bool email_plausible(std::string_view email);   // not a file name (@2x.png), not an example or local domain
// An HTTP Basic credential (base64 of "user:password") whose password is not a documentation placeholder
// ("user:password", "user@host:pass@host", "admin:admin"); text without a colon (a word) fails, binary
// (an opaque token) passes.
bool basic_auth_plausible(std::string_view token);

}  // namespace keygate
