// Tests for toml_limits.cpp: each limit a config text must pass before toml11 parses it, at its boundary,
// and the one-line error that names the file (and the line) and the limit.
#include <catch2/catch.hpp>
#include <string>

#include "config/toml_limits.hpp"
#include "core/error.hpp"

using namespace keygate;

namespace {

// `a = ` followed by `depth` nested inline arrays.
std::string nested(int depth) { return "a = " + std::string(depth, '[') + std::string(depth, ']') + "\n"; }

// A dotted key of `parts` parts ("k.k.k = 1").
std::string dotted_key(int parts) {
  std::string key = "k";
  for (int i = 1; i < parts; ++i) key += ".k";
  return key + " = 1\n";
}

}  // namespace

TEST_CASE("toml_limits: an ordinary config passes") {
  CHECK_NOTHROW(
      check_toml_text("title = \"x\"\n[[rules]]\nid = \"a\"\nregex = '''[a-z]{3}\\.x'''\n", "ok.toml"));
}

TEST_CASE("toml_limits: a text that is not UTF-8 names the line of the first bad byte") {
  CHECK_THROWS_WITH(check_toml_text("a = 1\nb = \"\xff\"\n", "bad.toml"),
                    "bad.toml:2: invalid TOML: not UTF-8");
  CHECK_THROWS_WITH(check_toml_text("a = '''\n\n\xc3'''\n", "m.toml"), "m.toml:3: invalid TOML: not UTF-8");
  CHECK_NOTHROW(check_toml_text("a = \"caf\xc3\xa9\"\n", "ok.toml"));
}

TEST_CASE("toml_limits: at most 16 MB") {
  const std::size_t limit = std::size_t{16} << 20;
  std::string text(limit, '#');
  CHECK_NOTHROW(check_toml_text(text, "big.toml"));
  text += '#';
  CHECK_THROWS_WITH(check_toml_text(text, "big.toml"), "big.toml: invalid TOML: larger than 16 MB");
}

TEST_CASE("toml_limits: arrays and inline tables nest at most 32 deep") {
  CHECK_NOTHROW(check_toml_text(nested(32), "n.toml"));
  CHECK_THROWS_WITH(check_toml_text("x = 1\n" + nested(33), "n.toml"),
                    "n.toml:2: invalid TOML: nested deeper than 32 levels");
  CHECK_THROWS_WITH(check_toml_text("a = " + std::string(33, '{'), "t.toml"),
                    "t.toml:1: invalid TOML: nested deeper than 32 levels");
  // Closed levels do not add up.
  std::string many;
  for (int i = 0; i < 100; ++i) many += nested(30);
  CHECK_NOTHROW(check_toml_text(many, "n.toml"));
}

TEST_CASE("toml_limits: dotted keys are bounded") {
  CHECK_NOTHROW(check_toml_text(dotted_key(32), "k.toml"));
  CHECK_THROWS_WITH(check_toml_text("\n" + dotted_key(33), "k.toml"),
                    "k.toml:2: invalid TOML: a key of more than 32 parts");
  CHECK_THROWS_WITH(check_toml_text(dotted_key(1000), "k.toml"),
                    "k.toml:1: invalid TOML: a key of more than 32 parts");
  // Dots on separate lines or separated by '=' or ',' are separate keys and values.
  std::string lines;
  for (int i = 0; i < 100; ++i) lines += "a.b = 1.5\n";
  CHECK_NOTHROW(check_toml_text(lines, "k.toml"));
  CHECK_NOTHROW(check_toml_text(
      "a = [1.1, 2.2, 3.3, 4.4, 5.5, 6.6, 7.7, 8.8, 9.9, 1.1, 2.2, 3.3, 4.4, 5.5, 6.6, 7.7, 8.8, 9.9, 1.1, "
      "2.2, 3.3, 4.4, 5.5, 6.6, 7.7, 8.8, 9.9, 1.1, 2.2, 3.3, 4.4, 5.5, 6.6]\n",
      "k.toml"));
}

TEST_CASE("toml_limits: brackets and dots in strings and comments do not count") {
  const std::string deep(40, '[');
  const std::string dots(40, '.');
  CHECK_NOTHROW(check_toml_text("a = \"" + deep + dots + "\"\n", "s.toml"));
  CHECK_NOTHROW(check_toml_text("a = '" + deep + dots + "'\n", "s.toml"));
  CHECK_NOTHROW(check_toml_text("a = \"\"\"\n" + deep + "\n" + dots + "\n\"\"\"\n", "s.toml"));
  CHECK_NOTHROW(check_toml_text("a = '''\n" + deep + dots + "\n'''\n", "s.toml"));
  CHECK_NOTHROW(check_toml_text("# " + deep + dots + "\na = 1\n", "s.toml"));
  CHECK_NOTHROW(check_toml_text("a = \"\\\"" + deep + "\"\n", "s.toml"));  // an escaped quote does not end it
  // Lines inside a multi-line string still count for the place of a later error.
  CHECK_THROWS_WITH(check_toml_text("a = \"\"\"\n\n\"\"\"\n" + nested(33), "s.toml"),
                    "s.toml:4: invalid TOML: nested deeper than 32 levels");
}
