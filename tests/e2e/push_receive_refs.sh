#!/usr/bin/env bash
# keygate pre-receive over real `git push` (file://): which commits are new, whatever the ref update.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/push/server.sh"
KEY=$(fake_key 31)
new_server "$TMP/srv.git" --verbose
new_client "$TMP/c" "file://$TMP/srv.git"
c="$TMP/c"

# A clean push is accepted.
echo "more" >>"$c/README" && git -C "$c" commit -q -am "clean"
push_ok "$c" origin main

# A key in a pushed blob is rejected, and the pushed objects stay out of the server (quarantine).
echo "TOGETHER_API_KEY=$KEY" >"$c/settings.env"
git -C "$c" add settings.env && git -C "$c" commit -q -m "add settings"
bad=$(git -C "$c" rev-parse HEAD)
blob=$(git -C "$c" rev-parse HEAD:settings.env)
push_rejected "$c" origin main
grep -q "settings.env:1" "$TMP/out" || fail "no path:line"
grep -q "refs/heads/main" "$TMP/out" || fail "no ref"
grep -q "${bad:0:12}" "$TMP/out" || fail "no commit"
grep -q "E2E Test" "$TMP/out" || fail "no author"
grep -q "together" "$TMP/out" || fail "no rule"
grep -q "rebase -i" "$TMP/out" || fail "no advice"
grep -q "revoke" "$TMP/out" || fail "no revoke advice"
assert_no_key "$TMP/out" "$KEY"
server_lacks "$TMP/srv.git" "$bad"
server_lacks "$TMP/srv.git" "$blob"

# A force push that drops the bad commit is accepted.
git -C "$c" reset -q --hard HEAD~1
echo "fixed" >"$c/settings.env" && git -C "$c" add settings.env && git -C "$c" commit -q -m "settings, no key"
push_ok "$c" origin main

# A key in a commit message is rejected.
echo "x" >>"$c/README"
git -C "$c" commit -q -am "deploy with TOGETHER_API_KEY=$KEY"
push_rejected "$c" origin main
grep -q "commit message" "$TMP/out" || fail "message finding not named"
assert_no_key "$TMP/out" "$KEY"
git -C "$c" reset -q --hard HEAD~1

# A new branch with a clean commit, then a force push of that branch.
git -C "$c" checkout -q -b topic
echo "t" >"$c/topic.txt" && git -C "$c" add topic.txt && git -C "$c" commit -q -m "topic"
push_ok "$c" origin topic
git -C "$c" commit -q --amend -m "topic, reworded"
push_ok "$c" -f origin topic
grep -q "1 new commit" "$TMP/out" || { cat "$TMP/out"; fail "force push: not exactly the one new commit"; }

# Deleting a branch and tagging an existing commit: nothing new, nothing scanned.
push_ok "$c" origin :topic
git -C "$c" tag -a v1 -m "release" main
push_ok "$c" origin v1
grep -q "0 new commit" "$TMP/out" || { cat "$TMP/out"; fail "tag of an existing commit scanned something"; }

# Several refs at once, only one bad: all rejected (git's pre-receive is all or nothing), the bad one named.
git -C "$c" checkout -q main
git -C "$c" checkout -q -b good && echo g >"$c/g.txt" && git -C "$c" add g.txt && git -C "$c" commit -q -m good
git -C "$c" checkout -q main
git -C "$c" checkout -q -b bad && echo "TOGETHER_API_KEY=$KEY" >"$c/k.env" && git -C "$c" add k.env && git -C "$c" commit -q -m bad
push_rejected "$c" origin good bad
grep -q "refs/heads/bad" "$TMP/out" || fail "bad ref not named"
if grep -q "refs/heads/good  commit" "$TMP/out"; then fail "good ref reported"; fi
[ "$(grep -c 'rule together' "$TMP/out")" = 1 ] || { cat "$TMP/out"; fail "expected exactly one finding"; }
assert_no_key "$TMP/out" "$KEY"
echo "keygate-e2e: push_receive_refs ok"
