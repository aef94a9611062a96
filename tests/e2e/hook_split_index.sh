#!/usr/bin/env bash
# Issue 9 C8: a split index (core.splitIndex=true: git re-splits on every write, and hands the hook a split
# GIT_INDEX_FILE for `git commit -a` / `git commit PATH`) is read by keygate itself: a key is blocked, a
# clean commit passes, a key only in the shared index still counts, and a .keygate.toml staged in the shared
# index is obeyed. A sparse index gets keygate's own message (exit 2, with the bypass), and the advice lasts.
source "$(dirname "$0")/lib.sh"
r="$TMP/repo"; new_repo "$r"
git -C "$r" config core.splitIndex true
mkdir -p "$r/d"
for i in 1 2 3 4 5; do printf 'line %s\n' "$i" > "$r/d/f$i.txt"; done
git -C "$r" add -A; commit_ok "$r" base
ls "$r/.git" | grep -q '^sharedindex\.' || fail "no shared index: the index is not split"

# Clean commits pass, through the index and through GIT_INDEX_FILE (commit -a, commit PATH).
printf 'more\n' >> "$r/d/f1.txt"; git -C "$r" add d/f1.txt; commit_ok "$r" clean
printf 'more\n' >> "$r/d/f2.txt"
git -C "$r" commit -q -a -m "clean -a" >"$TMP/out" 2>&1 || { cat "$TMP/out"; fail "clean commit -a blocked"; }
printf 'more\n' >> "$r/d/f3.txt"
git -C "$r" commit -q -m "clean path" d/f3.txt >"$TMP/out" 2>&1 || { cat "$TMP/out"; fail "clean commit PATH blocked"; }

# A key is blocked: staged, with -a, with a path; the place is named, libgit2's message never shows.
printf 'k=%s\n' "$(fake_key 91)" >> "$r/d/f4.txt"
git -C "$r" add d/f4.txt; commit_blocked "$r" "key staged"
grep -q "d/f4.txt:2:3" "$TMP/out" || { cat "$TMP/out"; fail "staged key: place"; }
! grep -q "mandatory extension" "$TMP/out" || { cat "$TMP/out"; fail "libgit2's message reached the user"; }
git -C "$r" reset -q
if git -C "$r" commit -q -a -m "key -a" >"$TMP/out" 2>&1; then fail "commit -a let the key through"; fi
grep -q "d/f4.txt:2:3" "$TMP/out" || { cat "$TMP/out"; fail "commit -a: place"; }
if git -C "$r" commit -q -m "key path" d/f4.txt >"$TMP/out" 2>&1; then fail "commit PATH let the key through"; fi
grep -q "d/f4.txt:2:3" "$TMP/out" || { cat "$TMP/out"; fail "commit PATH: place"; }
git -C "$r" checkout -q -- d/f4.txt

# A staged .keygate.toml counts even when its entry sits in the shared index (force one split now), over
# the work tree's.
printf '[[allowlists]]\npaths = ["^d/f5\\\\.txt$"]\n' > "$r/.keygate.toml"
git -C "$r" add .keygate.toml; commit_ok "$r" "config"
git -C "$r" update-index --split-index
printf '# no allowlist in the work tree: only the staged file allows d/f5.txt\n' > "$r/.keygate.toml"
printf 'k=%s\n' "$(fake_key 92)" >> "$r/d/f5.txt"
git -C "$r" add d/f5.txt; commit_ok "$r" "allowlisted by the staged config"

# Sparse index: keygate's own message and exit 2, with the bypass; its advice makes commits work again.
s="$TMP/sparse"; new_repo "$s"
mkdir -p "$s/in" "$s/out/deep"; echo 1 > "$s/in/a"; echo 2 > "$s/out/deep/b"
git -C "$s" add -A; commit_ok "$s" base
git -C "$s" sparse-checkout set --cone --sparse-index in
echo 3 > "$s/in/c"; git -C "$s" add in/c
commit_blocked "$s" "sparse"
grep -q "sparse index (index.sparse) cannot be read by keygate" "$TMP/out" || { cat "$TMP/out"; fail "sparse: message"; }
grep -q "exit 2" "$TMP/out" && grep -q -- "--no-verify" "$TMP/out" || { cat "$TMP/out"; fail "sparse: exit/bypass"; }
! grep -q "mandatory extension" "$TMP/out" || { cat "$TMP/out"; fail "sparse: libgit2's message"; }
set +e; (cd "$s" && "$KEYGATE" staged >"$TMP/out" 2>&1); rc=$?; set -e
[ "$rc" = 2 ] || { cat "$TMP/out"; fail "sparse: keygate staged exit $rc, not 2"; }
git -C "$s" sparse-checkout init --no-sparse-index
commit_ok "$s" "after the advice"
echo 4 > "$s/in/d"; git -C "$s" add in/d; commit_ok "$s" "advice lasts"
echo "ok"
