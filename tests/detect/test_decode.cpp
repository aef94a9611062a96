// Tests for decode.cpp and decode_codecs.cpp: each decoder (valid, invalid, truncated, mixed, nested), the
// candidate spans and their places, the bounds, and, through scan(), where a decoded secret is reported and
// the lookalikes that must stay quiet. Keys are generated at run time (issue #11).
#include <catch2/catch.hpp>

#include "config/config.hpp"
#include "detect/decode.hpp"
#include "detect/matcher.hpp"
#include "filter/fingerprint.hpp"
#include "support/repo.hpp"

using namespace keygate;
using keygate::test::fake_together_key;
using keygate::test::random_string;

namespace {

std::string base64(std::string_view in, bool url = false, bool pad = true) {
  const char* a = url ? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
                      : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) |
                       (static_cast<unsigned char>(in[i + 1]) << 8) | static_cast<unsigned char>(in[i + 2]);
    out += {a[v >> 18], a[(v >> 12) & 63], a[(v >> 6) & 63], a[v & 63]};
  }
  if (i + 1 == in.size()) {
    const unsigned v = static_cast<unsigned char>(in[i]) << 16;
    out += {a[v >> 18], a[(v >> 12) & 63]};
    if (pad) out += "==";
  } else if (i + 2 == in.size()) {
    const unsigned v =
        (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8);
    out += {a[v >> 18], a[(v >> 12) & 63], a[(v >> 6) & 63]};
    if (pad) out += "=";
  }
  return out;
}

std::string hex(std::string_view in, const char* format = "%02x") {
  std::string out;
  char b[8];
  for (unsigned char c : in) {
    std::snprintf(b, sizeof b, format, c);
    out += b;
  }
  return out;
}

const RuleSet& defaults() {
  static const RuleSet rules(default_config());
  return rules;
}

std::vector<Finding> find(const std::string& text, const std::string& path = "f.txt") {
  Fragment f;
  f.text = text;
  f.origin.path = path;
  return detect(defaults(), f);
}

std::string decode_one(Encoding e, std::string_view in) {
  std::string out;
  bool ok = false;
  if (e == Encoding::Base64) ok = decode_base64(in, out, 1 << 20);
  if (e == Encoding::Hex) ok = decode_hex(in, out, 1 << 20);
  if (e == Encoding::Percent) ok = decode_percent(in, out, 1 << 20);
  if (e == Encoding::Json) ok = decode_escapes(in, out, 1 << 20) != Encoding::None;
  return ok ? out : "<invalid>";
}

}  // namespace

TEST_CASE("base64: standard and URL-safe, padded or not; invalid and truncated input") {
  const std::string text = "hello, world: ~~~?!?>>>";
  CHECK(decode_one(Encoding::Base64, base64(text)) == text);
  CHECK(decode_one(Encoding::Base64, base64(text, true)) == text);
  CHECK(decode_one(Encoding::Base64, base64(text, false, false)) == text);
  CHECK(decode_one(Encoding::Base64, "aGVsbG8*") == "<invalid>");
  CHECK(decode_one(Encoding::Base64, base64(text).substr(0, 9)) ==
        text.substr(0, 6));  // a partial group is dropped
}

TEST_CASE("hex, percent and escapes: valid, invalid, truncated, mixed") {
  CHECK(decode_one(Encoding::Hex, hex("abc")) == "abc");
  CHECK(decode_one(Encoding::Hex, "61zz") == "<invalid>");
  CHECK(decode_one(Encoding::Hex, "6162a") == "ab");
  CHECK(decode_one(Encoding::Percent, "a%41b%4") == "aAb%4");
  CHECK(decode_one(Encoding::Percent, "100%") == "<invalid>");
  CHECK(decode_one(Encoding::Json, "\\u0074x\\x41\\n\\\"U+00e9&amp;&#65;&#x42;&lt;") ==
        "txA\n\"\xc3\xa9&AB<");
  CHECK(decode_one(Encoding::Json, "\\ud83d\\ude00") == "\xf0\x9f\x98\x80");  // a surrogate pair
  CHECK(decode_one(Encoding::Json, "\\u12 &bogus; \\q") == "<invalid>");
  std::string out;
  CHECK(decode_escapes("U+0041", out, 100) == Encoding::Unicode);
  out.clear();
  CHECK(decode_escapes("&quot;", out, 100) == Encoding::Html);
  out.clear();
  CHECK(decode_escapes("\\x41", out, 100) == Encoding::HexEscape);
}

