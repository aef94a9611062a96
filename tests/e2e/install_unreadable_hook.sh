# #8: an existing hook keygate cannot read is an error naming it (exit 2): it is neither taken for someone
# else's hook and chained (a keygate hook chained to itself) nor overwritten.
source "$(dirname "$0")/lib.sh"
r="$TMP/repo"; git init -q "$r"
"$KEYGATE" install --repo "$r" --hook pre-commit >/dev/null
cp "$r/.git/hooks/pre-commit" "$TMP/ours"
as_unprivileged "$r"
chmod 000 "$r/.git/hooks/pre-commit"
set +e
"${unprivileged[@]}" "$KEYGATE" install --repo "$r" --hook pre-commit >"$TMP/out" 2>&1; s=$?
set -e
[ $s -eq 2 ] || { cat "$TMP/out" >&2; fail "unreadable hook: exit $s"; }
grep -q "hooks/pre-commit: cannot read the existing hook: Permission denied" "$TMP/out" ||
  { cat "$TMP/out" >&2; fail "the unreadable hook is not named with the reason"; }
[ ! -e "$r/.git/hooks/pre-commit.keygate-chained" ] || fail "the unreadable hook was chained"
chmod 755 "$r/.git/hooks/pre-commit"
cmp -s "$r/.git/hooks/pre-commit" "$TMP/ours" || fail "the unreadable hook was changed"
echo ok
