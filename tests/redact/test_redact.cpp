// Tests for redact.cpp: secrets replaced, everything else byte for byte, JSON fields blanked, long lines
// and secrets across read boundaries, encoded secrets, UTF-16, and the property that `scan` finds nothing
// in redacted output that it found in the input.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <random>

#include "config/config.hpp"
#include "core/finding.hpp"
#include "core/scanner.hpp"
#include "redact/default_scanner.hpp"
#include "redact/redact.hpp"
#include "support/repo.hpp"
#include "util/utf16.hpp"

using namespace keygate;
using keygate::test::fake_together_key;

namespace {

Scanner& scanner() { return test::default_scanner(); }

// Runs redact_stream over `input` through real files; returns the output.
std::string through_stream(const std::string& input, RedactStats& stats, RedactOptions options = {},
                           bool line_buffered = false) {
  test::TempDir dir;
  test::write_file(dir / "in", input);
  const int in = ::open((dir / "in").c_str(), O_RDONLY);
  const int out = ::open((dir / "out").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  redact_stream(scanner(), options, in, out, "in", line_buffered, stats);
  ::close(in);
  ::close(out);
  return test::read_file(dir / "out");
}

}  // namespace

TEST_CASE("a key in a log line becomes its redacted form; other bytes are unchanged") {
  const std::string k = fake_together_key(1);
  const std::string input = "start\r\nINFO calling with TOGETHER_API_KEY=" + k + " \xff\xfe done\r\nend";
  RedactStats stats;
  const std::string out = through_stream(input, stats);
  CHECK(out.find(k) == std::string::npos);
  CHECK(out == "start\r\nINFO calling with TOGETHER_API_KEY=tgp_v1_\xe2\x80\xa6" + k.substr(k.size() - 4) +
                   " \xff\xfe done\r\nend");
  CHECK(stats.secrets == 1);
}

TEST_CASE("a mask template replaces secrets with the rule id") {
  const std::string k = fake_together_key(2);
  RedactOptions options;
  options.mask = "[REDACTED:{rule}]";
  RedactStats stats;
  CHECK(through_stream("key " + k + "\n", stats, options) == "key [REDACTED:together-api-key]\n");
}

TEST_CASE("JSON Lines: sensitive fields at any depth are blanked, structure and order kept") {
  const std::string k = fake_together_key(3);
  const std::string input =
      R"({"id": 1, "api_key": "abc", "nested": {"System_Prompt": {"x": [1, 2]}, "text": "use )" + k +
      R"("}})"
      "\n"
      "not json at all " +
      k +
      "\n"
      R"({"model_output": "fine", "b": 2})"
      "\n";
  RedactStats stats;
  const std::string out = through_stream(input, stats);
  CHECK(out.find(k) == std::string::npos);
  CHECK(
      out.find(
          R"({"id": 1, "api_key": "[REDACTED]", "nested": {"System_Prompt": "[REDACTED]", "text": "use tgp_v1_)") ==
      0);
  CHECK(out.find(R"({"model_output": "[REDACTED]", "b": 2})"
                 "\n") != std::string::npos);
  CHECK(stats.fields == 3);
  CHECK(stats.invalid_json_lines == 1);
  CHECK(stats.secrets == 2);
}

TEST_CASE("a key in a line longer than a piece is still found, even across the piece boundary") {
  const std::string k = fake_together_key(4);
  for (const std::size_t at : {std::size_t{100}, kRedactPiece - kRedactOverlap - 10, kRedactPiece + 5}) {
    std::string input(kRedactPiece * 2, 'a');
    for (std::size_t i = 0; i < input.size(); i += 97) input[i] = ' ';
    input.replace(at, k.size() + 2, " " + k + " ");
    RedactStats stats;
    const std::string out = through_stream(input, stats);
    INFO("key at " << at);
    CHECK(out.find(k) == std::string::npos);
    CHECK(stats.secrets == 1);
    CHECK(out.size() == input.size() - k.size() + redacted(k).size());
  }
}

