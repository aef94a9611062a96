#!/usr/bin/env bash
# Issue #9 C7: a SHA-256 repository (git init --object-format=sha256) is refused plainly: the object format
# is named, what to do instead is said, and each hook's message says how to get past it.
source "$(dirname "$0")/lib.sh"
# Under ASan (tests/run.sh): libgit2 1.5 leaks while opening such repositories; see the file.
export LSAN_OPTIONS="suppressions=$KEYGATE_SOURCE/tests/e2e/push/libgit2-leaks.supp"
export ASAN_OPTIONS="${ASAN_OPTIONS:-}${ASAN_OPTIONS:+:}fast_unwind_on_malloc=0"
r="$TMP/r"
git init -q --object-format=sha256 "$r"
echo "one" >"$r/a.txt" && git -C "$r" add a.txt
for cmd in staged history; do
  set +e; (cd "$r" && "$KEYGATE" "$cmd") >"$TMP/out" 2>&1; rc=$?; set -e
  [ "$rc" = 2 ] || { cat "$TMP/out"; fail "$cmd: exit $rc, not 2"; }
  grep -q "SHA-256" "$TMP/out" || { cat "$TMP/out"; fail "$cmd: SHA-256 not named"; }
  grep -q "keygate scan" "$TMP/out" || fail "$cmd: no alternative given"
  grep -q -- "--no-verify" "$TMP/out" || fail "$cmd: no bypass given"
done
# sha256_pre_receive: the server hook says the same, with the push bypass.
git init -q --bare --object-format=sha256 "$TMP/srv.git"
set +e; (cd "$TMP/srv.git" && printf "%064d %064d refs/heads/main\n" 0 1 | "$KEYGATE" pre-receive) >"$TMP/out" 2>&1; rc=$?; set -e
[ "$rc" = 2 ] || { cat "$TMP/out"; fail "pre-receive: exit $rc, not 2"; }
grep -q "SHA-256" "$TMP/out" && grep -q "keygate.skip" "$TMP/out" || { cat "$TMP/out"; fail "pre-receive message"; }
echo "keygate-e2e: sha256_repository ok"