TEST_CASE("decode_text: spans, places, chains, duplicates decoded once") {
  const std::string secret = "the decoded text number one";
  const std::string encoded = base64(secret);
  const std::string text = "a: " + encoded + "\nb: " + encoded + "\n";
  const DecodedText d = decode_text(text, {});
  REQUIRE(d.spans.size() == 1);
  CHECK(d.text.substr(d.spans[0].begin, d.spans[0].end - d.spans[0].begin) == secret);
  CHECK(chain_name(d.spans[0].chain) == "base64");
  REQUIRE(d.places.size() == 2);
  CHECK(d.places[0].offset == 3);
  CHECK(d.places[1].offset == text.find(encoded, 4));
  CHECK(d.places[1].length == encoded.size());

  const DecodedText nested = decode_text("x " + base64("%74%67%70%5Fv1%5Fabc and some more text") + " y", {});
  REQUIRE(nested.spans.size() == 2);
  CHECK(chain_name(nested.spans[1].chain) == "base64>percent");
  CHECK(nested.spans[1].root == 0);
}

TEST_CASE("decode_text: binary output is dropped, depth and bytes are bounded") {
  std::string binary;
  for (int i = 0; i < 300; ++i) binary += static_cast<char>(i * 37);
  CHECK(decode_text(base64(binary), {}).spans.empty());

  std::string deep = "a secret that is encoded many times over";
  for (int i = 0; i < 20; ++i) deep = base64(deep);
  DecodeLimits limits;
  const DecodedText d = decode_text(deep, limits);
  CHECK(d.spans.size() == 3);  // depth 3
  limits.max_depth = 0;
  CHECK(decode_text(deep, limits).spans.empty());

  // A run of megabytes is decoded whole, in overlapping pieces; a bound that cuts says so.
  const std::string big = base64(std::string(3u << 20, 'a'));
  const DecodedText whole = decode_text(big, {});
  CHECK(!whole.cut);
  CHECK(!whole.places.empty());
  CHECK(whole.places.back().offset + whole.places.back().length == big.size());
  DecodeLimits small;
  small.max_bytes = 1000;
  const DecodedText cut = decode_text(big, small);
  CHECK(cut.cut);

  std::string percents;
  for (int i = 0; i < 100000; ++i) percents += "%41 ";
  const DecodedText short_ones = decode_text(percents, {});
  CHECK(short_ones.spans.empty());  // each decodes to one byte: not worth scanning
}

TEST_CASE("a decoded key is reported as together-api-key at the encoded span, with the chain") {
  const std::string k = fake_together_key(11);
  // A Kubernetes Secret: the field name says nothing about Together.
  const std::string manifest =
      "apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\ndata:\n  password: " + base64(k) + "\n";
  auto found = find(manifest, "secret.yaml");
  REQUIRE(found.size() == 1);
  CHECK(found[0].rule_id == "together-api-key");
  CHECK(found[0].secret == k);
  CHECK(found[0].line == 6);
  CHECK(found[0].column == 13);
  CHECK(found[0].decoded == "base64");
  CHECK(fingerprint_of(found[0]) == fingerprint("together-api-key", "secret.yaml", k));  // the decoded secret

  found = find("x\n  url = \"https://h.invalid/?t=" + hex(k, "%%%02X") + "\"\n");
  REQUIRE(found.size() == 1);
  CHECK(found[0].rule_id == "together-api-key");
  CHECK(found[0].line == 2);
  CHECK(found[0].column == 10);
  CHECK(found[0].decoded == "percent");

  found = find("{\"v\": \"" + base64(base64(k), true, false) + "\"}");
  REQUIRE(found.size() == 1);
  CHECK(found[0].decoded == "base64>base64");

  found = find("key = \"\\u0074" + k.substr(1) + "\"");
  REQUIRE(found.size() == 1);
  CHECK(found[0].decoded == "unicode");
  CHECK(found[0].column == 8);

  found = find("<input value=\"&#116;" + k.substr(1) + "\">");
  REQUIRE(found.size() == 1);
  CHECK(found[0].decoded == "html");

  found = find("k = " + hex(k) + "\n");
  REQUIRE(found.size() == 1);
  CHECK(found[0].decoded == "hex");
}

