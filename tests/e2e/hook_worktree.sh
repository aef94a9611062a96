# A linked worktree uses the common directory's hooks: installing from the worktree protects both.
source "$(dirname "$0")/lib.sh"
r="$TMP/repo"; git init -q "$r"
echo a > "$r/a"; git -C "$r" add a; git -C "$r" commit -q -m base
git -C "$r" worktree add -q "$TMP/wt" -b feature 2>/dev/null
"$KEYGATE" install --repo "$TMP/wt" | grep -q "$r/.git/hooks/pre-commit" || fail "not installed in the common dir"
printf '%s\n' "$(fake_key 7)" > "$TMP/wt/k"; git -C "$TMP/wt" add k
commit_blocked "$TMP/wt" "in the worktree"
printf '%s\n' "$(fake_key 8)" > "$r/k"; git -C "$r" add k
commit_blocked "$r" "in the main worktree"
git -C "$TMP/wt" reset -q; echo b > "$TMP/wt/b"; git -C "$TMP/wt" add b
commit_ok "$TMP/wt" "clean in the worktree"
