// This file implements keygate's one change to TLS, linked into the keygate executable only, and only when
// the build found that libgit2 links mbedTLS (CMakeLists.txt: KEYGATE_LIBGIT2_MBEDTLS). libgit2 loads the
// whole system certificate bundle in git_libgit2_init(), about 4 ms on every start, as long as git's own
// staged check; keygate never lets libgit2 open a network connection.
//
// The executable defines the two mbedTLS loading functions, so the dynamic loader binds every call to
// them here. Each looks at who called: a call from inside libgit2's shared object returns "loaded nothing";
// any other call (another library, mbedTLS itself, keygate's own code) is passed to the real mbedTLS
// function, found with dlsym(RTLD_NEXT). So no other TLS user in the process (libcurl uses OpenSSL, but
// one that used mbedTLS) ever gets an empty trust store. tests/e2e/tls_stub.sh holds the shipped binary
// to this; tests/git/test_tls_stub.cpp calls both ways.
#include <dlfcn.h>

#include <cstring>

namespace {

// True iff `address` (a return address) lies inside libgit2's shared object.
bool called_from_libgit2(const void* address) {
  Dl_info info{};
  if (::dladdr(address, &info) == 0 || info.dli_fname == nullptr) return false;
  const char* base = std::strrchr(info.dli_fname, '/');
  return std::strncmp(base != nullptr ? base + 1 : info.dli_fname, "libgit2.so", 10) == 0;
}

using LoadFunction = int (*)(void*, const char*);

// The real mbedTLS function `name`, or null when no later object defines it.
LoadFunction real(const char* name) { return reinterpret_cast<LoadFunction>(::dlsym(RTLD_NEXT, name)); }

// MBEDTLS_ERR_X509_FILE_IO_ERROR: what mbedTLS answers when it cannot read the file.
constexpr int kFileIoError = -0x2900;

}  // namespace

extern "C" __attribute__((visibility("default"), noinline)) int mbedtls_x509_crt_parse_file(
    void* chain, const char* path) {
  if (called_from_libgit2(__builtin_return_address(0))) return 0;
  static const LoadFunction next = real("mbedtls_x509_crt_parse_file");
  return next != nullptr ? next(chain, path) : kFileIoError;
}

extern "C" __attribute__((visibility("default"), noinline)) int mbedtls_x509_crt_parse_path(
    void* chain, const char* path) {
  if (called_from_libgit2(__builtin_return_address(0))) return 0;
  static const LoadFunction next = real("mbedtls_x509_crt_parse_path");
  return next != nullptr ? next(chain, path) : kFileIoError;
}
