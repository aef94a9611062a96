# B5: a clean `git merge` runs pre-merge-commit, not pre-commit. keygate installs it by default: a merge that
# brings a key into the current branch is blocked (and says how to bypass); a clean merge goes through.
source "$(dirname "$0")/lib.sh"
r="$TMP/repo"; new_repo "$r"
[ -x "$r/.git/hooks/pre-merge-commit" ] || fail "pre-merge-commit not installed by default"
echo base > "$r/base.txt"; git -C "$r" add base.txt; commit_ok "$r" "base"
git -C "$r" checkout -q -b leaky
printf 'token = "%s"\n' "$(fake_key 501)" > "$r/leak.env"
git -C "$r" add leak.env; git -C "$r" commit -q --no-verify -m "key committed with --no-verify"
git -C "$r" checkout -q -b tidy main
echo fine > "$r/fine.txt"; git -C "$r" add fine.txt; commit_ok "$r" "clean change"
git -C "$r" checkout -q main
echo more > "$r/more.txt"; git -C "$r" add more.txt; commit_ok "$r" "main moves on"
# A real three-way merge git completes by itself: pre-merge-commit runs and blocks it.
if git -C "$r" merge -q --no-edit leaky >"$TMP/out" 2>&1; then cat "$TMP/out" >&2; fail "merge brought a key in"; fi
grep -q "no-verify" "$TMP/out" || { cat "$TMP/out" >&2; fail "blocked merge without saying how to bypass"; }
assert_no_key "$TMP/out" "$(fake_key 501)"
[ "$(git -C "$r" rev-list --count HEAD)" = 2 ] || fail "the merge commit was made"
git -C "$r" merge --abort
git -C "$r" merge -q --no-edit tidy >"$TMP/out" 2>&1 || { cat "$TMP/out" >&2; fail "clean merge blocked"; }
[ "$(git -C "$r" rev-list --parents -n 1 HEAD | wc -w)" = 3 ] || fail "no merge commit"
echo ok
