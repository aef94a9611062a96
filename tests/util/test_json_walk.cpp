// Tests for json_walk.cpp: validity, pointers (RFC 6901 escaping), spans, and hostile nesting.
#include <catch2/catch.hpp>
#include <map>

#include "util/json_walk.hpp"

using namespace keygate;

namespace {

std::map<std::string, std::string> values(std::string_view text) {
  std::map<std::string, std::string> out;
  REQUIRE(walk_json(text, [&](const JsonValue& v) {
    out[std::string(v.pointer)] = std::string(text.substr(v.begin, v.end - v.begin));
  }));
  return out;
}

}  // namespace

TEST_CASE("every value is reported with its pointer and exact span") {
  const std::string text =
      R"({"messages": [{"role": "user", "content": "hi \"x\""}, {"n": -1.5e3}], "ok": true})";
  const auto v = values(text);
  CHECK(v.at("/messages/0/role") == "\"user\"");
  CHECK(v.at("/messages/0/content") == R"("hi \"x\"")");
  CHECK(v.at("/messages/1/n") == "-1.5e3");
  CHECK(v.at("/ok") == "true");
  CHECK(v.at("/messages/1") == R"({"n": -1.5e3})");
  CHECK(v.at("") == text);
}

TEST_CASE("member names are unescaped and pointer tokens escaped") {
  const auto v = values(R"({"a/b": 1, "m~n": 2, "\u0074ext": 3, "caf\u00e9": 4})");
  CHECK(v.count("/a~1b") == 1);
  CHECK(v.count("/m~0n") == 1);
  CHECK(v.count("/text") == 1);
  CHECK(v.count("/caf\xc3\xa9") == 1);
}

TEST_CASE("invalid JSON is refused with the place it stopped") {
  for (const std::string bad : {"{", "{\"a\" 1}", "[1,]", "[01]", "\"\x01\"", "{\"a\":1} x", "tru", "[1 2]",
                                "\"\\q\"", "\"\\u12\"", "", "  "}) {
    INFO(bad);
    JsonError error;
    CHECK_FALSE(walk_json(bad, nullptr, &error));
    CHECK(error.at <= bad.size());
    CHECK(std::string(error.what).size() > 0);
  }
  for (const std::string good :
       {"0", "-0.5", "\"\"", "[]", "{}", " [ 1 , { } ] ", "null", "\"\\ud83d\\ude00\""}) {
    INFO(good);
    CHECK(walk_json(good, nullptr));
  }
}

TEST_CASE("hostile nesting is refused, not a stack overflow") {
  const std::string deep(100000, '[');
  CHECK_FALSE(walk_json(deep + std::string(100000, ']'), nullptr));
  const std::string ok = std::string(kMaxJsonDepth, '[') + std::string(kMaxJsonDepth, ']');
  CHECK(walk_json(ok, nullptr));
}

TEST_CASE("the pointer at an offset is the innermost value holding it") {
  const std::string text =
      R"({"prompt": "a", "messages": [{"role": "system", "content": "the key is here"}]})";
  CHECK(json_pointer_at(text, text.find("key")) == "/messages/0/content");
  CHECK(json_pointer_at(text, text.find("\"a\"") + 1) == "/prompt");
  CHECK(json_pointer_at(text, 0) == "");
}

TEST_CASE("a refusal says where and why (the --baseline messages)") {
  struct Case {
    std::string text;
    std::size_t at;
    std::string what;
  };
  for (const Case& c : std::vector<Case>{
           {"not json", 1, "unexpected character"},
           {"[1,", 3, "unexpected end"},
           {"{\"a\" 1}", 5, "expected ':'"},
           {"{\"a\":1,}", 7, "expected '\"'"},
           {"[1 2]", 3, "expected ',' or ']'"},
           {"\"a\\u12G4\"", 2, "bad \\u escape (four hex digits expected)"},
           {"\"\\q\"", 1, "bad escape"},
           {"\"abc", 4, "unterminated string"},
           {"\"a\x01\"", 2, "control character in a string"},
           {"{} x", 3, "unexpected text after the JSON value"},
           {std::string(kMaxJsonDepth + 2, '['), kMaxJsonDepth + 1, "nested too deeply"},
       }) {
    INFO(c.text);
    JsonError error;
    CHECK_FALSE(walk_json(c.text, nullptr, &error));
    CHECK(error.at == c.at);
    CHECK(std::string(error.what) == c.what);
  }
}

TEST_CASE("json_string unescapes a string value") {
  const std::string text = R"({"k": "a\"b\\c\n\u00e9\ud83d\ude00\ud800x"})";
  std::string value;
  REQUIRE(walk_json(text, [&](const JsonValue& v) {
    if (v.key == "k") value = json_string(text, v);
  }));
  CHECK(value == "a\"b\\c\n\xc3\xa9\xf0\x9f\x98\x80\xef\xbf\xbdx");
}
