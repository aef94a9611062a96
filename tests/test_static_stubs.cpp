// Tests for static_stubs.cpp (built only with KEYGATE_STATIC): libgit2's certificate loading loads nothing
// and succeeds; entropy comes from getrandom(2); GSSAPI calls fail cleanly.
#include <git2.h>
#include <libssh2.h>
#include <mbedtls/entropy.h>

#include <catch2/catch.hpp>
#include <cstdint>
#include <cstring>

#include "git.hpp"

extern "C" std::uint32_t gss_indicate_mechs(std::uint32_t* minor_status, void** mech_set);
extern "C" std::uint32_t gss_release_buffer(std::uint32_t* minor_status, void* buffer);

TEST_CASE("static stubs: libgit2's own certificate loading loads nothing and succeeds") {
  keygate::git::init();
  // libgit2 passes these to mbedtls_x509_crt_parse_file/_path; the real functions fail on missing files.
  CHECK(git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS, "/nonexistent/keygate-test.pem", nullptr) == 0);
  CHECK(git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS, nullptr, "/nonexistent/keygate-test-dir") == 0);
}

TEST_CASE("static stubs: GSSAPI is a mechanism-less one (Negotiate is never offered)") {
  std::uint32_t minor = 7;
  void* mechs = nullptr;
  CHECK(gss_indicate_mechs(&minor, &mechs) == (13u << 16));  // GSS_S_FAILURE
  CHECK(minor == 0);
  CHECK(mechs == nullptr);
  CHECK(gss_release_buffer(&minor, nullptr) == 0);
}

TEST_CASE("static stubs: mbedTLS's entropy comes from the kernel, in full") {
  mbedtls_entropy_context context;
  mbedtls_entropy_init(&context);
  unsigned char first[MBEDTLS_ENTROPY_BLOCK_SIZE] = {};
  unsigned char second[MBEDTLS_ENTROPY_BLOCK_SIZE] = {};
  REQUIRE(mbedtls_entropy_func(&context, first, sizeof first) == 0);
  REQUIRE(mbedtls_entropy_func(&context, second, sizeof second) == 0);
  CHECK(std::memcmp(first, second, sizeof first) != 0);
  mbedtls_entropy_free(&context);
}

TEST_CASE("static stubs: libssh2 still sets itself up when a session is made") {
  keygate::git::init();  // its libssh2_init() did nothing
  LIBSSH2_SESSION* session = libssh2_session_init();
  REQUIRE(session != nullptr);
  CHECK(libssh2_session_free(session) == 0);
}
