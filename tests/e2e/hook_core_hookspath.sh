# core.hooksPath is honoured: the hook is written there and git runs it.
source "$(dirname "$0")/lib.sh"
r="$TMP/repo"; git init -q "$r"
git -C "$r" config core.hooksPath .githooks
"$KEYGATE" install --repo "$r" | grep -q ".githooks/pre-commit" || fail "not installed in core.hooksPath"
[ -e "$r/.git/hooks/pre-commit" ] && fail "also installed in .git/hooks"
printf '%s\n' "$(fake_key 5)" > "$r/k"; git -C "$r" add k
commit_blocked "$r" "blocked through core.hooksPath"
# A global, absolute hooksPath works the same.
git -C "$r" config --unset core.hooksPath
git config --global core.hooksPath "$TMP/global-hooks"
"$KEYGATE" install --repo "$r" | grep -q "global-hooks/pre-commit" || fail "global hooksPath ignored"
commit_blocked "$r" "blocked through the global hooksPath"
