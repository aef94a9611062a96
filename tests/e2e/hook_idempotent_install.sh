# Installing twice changes nothing; uninstalling twice is harmless.
source "$(dirname "$0")/lib.sh"
r="$TMP/repo"; git init -q "$r"
"$KEYGATE" install --repo "$r" >/dev/null
cp "$r/.git/hooks/pre-commit" "$TMP/first"
"$KEYGATE" install --repo "$r" | grep -q "already installed" || fail "second install did not say so"
cmp -s "$r/.git/hooks/pre-commit" "$TMP/first" || fail "second install changed the hook"
ls "$r/.git/hooks" | grep -q keygate-chained && fail "second install chained itself"
"$KEYGATE" uninstall --repo "$r" >/dev/null
[ -e "$r/.git/hooks/pre-commit" ] && fail "hook still there"
"$KEYGATE" uninstall --repo "$r" | grep -q "not installed" || fail "second uninstall"
