#!/usr/bin/env bash
# keygate pre-push through a real `git push`: only the commits the remote lacks are checked, so a commit
# made with `git commit --no-verify` is caught before it leaves the machine.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/push/server.sh"
KEY=$(fake_key 34)
git init -q --bare "$TMP/srv.git"
new_client "$TMP/c" "file://$TMP/srv.git"
c="$TMP/c"
printf '#!/bin/sh\nexec %q pre-push --verbose "$@"\n' "$KEYGATE" >"$c/.git/hooks/pre-push"
chmod +x "$c/.git/hooks/pre-push"
git -C "$c" fetch -q origin

# An existing remote branch: only the new commit.
echo "b" >>"$c/README" && git -C "$c" commit -q -am "second"
push_ok "$c" origin main
grep -q "1 new commit" "$TMP/out" || { cat "$TMP/out"; fail "existing branch: expected one new commit"; }

# A new remote branch: only what origin's tracking refs do not reach.
git -C "$c" checkout -q -b feature
echo "f" >"$c/f.txt" && git -C "$c" add f.txt && git -C "$c" commit -q -m "feature"
push_ok "$c" origin feature
grep -q "1 new commit" "$TMP/out" || { cat "$TMP/out"; fail "new branch: expected one new commit"; }

# A commit made with --no-verify (no pre-commit ran) is caught at push time.
echo "TOGETHER_API_KEY=$KEY" >"$c/k.env" && git -C "$c" add k.env && git -C "$c" commit -q --no-verify -m "oops"
push_rejected "$c" origin feature
grep -q "k.env:1" "$TMP/out" || { cat "$TMP/out"; fail "finding not shown"; }
grep -q "no-verify" "$TMP/out" || fail "bypass not said"
assert_no_key "$TMP/out" "$KEY"
server_lacks "$TMP/srv.git" "$(git -C "$c" rev-parse HEAD)"
git -C "$c" reset -q --hard HEAD~1

# Deleting a remote branch checks nothing.
push_ok "$c" origin :feature
if grep -q "keygate: " "$TMP/out"; then cat "$TMP/out"; fail "deletion scanned something"; fi
echo "keygate-e2e: push_pre_push ok"
