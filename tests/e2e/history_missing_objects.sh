#!/usr/bin/env bash
# Issue #9 C6: a ref whose commit is missing, a missing blob, and a partial clone make `keygate history`
# incomplete: it names what is missing (a count and the first few) and exits 2, never "clean".
source "$(dirname "$0")/lib.sh"
# Under ASan (tests/run.sh): libgit2 1.5 leaks while opening such repositories; see the file.
export LSAN_OPTIONS="suppressions=$KEYGATE_SOURCE/tests/e2e/push/libgit2-leaks.supp"
export ASAN_OPTIONS="${ASAN_OPTIONS:-}${ASAN_OPTIONS:+:}fast_unwind_on_malloc=0"
r="$TMP/r"
git init -q "$r"
echo "one" >"$r/a.txt" && git -C "$r" add a.txt && git -C "$r" commit -q -m one

# history_missing_commit_of_ref: a ref naming a commit that is not there (after a gc --prune race).
ghost=0123456789abcdef0123456789abcdef01234567
echo "$ghost" >"$r/.git/refs/heads/ghost"
set +e; "$KEYGATE" history --repo "$r" >"$TMP/out" 2>&1; rc=$?; set -e
[ "$rc" = 2 ] || { cat "$TMP/out"; fail "missing commit: exit $rc, not 2"; }
grep -q "refs/heads/ghost ($ghost)" "$TMP/out" || { cat "$TMP/out"; fail "missing commit not named"; }
rm "$r/.git/refs/heads/ghost"

# history_missing_blob: a loose blob deleted from the object store.
echo "two" >"$r/b.txt" && git -C "$r" add b.txt && git -C "$r" commit -q -m two
blob=$(git -C "$r" rev-parse HEAD:b.txt)
rm "$r/.git/objects/${blob:0:2}/${blob:2}"
set +e; "$KEYGATE" history --repo "$r" >"$TMP/out" 2>&1; rc=$?; set -e
[ "$rc" = 2 ] || { cat "$TMP/out"; fail "missing blob: exit $rc, not 2"; }
grep -q "1 blob(s) missing.*b.txt ($blob)" "$TMP/out" || { cat "$TMP/out"; fail "missing blob not named"; }

# history_partial_clone: a blobless clone says that it is one.
git init -q "$TMP/src"
echo "x" >"$TMP/src/x.txt" && git -C "$TMP/src" add x.txt && git -C "$TMP/src" commit -q -m x
echo "y" >"$TMP/src/x.txt" && git -C "$TMP/src" commit -q -am y
git -C "$TMP/src" config uploadpack.allowFilter true
git clone -q --no-checkout --filter=blob:none "file://$TMP/src" "$TMP/partial"
set +e; "$KEYGATE" history --repo "$TMP/partial" >"$TMP/out" 2>&1; rc=$?; set -e
[ "$rc" = 2 ] || { cat "$TMP/out"; fail "partial clone: exit $rc, not 2"; }
grep -q "partial clone" "$TMP/out" || { cat "$TMP/out"; fail "partial clone not said"; }
echo "keygate-e2e: history_missing_objects ok"
