# The shipped binary's certificate-loading stub (src/tls_stub.cpp): present exactly when libgit2 links
# mbedTLS, and mbedTLS has no other user in the process that an empty trust store could affect.
source "$(dirname "$0")/lib.sh"
libs=$(ldd "$KEYGATE" | awk '/=>/ { print $3 }')
stub=$(nm -D --defined-only "$KEYGATE" | grep -c ' T mbedtls_x509_crt_parse_\(file\|path\)$' || true)
if echo "$libs" | grep -q libmbedx509; then
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
  if command -v strace >/dev/null; then
    cd "$TMP" && git init -q r && cd r
    strace -f -e trace=openat,open "$KEYGATE" staged 2>"$TMP/trace" >/dev/null || true
    if grep -v ENOENT "$TMP/trace" | grep -q '/etc/ssl/certs'; then fail "certificates were loaded"; fi
  fi
else
  [ "$stub" -eq 0 ] || fail "the stub is linked although libgit2 does not use mbedTLS"
fi
echo ok
