// Tests for static_stubs.cpp (built only with KEYGATE_STATIC): libgit2's certificate loading loads nothing
// and succeeds; entropy comes from getrandom(2); GSSAPI calls fail cleanly; and static_stubs_ssh.cpp: no SSH.
#include <arpa/inet.h>
#include <git2.h>
#include <libssh2.h>
#include <mbedtls/entropy.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdint>
#include <cstring>
#include <string>

#include "git/git.hpp"

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

TEST_CASE("static stubs: libgit2 starts without libssh2, and an SSH session cannot be made") {
  keygate::git::init();
  CHECK(libssh2_session_init() == nullptr);
  // A listening socket on 127.0.0.1: the connection is made (the kernel accepts it), the session is not.
  const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(listener >= 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  REQUIRE(::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  REQUIRE(::listen(listener, 1) == 0);
  REQUIRE(::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) == 0);
  const std::string url = "ssh://git@127.0.0.1:" + std::to_string(ntohs(address.sin_port)) + "/none.git";
  git_remote* remote = nullptr;
  REQUIRE(git_remote_create_detached(&remote, url.c_str()) == 0);
  CHECK(git_remote_connect(remote, GIT_DIRECTION_FETCH, nullptr, nullptr, nullptr) < 0);
  const git_error* error = git_error_last();
  REQUIRE(error != nullptr);
  INFO(error->message);
  CHECK(std::string(error->message).find("SSH session") != std::string::npos);
  git_remote_free(remote);
  ::close(listener);
}
