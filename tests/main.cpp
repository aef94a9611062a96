// The unit tests' main: isolates the process from the user's git configuration, then runs Catch2.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include "support/repo.hpp"

int main(int argc, char** argv) {
  keygate::test::isolate_from_user_config();
  return Catch::Session().run(argc, argv);
}