TEST_CASE("a private key arriving line by line is redacted whole") {
  const std::string body =
      test::random_string(5, 64, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
  std::string pem =
      "-----BEGIN RSA PRIVATE"
      " KEY-----\n";
  for (int i = 0; i < 12; ++i) pem += body + "\n";
  pem +=
      "-----END RSA PRIVATE"
      " KEY-----\n";
  RedactStats stats;
  const std::string out = through_stream("log line\n" + pem + "after\n", stats, {}, true);
  CHECK(out.find(body) == std::string::npos);
  CHECK(out.rfind("log line\n", 0) == 0);
  CHECK(out.find("after\n") != std::string::npos);
}

namespace {

// The secrets `scan` finds in `text` (UTF-16 read as `scan` reads it).
std::vector<std::string> secrets_in(const std::string& text) {
  std::string decoded;
  const std::string& utf8 = decode_utf16(text, decoded) ? decoded : text;
  std::vector<std::string> out;
  for (const Finding& f : scanner().detect_text(utf8, Origin{})) out.push_back(f.secret);
  return out;
}

std::string hex_of(std::string_view s, const char* format) {
  std::string out;
  char buffer[16];
  for (const char c : s) {
    std::snprintf(buffer, sizeof buffer, format, static_cast<unsigned char>(c));
    out += buffer;
  }
  return out;
}

std::string base64_of(std::string_view s) {
  static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t i = 0; i < s.size(); i += 3) {
    const std::uint32_t n = static_cast<std::uint32_t>(static_cast<unsigned char>(s[i])) << 16 |
                            (i + 1 < s.size() ? static_cast<unsigned char>(s[i + 1]) << 8 : 0) |
                            (i + 2 < s.size() ? static_cast<unsigned char>(s[i + 2]) : 0);
    out += alphabet[(n >> 18) & 63];
    out += alphabet[(n >> 12) & 63];
    out += i + 1 < s.size() ? alphabet[(n >> 6) & 63] : '=';
    out += i + 2 < s.size() ? alphabet[n & 63] : '=';
  }
  return out;
}

// "TOGETHER_API_KEY=<key>" in each encoding the decoder reads.
std::vector<std::string> encodings_of(const std::string& key) {
  const std::string line = "TOGETHER_API_KEY=" + key;
  return {line,
          base64_of(line + "\n"),
          hex_of(line, "%02x"),
          hex_of(line, "\\u%04x"),
          "TOGETHER_API_KEY%3D" + hex_of(key, "%%%02X"),
          hex_of(line, "&#%d;"),
          hex_of(line, "\\x%02x")};
}

}  // namespace

TEST_CASE("#23 item 3: a secret found decoded loses its whole encoded span, and nothing around it") {
  const std::string k = fake_together_key(11);
  for (const std::string& encoded : encodings_of(k)) {
    INFO(encoded);
    const std::string input = "before (" + encoded + ") after\n";
    REQUIRE_FALSE(secrets_in(input).empty());
    RedactStats stats;
    const std::string out = through_stream(input, stats);
    CHECK(secrets_in(out).empty());
    CHECK(out.find(k.substr(7, 20)) == std::string::npos);
    CHECK(out.rfind("before (", 0) == 0);
    CHECK(out.size() >= 8 + 9);
    CHECK(out.substr(out.size() - 8) == ") after\n");
    CHECK(stats.secrets == 1);
  }
}

