# D13: a read-only hooks directory gives the real reason ("Permission denied", errno taken before the
# temporary file is cleaned up), names the hook, exits 2 and leaves nothing behind.
source "$(dirname "$0")/lib.sh"
r="$TMP/repo"; git init -q "$r"
mkdir -p "$r/.git/hooks"
as_unprivileged "$r"
chmod 555 "$r/.git/hooks"
set +e
"${unprivileged[@]}" "$KEYGATE" install --repo "$r" >"$TMP/out" 2>&1; s=$?
set -e
[ $s -eq 2 ] || { cat "$TMP/out" >&2; fail "read-only hooks directory: exit $s"; }
grep -q "hooks/keygate-install.lock: cannot create lock file: Permission denied\|hooks/pre-commit: cannot write hook: Permission denied" "$TMP/out" ||
  { cat "$TMP/out" >&2; fail "the reason is not Permission denied, naming the place"; }
[ -z "$(ls -A "$r/.git/hooks" | grep -v '\.sample$')" ] || fail "something was left in the hooks directory"
echo ok
