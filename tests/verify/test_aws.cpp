// Tests for verify/aws.cpp's parts that need no server (the STS stand-in is tests/e2e/verify_aws.sh): SigV4
// against AWS's published test suite, reading STS answers, pairing findings, and the stdin forms.
#include <catch2/catch.hpp>

#include "verify/aws.hpp"

using namespace keygate;

namespace {

// The secret of AWS's Signature Version 4 test suite, in two pieces so that no key-shaped string is in the
// repository.
const std::string kSuiteSecret = std::string("wJalrXUtnFEMI/K7MDENG+bPxRfi") + "CYEXAMPLEKEY";

http::Response answer(long status, std::string body) {
  http::Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

Finding finding(std::string rule, std::string file, int line, std::string secret) {
  Finding f;
  f.rule_id = std::move(rule);
  f.file = std::move(file);
  f.line = line;
  f.secret = std::move(secret);
  return f;
}

std::string id_like(char tail) { return "AKIA" + std::string(15, 'Q') + tail; }
std::string secret_like(char tail) { return std::string(39, 'x') + tail; }

}  // namespace

TEST_CASE("SigV4 signs as AWS's test suite says (get-vanilla, get-header-key-duplicate)") {
  CHECK(sigv4_signature(kSuiteSecret, "GET", "/", "",
                        "host:example.amazonaws.com\nx-amz-date:20150830T123600Z\n", "host;x-amz-date", "",
                        "20150830T123600Z", "us-east-1",
                        "service") == "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
  CHECK(sigv4_signature(
            kSuiteSecret, "GET", "/", "",
            "host:example.amazonaws.com\nmy-header1:value2,value2,value1\nx-amz-date:20150830T123600Z\n",
            "host;my-header1;x-amz-date", "", "20150830T123600Z", "us-east-1",
            "service") == "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea");
}

TEST_CASE("an STS answer: 200 with an Account is live with account, arn, user_id; the documented errors") {
  const AwsCredentials c{id_like('A'), secret_like('a'), ""};
  const std::optional<Verdict> live = read_sts_answer(
      answer(200,
             "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
             "  <GetCallerIdentityResult>\n    <Arn>arn:aws:iam::123456789012:user/Alice</Arn>\n"
             "    <UserId>AIDACKCEVSQ6C2EXAMPLE</UserId>\n    <Account>123456789012</Account>\n"
             "  </GetCallerIdentityResult>\n</GetCallerIdentityResponse>\n"),
      c, 1);
  REQUIRE(live);
  CHECK(live->liveness == Liveness::Live);
  CHECK(live->identity ==
        std::vector<std::pair<std::string, std::string>>{{"account", "123456789012"},
                                                         {"arn", "arn:aws:iam::123456789012:user/Alice"},
                                                         {"user_id", "AIDACKCEVSQ6C2EXAMPLE"}});
  auto error = [&](long status, const std::string& code) {
    return read_sts_answer(answer(status, "<ErrorResponse><Error><Type>Sender</Type><Code>" + code +
                                              "</Code><Message>m</Message></Error></ErrorResponse>"),
                           c, 1);
  };
  CHECK(error(403, "InvalidClientTokenId")->liveness == Liveness::Dead);
  CHECK(error(403, "SignatureDoesNotMatch")->liveness == Liveness::Dead);
  CHECK(error(400, "ExpiredToken")->liveness == Liveness::Dead);
  CHECK_FALSE(error(400, "Throttling"));  // retried
  CHECK(to_string(*error(403, "AccessDenied")) == "unknown: HTTP 403 (AccessDenied)");
  CHECK(to_string(*read_sts_answer(answer(200, "<html>"), c, 1)) ==
        "unknown: HTTP 200 with a malformed answer");
}

TEST_CASE(
    "a secret access key pairs with the nearest key id in the same file and commit, never across files") {
  std::vector<Finding> f = {
      finding("aws-access-key-id", "a/credentials", 2, id_like('A')),
      finding("aws-secret-access-key", "a/credentials", 3, secret_like('a')),
      finding("aws-access-key-id", "a/credentials", 6, id_like('B')),
      finding("aws-secret-access-key", "a/credentials", 7, secret_like('b')),
      finding("aws-secret-access-key", "b/.env", 1, secret_like('c')),
      finding("together-api-key", "a/credentials", 3, "x"),
  };
  const std::vector<std::size_t> p = pair_aws_findings(f);
  CHECK(p == std::vector<std::size_t>{1, 0, 3, 2, SIZE_MAX, SIZE_MAX});
}

TEST_CASE("keygate verify's AWS forms: ID:SECRET, ID SECRET, two lines, a session token") {
  const std::string token(120, 'T');
  const std::string text = id_like('A') + ":" + secret_like('a') + "\n" + id_like('B') + " " +
                           secret_like('b') + "\n\n  " + id_like('C') + "\n" + secret_like('c') + "\n" +
                           "ASIA" + std::string(16, 'Z') + "," + secret_like('d') + "," + token + "\nnoise\n";
  const std::vector<AwsCredentials> got = aws_credentials_in_text(text);
  REQUIRE(got.size() == 4);
  CHECK((got[0].key_id == id_like('A') && got[0].secret == secret_like('a')));
  CHECK((got[1].key_id == id_like('B') && got[1].secret == secret_like('b')));
  CHECK((got[2].key_id == id_like('C') && got[2].secret == secret_like('c')));
  CHECK((got[3].key_id.starts_with("ASIA") && got[3].session_token == token));
  CHECK(aws_credentials_in_text(id_like('A') + "\n").empty());
}
