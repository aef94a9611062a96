# D13: a keygate binary whose path holds ', ", spaces, $, a backslash and a placeholder-looking @HOOK@
# produces a working hook: the path is quoted for the shell. A real commit with a key is blocked through
# it, a clean one goes through, and the hook ran that very binary.
source "$(dirname "$0")/lib.sh"
dir="$TMP/it's a \"quoted\" \$HOME \\ dir @HOOK@"
mkdir -p "$dir"
cp "$KEYGATE" "$dir/keygate"
r="$TMP/repo"; git init -q "$r"
"$dir/keygate" install --repo "$r" >"$TMP/out" 2>&1 || { cat "$TMP/out" >&2; fail "install failed"; }
sh -n "$r/.git/hooks/pre-commit" || fail "the hook is not valid shell"
printf 'k=%s\n' "$(fake_key 701)" > "$r/leak.env"; git -C "$r" add leak.env
PATH=/usr/bin:/bin commit_blocked "$r" "key through a quoted path"
git -C "$r" rm -q --cached leak.env
echo fine > "$r/fine.txt"; git -C "$r" add fine.txt
PATH=/usr/bin:/bin commit_ok "$r" "clean through a quoted path"
# Proof that the hook ran the copied binary, not one found on PATH: without it the commit is blocked.
rm "$dir/keygate"
echo more > "$r/more.txt"; git -C "$r" add more.txt
PATH=/usr/bin:/bin commit_blocked "$r" "binary gone"
grep -qF "was '$dir/keygate'" "$TMP/out" || { cat "$TMP/out" >&2; fail "the missing binary is not named"; }
echo ok