TEST_CASE("a plain key inside an escaped string is reported once, as plain") {
  const std::string k = fake_together_key(12);
  const auto found = find("{\"text\": \"line\\nkey " + k + "\\n\"}");
  REQUIRE(found.size() == 1);
  CHECK(found[0].decoded.empty());
}

TEST_CASE("inline allow, the added-line filter and chunk ownership apply to the original line") {
  const std::string k = fake_together_key(13);
  CHECK(find("token: " + base64(k) + "  # keygate:allow\n").empty());

  const std::string text = "a\nb: " + base64(k) + "\nc\n";
  const std::vector<LineRange> other{{3, 3}}, this_one{{2, 2}};
  Fragment f;
  f.text = text;
  f.origin.path = "f";
  f.added_lines = &other;
  CHECK(detect(defaults(), f).empty());
  f.added_lines = &this_one;
  CHECK(detect(defaults(), f).size() == 1);
  f.added_lines = nullptr;
  f.report_from = 5;  // the encoded span starts at 5: this chunk owns it
  CHECK(detect(defaults(), f).size() == 1);
  f.report_from = 6;
  CHECK(detect(defaults(), f).empty());
}

TEST_CASE("scan_text: a decoded key past a chunk boundary has the line and column of its encoded span") {
  const std::string k = fake_together_key(14);
  std::string text;
  const std::string filler(99, 'x');
  while (text.size() < kChunkSize + 1000) text += filler + "\n";
  const int line = static_cast<int>(text.size() / 100) + 1;
  text += "   " + base64(k) + "\n";
  Origin origin;
  origin.path = "big.txt";
  const auto found = detect_in_text(defaults(), text, origin);
  REQUIRE(found.size() == 1);
  CHECK(found[0].line == line);
  CHECK(found[0].column == 4);
  CHECK(found[0].decoded == "base64");
}

TEST_CASE("the depth comes from the rule set, 0 turns decoding off") {
  const std::string k = fake_together_key(15);
  RuleOptions off, one;
  off.max_decode_depth = 0;
  one.max_decode_depth = 1;
  Fragment f;
  const std::string text = "v: " + base64(k) + "\n";
  f.text = text;
  CHECK(detect(RuleSet(default_config(), off), f).empty());
  CHECK(detect(RuleSet(default_config(), one), f).size() == 1);
  CHECK(RuleSet(default_config()).max_decode_depth() == 3);
}

TEST_CASE("lookalikes stay quiet: images, lockfile hashes, UUIDs, minified JS, hex dumps") {
  std::string png = "\x89PNG\r\n\x1a\n";
  png +=
      std::string(4, '\0') + "IHDR" + random_string(1, 600, std::string("\x01\x02\x7f\x80\xfe\xff") + "abc");
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"><path d=\"M0 0h24v24H0z\"/></svg>";
  const std::vector<std::string> texts = {
      ".icon { background: url(data:image/png;base64," + base64(png) + "); }",
      "<img src=\"data:image/png;base64," + base64(png) + "\">",
      "<img src=\"data:image/svg+xml;base64," + base64(svg) + "\">",
      "{\"outputs\": [{\"data\": {\"image/png\": \"" + base64(png) + "\\n\"}}]}",
      "\"integrity\": \"sha512-" + base64(random_string(2, 64, std::string("\x01\x9a\xff\x10", 4))) + "\"",
      "resolved \"https://registry.invalid/x.tgz#" + hex(random_string(3, 20, "\x01\x9a\xff\x10")) + "\"",
      "id: 123e4567-e89b-12d3-a456-426614174000, 9f1c2d3e-4b5a-6c7d-8e9f-0a1b2c3d4e5f",
      "!function(e,t){var n=e.getElementsByTagName(t);n.addEventListener(\"load\",function(){return "
      "encodeURIComponent(\"%20%2F\")})}(document,\"script\");",
      "00000000: 7f45 4c46 0201 0100 0000 0000 0000 0000  .ELF............\n" + hex(png) + "\n",
  };
  for (const std::string& t : texts) {
    INFO(t.substr(0, 80));
    CHECK(find(t).empty());
  }
}

