// Config fixtures, one file per case, named after what it shows: every file in fixtures/config/valid
// loads and compiles; every file in fixtures/config/invalid fails with the message its first line
// ("# expect: ...") names, through the same path the command line takes (`--config FILE`).
#include <catch2/catch.hpp>
#include <filesystem>

#include "config/config.hpp"
#include "config/resolve.hpp"
#include "core/error.hpp"
#include "rules/rules.hpp"
#include "support/repo.hpp"

using namespace keygate;

namespace {

std::vector<std::string> files_in(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) out.push_back(entry.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

// What `keygate scan --config FILE` does with a config before scanning: the same two functions.
void load_like_the_cli(const std::string& path) { build_rules(resolve_config(path, ProjectFiles{})); }

}  // namespace

TEST_CASE("valid config fixtures load") {
  const auto files = files_in(std::string(KEYGATE_TEST_FIXTURES) + "/config/valid");
  REQUIRE(files.size() >= 3);  // an empty or missing directory must not pass
  for (const std::string& path : files) {
    INFO(path);
    CHECK_NOTHROW(load_like_the_cli(path));
  }
}

TEST_CASE("invalid config fixtures fail with the message they name") {
  const auto files = files_in(std::string(KEYGATE_TEST_FIXTURES) + "/config/invalid");
  REQUIRE(files.size() >= 8);
  for (const std::string& path : files) {
    const std::string text = test::read_file(path);
    const std::string marker = "# expect: ";
    REQUIRE(text.rfind(marker, 0) == 0);
    const std::string expected = text.substr(marker.size(), text.find('\n') - marker.size());
    INFO(path);
    try {
      load_like_the_cli(path);
      FAIL("loaded without error");
    } catch (const Error& e) {
      CHECK_THAT(e.what(), Catch::Contains(expected));
    }
  }
}
