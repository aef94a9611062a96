# The shipped binary's certificate-loading stub: src/git/tls_stub.cpp, present exactly when libgit2 is a shared
# library linking mbedTLS, and mbedTLS has no other user in the process that an empty trust store could
# affect; or src/git/static_stubs.cpp when libgit2 is linked statically (then no libgit2, mbedTLS or GSSAPI
# shared library is loaded at all).
source "$(dirname "$0")/lib.sh"
libs=$(ldd "$KEYGATE" | awk '/=>/ { print $3 }')
stub=$(nm -D --defined-only "$KEYGATE" | grep -c ' T mbedtls_x509_crt_parse_\(file\|path\)$' || true)
static_stub=$(nm "$KEYGATE" 2>/dev/null | grep -c ' T __wrap_mbedtls_x509_crt_parse_\(file\|path\)$' || true)
no_certificates_at_start() {
  if command -v strace >/dev/null; then
    cd "$TMP" && git init -q r && cd r
    strace -f -e trace=openat,open "$KEYGATE" staged 2>"$TMP/trace" >/dev/null || true
    if grep -v ENOENT "$TMP/trace" | grep -q '/etc/ssl/certs'; then fail "certificates were loaded"; fi
  fi
}
if [ "$static_stub" -eq 2 ]; then
  [ "$stub" -eq 0 ] || fail "both stubs are linked"
  if echo "$libs" | grep -q 'libgit2\|libmbed\|libgssapi\|libssh2\|libcrypto'; then
    fail "libgit2 is linked statically, yet a shared library of its own is loaded: $libs"
  fi
  # The wrapped names have no caller but libgit2: keygate's own objects never name them.
  if nm "$KEYGATE" | grep -q ' U mbedtls_'; then fail "an mbedTLS function is left unresolved"; fi
  no_certificates_at_start
elif echo "$libs" | grep -q libmbedx509; then
  [ "$stub" -eq 2 ] || fail "libgit2 links mbedTLS but the binary does not define both stubs"
  for lib in $libs; do
    case "$(basename "$lib")" in libgit2.so*|libmbed*) continue ;; esac
    if readelf -d "$lib" 2>/dev/null | grep NEEDED | grep -q 'libmbed'; then
      fail "$lib also uses mbedTLS: the stub would have to be re-examined for it"
    fi
  done
  # The binary itself calls no mbedTLS function: every call the stub sees comes from libgit2 or mbedTLS.
  if nm -D --undefined-only "$KEYGATE" | grep -q ' mbedtls_'; then fail "keygate calls mbedTLS directly"; fi
  # libgit2 reads no certificate at start-up.
  no_certificates_at_start
else
  [ "$stub" -eq 0 ] || fail "the stub is linked although libgit2 does not use mbedTLS"
fi
echo ok
