// Tests for tls_stub.cpp (built only when libgit2 links mbedTLS): libgit2's certificate loading is a
// no-op, and every other caller of the same mbedTLS functions reaches the real ones.
#include <git2.h>

#include <catch2/catch.hpp>

#include "git/git.hpp"

extern "C" int mbedtls_x509_crt_parse_file(void* chain, const char* path);

TEST_CASE("tls stub: a caller other than libgit2 gets the real mbedTLS function") {
  alignas(16) unsigned char chain[4096] = {};
  // The real function cannot read a missing file and says so; the stub would have said 0.
  CHECK(mbedtls_x509_crt_parse_file(chain, "/nonexistent/keygate-test.pem") != 0);
}

TEST_CASE("tls stub: libgit2's own certificate loading loads nothing and succeeds") {
  keygate::git::init();
  // libgit2 passes these to mbedtls_x509_crt_parse_file/_path; the real functions fail on missing files.
  CHECK(git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS, "/nonexistent/keygate-test.pem", nullptr) == 0);
}
