# The Debian package: `cpack -G DEB` builds it from the build tree, it lists every installed file, it
# unpacks into a temporary root where `keygate version` runs, and dpkg accepts it (--dry-run).
source "$(dirname "$0")/lib.sh"
build=$(dirname "$KEYGATE")
[ -f "$build/CPackConfig.cmake" ] || fail "no CPackConfig.cmake beside $KEYGATE"
command -v dpkg-deb >/dev/null || { echo "SKIP: dpkg-deb missing"; exit 0; }
cpack -G DEB --config "$build/CPackConfig.cmake" -B "$TMP/pkg" >"$TMP/cpack.out" 2>&1 || { cat "$TMP/cpack.out" >&2; fail "cpack failed"; }
deb=$(ls "$TMP"/pkg/keygate_*.deb)
dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./||' > "$TMP/files"
for f in usr/bin/keygate usr/share/man/man1/keygate.1.gz usr/share/doc/keygate/copyright \
         usr/share/bash-completion/completions/keygate usr/share/zsh/vendor-completions/_keygate \
         usr/share/fish/vendor_completions.d/keygate.fish; do
  grep -qx "$f" "$TMP/files" || { cat "$TMP/files" >&2; fail "$f is not in the package"; }
done
# Depends is computed by dpkg-shlibdeps: it names the libraries the binary links.
depends=$(dpkg-deb -f "$deb" Depends)
case $depends in *libc6*) ;; *) fail "Depends not computed: '$depends'" ;; esac
if ldd "$KEYGATE" | grep -q libgit2; then
  case $depends in *libgit2*) ;; *) fail "Depends lacks libgit2: '$depends'" ;; esac
fi
# libarchive is loaded with dlopen (archives): recommended, since dpkg-shlibdeps cannot see it.
dpkg-deb -f "$deb" Recommends | grep -q libarchive13 || fail "Recommends lacks libarchive13"
dpkg-deb -x "$deb" "$TMP/root"
"$TMP/root/usr/bin/keygate" version | grep -q '^keygate ' || fail "the unpacked binary does not run"
zcat "$TMP/root/usr/share/man/man1/keygate.1.gz" | groff -man -Tutf8 -ww -z 2>"$TMP/groff.err"
[ ! -s "$TMP/groff.err" ] || { cat "$TMP/groff.err" >&2; fail "the packaged man page has warnings"; }
if [ "$(id -u)" -eq 0 ]; then
  dpkg --dry-run -i "$deb" >"$TMP/dpkg.out" 2>&1 || { cat "$TMP/dpkg.out" >&2; fail "dpkg --dry-run -i refused it"; }
else
  echo "note: not root, dpkg --dry-run -i skipped"
fi
echo ok
