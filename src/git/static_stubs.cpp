// This file implements what linking libgit2 statically (CMakeLists.txt: KEYGATE_STATIC, the default) takes:
// compiled into every program that links keygate_core, never into the library itself. Three things (and
// static_stubs_ssh.cpp a fourth):
//   - libgit2 loads the whole system certificate bundle in git_libgit2_init(), about 4 ms of every start
//     (as long as git's own staged check), and keygate never lets libgit2 open a network connection. The
//     link wraps mbedtls_x509_crt_parse_file/_path (-Wl,--wrap): every reference to them from the linked
//     objects comes here and loads nothing. libgit2's are the only such references: keygate calls no
//     mbedTLS function, mbedTLS's own calls between the two stay inside one object (the linker does not
//     wrap those), and libcurl (--verify) is loaded with dlopen, with its own TLS library.
//   - git_libgit2_init() also seeds mbedTLS's random generator from mbedTLS's default entropy sources,
//     HAVEGE and a CPU-cycle counter among them (0.2 ms of every `staged`, though keygate makes no TLS
//     connection). mbedtls_entropy_init/_func/_free are wrapped the same way: the generator is seeded
//     from the kernel's (getrandom(2)), the source mbedTLS itself trusts most, and from nothing else.
//   - Debian ships no static GSSAPI library: libgit2 uses GSSAPI only for Negotiate (Kerberos)
//     authentication over HTTP. These definitions fail every such call, as a system without Kerberos
//     would, so the binary needs neither libgssapi_krb5 nor the seven libraries it loads (1 ms a start).
#include <mbedtls/entropy.h>
#include <mbedtls/x509_crt.h>
#include <sys/random.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

namespace {

using OmUint32 = std::uint32_t;              // OM_uint32 (RFC 2744)
constexpr OmUint32 kGssFailure = 13u << 16;  // GSS_S_FAILURE: a routine error, "unspecified"

// Every GSSAPI routine reports its mechanism-specific ("minor") status through its first argument.
OmUint32 fail(OmUint32* minor_status) {
  if (minor_status != nullptr) *minor_status = 0;
  return kGssFailure;
}

}  // namespace

extern "C" {

// 0: success (nothing loaded, so no certificate failed).
int __wrap_mbedtls_x509_crt_parse_file(mbedtls_x509_crt* /*chain*/, const char* /*path*/) { return 0; }
int __wrap_mbedtls_x509_crt_parse_path(mbedtls_x509_crt* /*chain*/, const char* /*path*/) { return 0; }

// The context holds no source: the kernel is asked each time.
void __wrap_mbedtls_entropy_init(mbedtls_entropy_context* context) {
  std::memset(context, 0, sizeof *context);
}
void __wrap_mbedtls_entropy_free(mbedtls_entropy_context* context) {
  std::memset(context, 0, sizeof *context);
}
int __wrap_mbedtls_entropy_func(void* /*context*/, unsigned char* output, size_t length) {
  for (size_t done = 0; done < length;) {
    const ssize_t n = ::getrandom(output + done, length - done, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return MBEDTLS_ERR_ENTROPY_SOURCE_FAILED;
    done += static_cast<size_t>(n);
  }
  return 0;
}

// The GSSAPI names libgit2 refers to (RFC 2744 signatures; handles as opaque pointers).
void* GSS_C_NT_HOSTBASED_SERVICE = nullptr;
OmUint32 gss_indicate_mechs(OmUint32* minor_status, void** /*mech_set*/) { return fail(minor_status); }
OmUint32 gss_import_name(OmUint32* minor_status, const void* /*name_buffer*/, const void* /*name_type*/,
                         void** /*output_name*/) {
  return fail(minor_status);
}
OmUint32 gss_init_sec_context(OmUint32* minor_status, const void* /*cred*/, void** /*context*/,
                              const void* /*target*/, const void* /*mech*/, OmUint32 /*flags*/,
                              OmUint32 /*time*/, const void* /*bindings*/, const void* /*input*/,
                              void** /*actual_mech*/, void* /*output*/, OmUint32* /*ret_flags*/,
                              OmUint32* /*time_rec*/) {
  return fail(minor_status);
}
OmUint32 gss_display_status(OmUint32* minor_status, OmUint32 /*status*/, int /*status_type*/,
                            const void* /*mech*/, OmUint32* /*message_context*/, void* /*status_string*/) {
  return fail(minor_status);
}
// Nothing is ever created, so releasing is always complete.
OmUint32 gss_delete_sec_context(OmUint32* minor_status, void** /*context*/, void* /*output*/) {
  fail(minor_status);
  return 0;
}
OmUint32 gss_release_buffer(OmUint32* minor_status, void* /*buffer*/) {
  fail(minor_status);
  return 0;
}
OmUint32 gss_release_name(OmUint32* minor_status, void** /*name*/) {
  fail(minor_status);
  return 0;
}
OmUint32 gss_release_oid_set(OmUint32* minor_status, void** /*set*/) {
  fail(minor_status);
  return 0;
}

}  // extern "C"
