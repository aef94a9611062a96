// Tests for parse_push_input (push/push.hpp): git's hook input lines, and a clear error for anything else.
#include <catch2/catch.hpp>
#include <string>

#include "core/error.hpp"
#include "push/push.hpp"

using namespace keygate;

namespace {

const std::string kZero(40, '0');
const std::string kA(40, 'a');
const std::string kB = std::string(63, 'b') + "c";  // a SHA-256 repository's ids

std::string error_of(std::string_view text, PushHook hook) {
  try {
    parse_push_input(text, hook);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("push input: pre-receive lines, deletions, CRLF and blank lines") {
  const auto lines = parse_push_input(kZero + " " + kA + " refs/heads/main\r\n\n" + kA + " " + kZero +
                                          " refs/tags/old\n" + kZero + " " + kB + " refs/heads/sha256",
                                      PushHook::PreReceive);
  REQUIRE(lines.size() == 3);
  CHECK(lines[0] == PushLine{"refs/heads/main", kA, ""});
  CHECK(lines[1] == PushLine{"refs/tags/old", kZero, ""});
  CHECK(lines[2] == PushLine{"refs/heads/sha256", kB, ""});
  CHECK(parse_push_input("", PushHook::PreReceive).empty());
}

TEST_CASE("push input: pre-push lines name the remote's ref and object") {
  const auto lines = parse_push_input("refs/heads/topic " + kA + " refs/heads/main " + kZero + "\n" +
                                          "(delete) " + kZero + " refs/heads/gone " + kA + "\n",
                                      PushHook::PrePush);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0] == PushLine{"refs/heads/main", kA, kZero});
  CHECK(lines[1] == PushLine{"refs/heads/gone", kZero, kA});
}

TEST_CASE("push input: any other line is an error naming the hook and the line") {
  CHECK(error_of(kZero + " " + kA + "\n", PushHook::PreReceive) ==
        "pre-receive: input line 1: expected \"<old> <new> <ref>\", got 2 field(s)");
  CHECK(error_of(kZero + " " + kA + " refs/heads/a\nrefs/heads/x " + kA + " refs/heads/x " + kZero + "\n",
                 PushHook::PreReceive)
            .rfind("pre-receive: input line 2: ", 0) == 0);
  CHECK(error_of(kZero + " " + kA.substr(1) + " refs/heads/a\n", PushHook::PreReceive) != "");  // 39 digits
  CHECK(error_of(kZero + " " + std::string(40, 'A') + " refs/heads/a\n", PushHook::PreReceive) != "");
  CHECK(error_of("refs/heads/a " + kA + " refs/heads/a\n", PushHook::PrePush)
            .rfind("pre-push: input line 1", 0) == 0);
  // A ref name longer than any fixed buffer is one field, not two lines.
  const std::string long_ref = "refs/heads/" + std::string(10000, 'x');
  const auto lines = parse_push_input(kZero + " " + kA + " " + long_ref + "\n", PushHook::PreReceive);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].ref == long_ref);
}
