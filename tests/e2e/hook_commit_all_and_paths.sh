# `git commit -a` and `git commit PATH` stage through a temporary index (GIT_INDEX_FILE) that the hook
# must read: a key in a tracked file is blocked both ways; with `git commit PATH`, a key staged in
# another file that is not part of this commit does not block it.
source "$(dirname "$0")/lib.sh"
r="$TMP/repo"; new_repo "$r"
printf 'a\n' > "$r/a.txt"; printf 'b\n' > "$r/b.txt"
git -C "$r" add a.txt b.txt; commit_ok "$r" base
printf 'a\nk=%s\n' "$(fake_key 80)" > "$r/a.txt"
if git -C "$r" commit -q -a -m "all" > "$TMP/out" 2>&1; then fail "git commit -a let the key through"; fi
grep -q "a.txt:2:3" "$TMP/out" || { cat "$TMP/out"; fail "commit -a: place"; }
if git -C "$r" commit -q -m "path" a.txt > "$TMP/out" 2>&1; then fail "git commit PATH let the key through"; fi
# A key staged in a.txt; b.txt committed alone must pass.
git -C "$r" add a.txt
printf 'b\nc\n' > "$r/b.txt"
git -C "$r" commit -q -m "only b" b.txt > "$TMP/out" 2>&1 || { cat "$TMP/out"; fail "commit of b.txt alone was blocked"; }
git -C "$r" show --stat HEAD | grep -q "b.txt" || fail "b.txt not committed"