TEST_CASE("#23 item 4: a private key in a log whose first line is JSON is redacted whole") {
  const std::string body =
      test::random_string(21, 64, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
  std::string input = "{\"event\": \"start\", \"api_key\": \"x\"}\nplain line\n-----BEGIN PRIVATE";
  input += " KEY-----\n";
  for (int i = 0; i < 10; ++i) input += body + "\n";
  input += "-----END PRIVATE";
  input += " KEY-----\n{\"event\": \"stop\"}\n";
  for (const RedactFormat format : {RedactFormat::Auto, RedactFormat::Jsonl}) {
    for (const bool live : {false, true}) {
      RedactOptions options;
      options.format = format;
      RedactStats stats;
      const std::string out = through_stream(input, stats, options, live);
      CHECK(out.find(body) == std::string::npos);
      CHECK(out.rfind("{\"event\": \"start\", \"api_key\": \"[REDACTED]\"}\nplain line\n", 0) == 0);
      CHECK(out.find("{\"event\": \"stop\"}\n") != std::string::npos);
    }
  }
}

TEST_CASE("#23 item 6: a UTF-16 file is redacted and written back as UTF-16, every other unit unchanged") {
  const std::string k = fake_together_key(12);
  const std::string text = "first line\r\nTOGETHER_API_KEY=" + k + " tail\n";
  for (const bool little : {true, false}) {
    for (const bool bom : {true, false}) {
      INFO("little " << little << " bom " << bom);
      RedactStats stats;
      const std::string out = through_stream(test::utf16(text, little, bom), stats);
      std::string decoded;
      REQUIRE(decode_utf16(out, decoded));
      const std::vector<std::string> before = secrets_in(test::utf16(text, little, bom));
      for (const std::string& s : secrets_in(out)) {
        CHECK(std::find(before.begin(), before.end(), s) == before.end());
      }
      CHECK(decoded == "first line\r\nTOGETHER_API_KEY=" + redacted(k) + " tail\n");
      CHECK(out.substr(0, bom ? 2 : 0) == test::utf16(text, little, bom).substr(0, bom ? 2 : 0));
      CHECK(stats.secrets == 1);
    }
  }
}

TEST_CASE("#23 item 6: surrogate pairs, lone surrogates and an odd last byte of UTF-16 come back unchanged") {
  std::string input = "\xFF\xFE";
  for (const unsigned unit : {0x61u, 0xD83Du, 0xDE00u, 0x20u, 0xDC00u, 0xD800u, 0x62u, 0x0Au, 0xD801u}) {
    input += static_cast<char>(unit & 0xFF);
    input += static_cast<char>(unit >> 8);
  }
  input += 'z';
  RedactStats stats;
  CHECK(through_stream(input, stats) == input);
}

TEST_CASE(
    "#23: scan finds nothing in redacted output that it found in the input (keys, encodings, formats)") {
  // Documents made at run time from a seeded generator: lines of filler, some holding a key in one of the
  // encodings, as plain text, JSON Lines records or UTF-16; each key's line keeps what is around it.
  const std::vector<std::string> filler = {"INFO request served in 12 ms",
                                           "user=bob action=login",
                                           "{\"event\": \"x\", \"n\": 3}",
                                           "bytes \xff\xfe\x80 that are not UTF-8",
                                           "-----BEGIN CERTIFICATE----- quoted in a message",
                                           "   "};
  std::mt19937_64 rng(2323);
  for (int round = 0; round < 60; ++round) {
    const int shape = static_cast<int>(rng() % 4);  // 0 text, 1 JSON Lines, 2 UTF-16 LE, 3 UTF-16 BE
    std::string doc;
    std::vector<std::string> keys, kept;
    for (int line = 0; line < 12; ++line) {
      std::string text;
      if (rng() % 3 == 0) {
        const std::string k = fake_together_key(rng() % 100000);
        const std::vector<std::string> e = encodings_of(k);
        keys.push_back(k);
        text = "pre " + e[rng() % e.size()] + " post";
      } else {
        text = filler[rng() % filler.size()];
        if (shape >= 2 && text[0] == 'b') text = "ascii only here";
      }
      if (shape == 1) {
        std::string escaped;
        for (const char c : text) {
          if (c == '"' || c == '\\') escaped += '\\';
          escaped += c;
        }
        text = escaped;
      }
      if (text.find(" post") == std::string::npos) kept.push_back(text);
      if (shape == 1) text = "{\"line\": \"" + text + "\", \"api_key\": \"" + std::to_string(line) + "\"}";
      doc += text + (rng() % 2 ? "\n" : "\r\n");
    }
    if (shape >= 2) doc = test::utf16(doc, shape == 2, rng() % 2 == 0);
    INFO("round " << round << " shape " << shape);
    RedactStats stats;
    const std::string out = through_stream(doc, stats, {}, rng() % 2 == 0);
    const std::vector<std::string> before = secrets_in(doc), after = secrets_in(out);
    for (const std::string& s : after) {
      CHECK(std::find(before.begin(), before.end(), s) == before.end());
    }
    std::string text;
    if (!decode_utf16(out, text)) text = out;
    for (const std::string& k : keys) CHECK(text.find(k) == std::string::npos);
    // Nothing outside a secret's span is eaten: each filler line is still there, and so is what
    // surrounds each key.
    std::size_t at = 0;
    for (const std::string& line : kept) {
      const std::size_t found = text.find(line, at);
      INFO(line << " in " << text);
      CHECK(found != std::string::npos);
      if (found != std::string::npos) at = found;
    }
    std::size_t pre = 0, post = 0;
    for (std::size_t p = 0; (p = text.find("pre ", p)) != std::string::npos; ++p) ++pre;
    for (std::size_t p = 0; (p = text.find(" post", p)) != std::string::npos; ++p) ++post;
    CHECK(pre == keys.size());
    CHECK(post == keys.size());
  }
}
