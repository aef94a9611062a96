// Tests for json_tree.hpp: a settings file read and written back keeps every key, value and order.
#include <catch2/catch.hpp>

#include "agent/json_tree.hpp"
#include "core/error.hpp"

using namespace keygate;

TEST_CASE("a JSON tree written back keeps members in order, numbers as written, strings escaped") {
  const std::string text =
      R"({"b": 1.50e3, "a": [true, false, null, {"x": "tab\tquote\" é \u00e9"}], "empty": {}, "list": []})";
  const JsonNode tree = parse_json_tree(text, "t.json");
  REQUIRE(tree.is_object());
  CHECK(tree.members()[0].first == "b");
  CHECK(tree.find("b")->text() == "1.50e3");
  CHECK(tree.find("a")->members()[3].second.find("x")->text() == "tab\tquote\" é é");
  const std::string written = write_json_tree(tree);
  CHECK(parse_json_tree(written, "again") == tree);
  CHECK(written.find("1.50e3") != std::string::npos);
  CHECK(written.find("\"empty\": {}") != std::string::npos);
}

TEST_CASE("a JSON tree names the line and column where a text stops being JSON") {
  try {
    parse_json_tree("{\n  \"a\": 1,\n  \"b\" 2\n}", "settings.json");
    FAIL("parsed");
  } catch (const Error& e) {
    CHECK(std::string(e.what()).rfind("settings.json:3:7: not valid JSON", 0) == 0);
  }
}

TEST_CASE("a JSON tree's members can be added, found and erased") {
  JsonNode root = JsonNode::object();
  root.member("hooks", JsonNode::object()).member("E", JsonNode::array()).push_back(JsonNode::boolean(true));
  CHECK(root.member("hooks", JsonNode::array()).is_object());  // an existing member is kept
  root.erase("hooks");
  CHECK(root.members().empty());
  CHECK(write_json_tree(JsonNode::number(30)) == "30\n");
}