namespace {

// `text` cut into lines of `width` columns, each written as `before` line `after` "\n".
std::string wrap(const std::string& text, std::size_t width, const std::string& before = "",
                 const std::string& after = "") {
  std::string out;
  for (std::size_t i = 0; i < text.size(); i += width) out += before + text.substr(i, width) + after + "\n";
  return out;
}

}  // namespace

TEST_CASE("issue 23 item 7: wrapped base64 is joined and decoded as one span placed at its first line") {
  const std::string k = fake_together_key(2307);
  const std::string env = base64("TOGETHER_API_KEY=" + k + "\n");
  for (const std::size_t width : {76, 64, 40, 41, 17}) {
    INFO("width " << width);
    const auto found = find("# config\n" + wrap(env, width));
    REQUIRE(found.size() == 1);
    CHECK(found[0].secret == k);
    CHECK(found[0].line == 2);
    CHECK(found[0].column == 1);
    CHECK(found[0].decoded == "base64");
  }
  // A YAML block scalar, indented; lines in quotes (a list, a string concatenation).
  const std::string longer = base64("some: settings\nTOGETHER_API_KEY=" + k + "\nmore: settings here\n");
  for (const std::string& text :
       {"app:\n  env: |\n" + wrap(longer, 76, "    "), "lines = [\n" + wrap(longer, 64, "  \"", "\","),
        "s = " + wrap(longer, 60, "\"", "\" +")}) {
    INFO(text);
    const auto found = find(text);
    REQUIRE(found.size() == 1);
    CHECK(found[0].secret == k);
    CHECK(found[0].decoded == "base64");
  }
  // Lines of one width that do not decode to text together are read one by one, as before.
  const std::string text = "thirty bytes of text, exactly!";  // 30 bytes: 40 characters, no padding
  std::string binary;
  for (int i = 0; i < 30; ++i) binary += static_cast<char>(0x80 + i * 3);
  const std::string a = base64(text), b = base64(binary);
  REQUIRE(a.size() == b.size());
  const DecodedText d = decode_text(a + "\n" + b + "\n" + a + "\n", {});
  REQUIRE(d.spans.size() == 1);
  CHECK(d.text.substr(d.spans[0].begin, d.spans[0].end - d.spans[0].begin) == text);
  REQUIRE(d.places.size() == 2);
  CHECK(d.places[0].length == a.size());
}

TEST_CASE("issue 23 item 7: a junk prefix does not use up the decode bound of later spans") {
  const std::string k = fake_together_key(2308);
  std::string junk;
  for (int i = 0; junk.size() < (1300u << 10); ++i)
    junk += base64("decodable junk text number " + std::to_string(i) + ", nothing secret in it") + "\n";
  const std::string text = junk + "key: " + base64(k) + "\n";
  ScanGaps gaps;
  Fragment f;
  f.text = text;
  f.origin.path = "junk.txt";
  const auto found = detect(defaults(), f, &gaps);
  REQUIRE(found.size() == 1);
  CHECK(found[0].secret == k);
  CHECK(!gaps.decode_cut);
}

TEST_CASE("issue 23 item 7: a decode bound that leaves content undecoded is a gap of the scan") {
  // Each token is both percent-encoded and HTML-escaped at every depth, so each depth decodes it twice:
  // depth 8 holds 2^8 decoded copies of it, past the bound of any region.
  std::string text;
  for (int i = 0; text.size() < (200u << 10); ++i) {
    std::string token = "%25";
    for (int d = 0; d < 9; ++d) token += "25";
    token += "41&amp;";
    for (int d = 0; d < 9; ++d) token += "amp;";
    text += token + "plaintext" + std::to_string(i) + " in the token\n";
  }
  RuleOptions deep;
  deep.max_decode_depth = 8;
  const RuleSet rules(default_config(), deep);
  ScanGaps gaps;
  Fragment f;
  f.text = text;
  detect(rules, f, &gaps);
  CHECK(gaps.decode_cut);
  RuleOptions off;
  off.max_decode_depth = 0;  // the opt-out: no decoding, no gap
  const RuleSet plain(default_config(), off);
  ScanGaps none;
  detect(plain, f, &none);
  CHECK(!none.decode_cut);
}
