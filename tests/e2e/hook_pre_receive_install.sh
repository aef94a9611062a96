#!/usr/bin/env bash
# `keygate install --hook pre-receive` on a bare server repository, then real pushes: a key is rejected, a
# clean push passes, the server's own pre-receive is chained (with git's stdin) and restored by uninstall.
# With a pre-receive.d/ folder (Gitea, GitLab custom hooks), keygate goes into pre-receive.d/keygate and
# the server's dispatcher hook is left alone.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/push/server.sh"
KEY=$(fake_key 113)

# 1. A plain bare repository with its own pre-receive hook.
srv="$TMP/srv.git"
git init -q --bare "$srv"
mine='#!/bin/sh
cat >>"$(dirname "$0")/../mine.log"
'
printf '%s' "$mine" >"$srv/hooks/pre-receive" && chmod +x "$srv/hooks/pre-receive"
"$KEYGATE" install --repo "$srv" --hook pre-receive >"$TMP/i.out"
grep -q "pre-receive hook installed.*still runs" "$TMP/i.out" || { cat "$TMP/i.out"; fail "not chained"; }
grep -q "keygate.skip" "$srv/hooks/pre-receive" || fail "the hook does not say how the server may allow a bypass"
new_client "$TMP/c" "file://$srv"
c="$TMP/c"
grep -q " refs/heads/main" "$srv/mine.log" || fail "the chained hook did not get git's stdin"
echo "TOGETHER_API_KEY=$KEY" >"$c/k.env" && git -C "$c" add k.env && git -C "$c" commit -q -m oops
: >"$srv/mine.log"
push_rejected "$c" origin main
grep -q "remote: .*k.env:1" "$TMP/out" || { cat "$TMP/out"; fail "finding not shown to the pusher"; }
assert_no_key "$TMP/out" "$KEY"
server_lacks "$srv" "$(git -C "$c" rev-parse HEAD)"
[ ! -s "$srv/mine.log" ] || fail "the chained hook ran although keygate rejected"
git -C "$c" reset -q --hard HEAD~1
echo b >>"$c/README" && git -C "$c" commit -q -am clean
push_ok "$c" origin main
"$KEYGATE" uninstall --repo "$srv" >"$TMP/un.out"
grep -q "pre-receive.*previous hook is back" "$TMP/un.out" || { cat "$TMP/un.out"; fail "not restored"; }
[ "$(cat "$srv/hooks/pre-receive")" = "$(printf '%s' "$mine")" ] || fail "the server's hook is not restored"

# 2. A pre-receive.d/ layout: a dispatcher that runs every script in the folder with the same input.
srv2="$TMP/srv2.git"
git init -q --bare "$srv2"
dispatcher='#!/bin/sh
input=$(cat)
for h in "$(dirname "$0")"/pre-receive.d/*; do
  [ -x "$h" ] || continue
  printf "%s\n" "$input" | "$h" || exit 1
done
'
printf '%s' "$dispatcher" >"$srv2/hooks/pre-receive" && chmod +x "$srv2/hooks/pre-receive"
mkdir "$srv2/hooks/pre-receive.d"
"$KEYGATE" install --repo "$srv2" --hook pre-receive >"$TMP/i2.out"
grep -q "pre-receive.d/keygate" "$TMP/i2.out" || { cat "$TMP/i2.out"; fail "not written into pre-receive.d"; }
[ "$(cat "$srv2/hooks/pre-receive")" = "$(printf '%s' "$dispatcher")" ] || fail "the dispatcher was touched"
[ ! -e "$srv2/hooks/pre-receive.keygate-chained" ] || fail "the dispatcher was chained"
git -C "$c" remote add two "file://$srv2"
push_ok "$c" two main
git -C "$c" checkout -q -b leak
echo "TOGETHER_API_KEY=$KEY" >"$c/k.env" && git -C "$c" add k.env && git -C "$c" commit -q -m oops
push_rejected "$c" two leak
grep -q "k.env:1" "$TMP/out" || { cat "$TMP/out"; fail "pre-receive.d/keygate did not report"; }
server_lacks "$srv2" "$(git -C "$c" rev-parse HEAD)"
"$KEYGATE" install --repo "$srv2" --hook pre-receive | grep -q "already installed" || fail "not idempotent"
# A foreign pre-receive.d/keygate is refused, not overwritten.
"$KEYGATE" uninstall --repo "$srv2" --hook pre-receive >"$TMP/un2.out"
[ ! -e "$srv2/hooks/pre-receive.d/keygate" ] || { cat "$TMP/un2.out"; fail "pre-receive.d/keygate not removed"; }
[ "$(cat "$srv2/hooks/pre-receive")" = "$(printf '%s' "$dispatcher")" ] || fail "uninstall touched the dispatcher"
printf '#!/bin/sh\nexit 0\n' >"$srv2/hooks/pre-receive.d/keygate" && chmod +x "$srv2/hooks/pre-receive.d/keygate"
if "$KEYGATE" install --repo "$srv2" --hook pre-receive >"$TMP/i3.out" 2>&1; then fail "a foreign pre-receive.d/keygate was replaced"; fi
grep -q "not keygate's" "$TMP/i3.out" || { cat "$TMP/i3.out"; fail "no clear refusal"; }
echo "keygate-e2e: hook_pre_receive_install ok"
