# An existing pre-commit hook is kept and still runs (after keygate); uninstall puts it back.
source "$(dirname "$0")/lib.sh"
r="$TMP/repo"; git init -q "$r"
printf '#!/bin/sh\necho "original hook ran" >> "%s"\nexit 0\n' "$TMP/log" > "$r/.git/hooks/pre-commit"
chmod +x "$r/.git/hooks/pre-commit"
cp "$r/.git/hooks/pre-commit" "$TMP/original"
"$KEYGATE" install --repo "$r" >/dev/null
echo a > "$r/a"; git -C "$r" add a; commit_ok "$r" one
grep -q "original hook ran" "$TMP/log" || fail "the existing hook did not run"
printf '%s\n' "$(fake_key 6)" > "$r/k"; git -C "$r" add k
commit_blocked "$r" "key"
"$KEYGATE" uninstall --repo "$r" >/dev/null
cmp -s "$r/.git/hooks/pre-commit" "$TMP/original" || fail "uninstall did not restore the hook"
[ -x "$r/.git/hooks/pre-commit" ] || fail "restored hook is not executable"
