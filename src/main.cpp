// keygate: a secret scanner and git pre-commit hook. Everything is in the library; see cli.cpp.
#include "cli.hpp"

// libgit2 (Debian's build, with mbedTLS) loads the whole system certificate bundle in git_libgit2_init(),
// about 4 ms on every start, which is as long as git's own staged check takes. keygate never opens a
// network connection, so the executable provides these two functions and the loader binds libgit2's calls
// to them: certificate loading becomes a no-op. Only the keygate binary does this, never the library.
extern "C" int mbedtls_x509_crt_parse_file(void* chain, const char* path) {
  (void)chain;
  (void)path;
  return 0;
}
extern "C" int mbedtls_x509_crt_parse_path(void* chain, const char* path) {
  (void)chain;
  (void)path;
  return 0;
}

int main(int argc, char** argv) { return keygate::run(argc, argv); }
