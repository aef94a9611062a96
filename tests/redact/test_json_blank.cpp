// Tests for json_blank.cpp: sensitive values blanked as bytes stream in, whatever the split; validity as
// json_walk judges it; every other byte unchanged; bounded work on huge records.
#include <catch2/catch.hpp>

#include "redact/json_blank.hpp"
#include "support/repo.hpp"
#include "util/json_walk.hpp"

using namespace keygate;

namespace {

const std::vector<std::string> kFields = {"api_key", "system_prompt"};

// Blanks `text` fed in pieces of `step` bytes.
std::string blank(std::string_view text, JsonFraming framing, std::size_t step,
                  JsonBlanker* out_blanker = nullptr) {
  JsonBlanker b(kFields, framing);
  std::string out;
  for (std::size_t at = 0; at < text.size(); at += step) b.feed(text.substr(at, step), out);
  b.finish();
  if (out_blanker != nullptr) *out_blanker = b;
  return out;
}

}  // namespace

TEST_CASE("JSON blanker: sensitive values at any depth, any split of the input, structure kept") {
  const std::string in =
      R"({"id": 1, "API_KEY": "abc\"d", "n": {"system_prompt": {"x": [1, "}"]}, "t": "keep"}, "l": [true, null]})";
  const std::string want =
      R"({"id": 1, "API_KEY": "[REDACTED]", "n": {"system_prompt": "[REDACTED]", "t": "keep"}, "l": [true, null]})";
  for (const std::size_t step : {std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{7}, in.size()}) {
    INFO("step " << step);
    JsonBlanker b(kFields, JsonFraming::Document);
    std::string out = blank(in, JsonFraming::Document, step, &b);
    CHECK(out == want);
    CHECK(b.fields_blanked() == 2);
    CHECK(b.invalid_records() == 0);
    CHECK(walk_json(out, nullptr));
  }
}

TEST_CASE("JSON blanker: an escaped member name is compared unescaped") {
  CHECK(blank(R"({"api\u005Fkey": 42, "a\/b": 1})", JsonFraming::Document, 1) ==
        R"({"api\u005Fkey": "[REDACTED]", "a\/b": 1})");
}

TEST_CASE("#23 item 12: a UTF-8 byte order mark before a JSON record keeps field blanking") {
  const std::string bom = "\xEF\xBB\xBF";
  CHECK(blank(bom + R"({"api_key": "x"})" + "\n" + bom + R"({"api_key": 1})" + "\n", JsonFraming::Lines, 1) ==
        bom + R"({"api_key": "[REDACTED]"})" + "\n" + bom + R"({"api_key": "[REDACTED]"})" + "\n");
  CHECK(blank(bom + R"({"api_key": "x"})", JsonFraming::Document, 2) == bom + R"({"api_key": "[REDACTED]"})");
}

TEST_CASE("JSON blanker: a line that is not JSON passes through; only the JSON lines are counted valid") {
  const std::string in =
      "{\"api_key\": \"a\"}\r\nplain text, \"api_key\": \"b\"\n\n[1, 2\n{\"api_key\": [1]}";
  JsonBlanker b(kFields, JsonFraming::Lines);
  std::string out;
  b.feed(in, out);
  b.finish();
  CHECK(out ==
        "{\"api_key\": \"[REDACTED]\"}\r\nplain text, \"api_key\": \"b\"\n\n[1, 2\n{\"api_key\": "
        "\"[REDACTED]\"}");
  CHECK(b.valid_records() == 2);
  CHECK(b.invalid_records() == 2);
  CHECK(b.first_record_valid());
}

TEST_CASE("JSON blanker agrees with json_walk on validity") {
  const std::vector<std::string> texts = {"1",
                                          "-0.5e+3",
                                          "01",
                                          "[1,]",
                                          "{\"a\" 1}",
                                          "[\"\\x\"]",
                                          "\"\\ud800\"",
                                          "tru",
                                          "[1] [2]",
                                          "{}",
                                          "[[], {}]",
                                          "nul",
                                          "\"a\nb\"",
                                          "1.",
                                          "-",
                                          "[1e5, 2E-3]",
                                          std::string(300, '[') + std::string(300, ']'),
                                          std::string(257, '[') + std::string(257, ']'),
                                          std::string(258, '[') + std::string(258, ']'),
                                          "1" + std::string(200, '0'),
                                          "1." + std::string(100, '5') + "e7"};
  for (const std::string& t : texts) {
    INFO(t.substr(0, 40));
    JsonBlanker b(kFields, JsonFraming::Document);
    std::string out;
    b.feed(t, out);
    b.finish();
    CHECK((b.invalid_records() == 0) == walk_json(t, nullptr));
    CHECK(out == t);
  }
}

TEST_CASE("#23 item 10: a 64 MB record is blanked in one pass with no copy of it held") {
  const std::string chunk = R"("x": ")" + std::string(1 << 20, 'a') + R"(", )";
  JsonBlanker b(kFields, JsonFraming::Lines);
  std::string out;
  b.feed(R"({"api_key": ")", out);
  for (int i = 0; i < 64; ++i) {
    b.feed(std::string(1 << 20, 'k'), out);
    CHECK(out.size() < 64);  // the blanked value is dropped as it streams
  }
  b.feed("\", ", out);
  for (int i = 0; i < 64; ++i) {
    out.clear();
    b.feed(chunk, out);
    CHECK(out == chunk);
  }
  out.clear();
  b.feed("\"end\": 1}\n", out);
  CHECK(out == "\"end\": 1}\n");
  CHECK(b.valid_records() == 1);
  CHECK(b.fields_blanked() == 1);
}
