#!/usr/bin/env bash
# keygate pre-receive: the push-option bypass (`git push -o keygate.skip`) is refused unless the server
# allows it, and when allowed it is audited; commits the server already has are never scanned again.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/push/server.sh"
KEY=$(fake_key 32)
new_server "$TMP/srv.git" --verbose
git -C "$TMP/srv.git" config receive.advertisePushOptions true
new_client "$TMP/c" "file://$TMP/srv.git"
c="$TMP/c"
git -C "$c" checkout -q -b leak
echo "TOGETHER_API_KEY=$KEY" >"$c/k.env" && git -C "$c" add k.env && git -C "$c" commit -q -m leak
leak=$(git -C "$c" rev-parse HEAD)

# Not allowed by the server: the option is ignored (and said so), the push rejected.
push_rejected "$c" -o keygate.skip origin leak
grep -q "keygate.skip ignored" "$TMP/out" || { cat "$TMP/out"; fail "refused bypass not explained"; }
server_lacks "$TMP/srv.git" "$leak"

# Allowed: accepted, and the pusher is named.
git -C "$TMP/srv.git" config keygate.allowSkip true
GL_USERNAME=alice push_ok "$c" -o keygate.skip origin leak
grep -q "SKIPPED by alice (GL_USERNAME)" "$TMP/out" || { cat "$TMP/out"; fail "bypass not audited"; }
server_has "$TMP/srv.git" "$leak"

# The same commit under another ref: already on the server, nothing new, nothing reported.
git -C "$TMP/srv.git" config keygate.allowSkip false
push_ok "$c" origin leak:refs/heads/copy
grep -q "0 new commit" "$TMP/out" || { cat "$TMP/out"; fail "known commits scanned again"; }
# A clean commit on top of it: only that one is new, the old key is not reported again.
echo "ok" >"$c/ok.txt" && git -C "$c" add ok.txt && git -C "$c" commit -q -m "clean on top"
push_ok "$c" origin leak
grep -q "1 new commit" "$TMP/out" || { cat "$TMP/out"; fail "expected exactly one new commit"; }
echo "keygate-e2e: push_receive_bypass_and_known_commits ok"
