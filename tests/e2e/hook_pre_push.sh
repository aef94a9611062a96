#!/usr/bin/env bash
# `keygate install --hook pre-push` through a real `git push` to a bare file:// remote: a pushed commit made
# with --no-verify that holds a key is refused before it leaves; a clean push passes; a user's own pre-push
# hook still gets git's stdin lines (buffered by the hook script) and is restored by uninstall.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/push/server.sh"
git init -q --bare "$TMP/srv.git"
new_client "$TMP/c" "file://$TMP/srv.git"
c="$TMP/c"
mine='#!/bin/sh
echo "mine $1" >>"$(dirname "$0")/../mine.log"
cat >>"$(dirname "$0")/../mine.log"
'
printf '%s' "$mine" >"$c/.git/hooks/pre-push" && chmod +x "$c/.git/hooks/pre-push"
"$KEYGATE" install --repo "$c" >"$TMP/i1.out"
grep -q "pre-push" "$TMP/i1.out" && fail "pre-push is installed by default"
"$KEYGATE" install --repo "$c" --hook pre-push >"$TMP/i2.out"
grep -q "pre-push hook installed.*still runs" "$TMP/i2.out" || { cat "$TMP/i2.out"; fail "pre-push not chained"; }

# A clean push passes, and the chained hook saw the remote's name and git's ref line.
echo b >>"$c/README" && git -C "$c" commit -q -am second
push_ok "$c" origin main
grep -q "^mine origin" "$c/.git/mine.log" || fail "chained hook did not get its arguments"
grep -q "^refs/heads/main $(git -C "$c" rev-parse HEAD) refs/heads/main " "$c/.git/mine.log" ||
  { cat "$c/.git/mine.log"; fail "chained hook did not get git's stdin"; }

# A key committed with --no-verify is caught at push time.
KEY=$(fake_key 112)
echo "TOGETHER_API_KEY=$KEY" >"$c/k.env" && git -C "$c" add k.env && git -C "$c" commit -q --no-verify -m oops
: >"$c/.git/mine.log"
push_rejected "$c" origin main
grep -q "k.env:1" "$TMP/out" || { cat "$TMP/out"; fail "finding not shown"; }
grep -q "no-verify" "$TMP/out" || fail "bypass not said"
assert_no_key "$TMP/out" "$KEY"
server_lacks "$TMP/srv.git" "$(git -C "$c" rev-parse HEAD)"
[ ! -s "$c/.git/mine.log" ] || fail "the chained hook ran although keygate refused"
git -C "$c" push -q --no-verify origin main 2>/dev/null || fail "--no-verify did not bypass"

"$KEYGATE" uninstall --repo "$c" --hook pre-push >"$TMP/un.out"
grep -q "previous hook is back" "$TMP/un.out" || { cat "$TMP/un.out"; fail "uninstall did not restore"; }
[ "$(cat "$c/.git/hooks/pre-push")" = "$(printf '%s' "$mine")" ] || fail "the user's hook is not restored"
echo "keygate-e2e: hook_pre_push ok"
