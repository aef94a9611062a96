#!/usr/bin/env bash
# The commit-msg hook that a plain `keygate install` writes (issue #11): a real `git commit -m` whose
# message holds a key is blocked, with the bypass said and the key redacted; a clean message commits; a
# user's own commit-msg hook is chained (gets the message file) and restored by uninstall.
source "$(dirname "$0")/lib.sh"
r="$TMP/r"
git init -q "$r"
mine='#!/bin/sh
echo "mine saw $(head -n1 "$1")" >>"$(dirname "$0")/../mine.log"
'
printf '%s' "$mine" >"$r/.git/hooks/commit-msg" && chmod +x "$r/.git/hooks/commit-msg"
"$KEYGATE" install --repo "$r" >"$TMP/install.out"
grep -q "commit-msg hook installed" "$TMP/install.out" || { cat "$TMP/install.out"; fail "commit-msg not a default"; }
KEY=$(fake_key 111)

echo a >"$r/a.txt" && git -C "$r" add a.txt
commit_blocked "$r" "deploy with $KEY"
grep -q "commit-msg\|message" "$TMP/out" || { cat "$TMP/out"; fail "the finding does not name the message"; }
assert_no_key "$TMP/out" "$KEY"
[ ! -s "$r/.git/mine.log" ] || fail "the chained hook ran although keygate blocked"
[ -z "$(git -C "$r" rev-list --all 2>/dev/null)" ] || fail "a commit was made"

commit_ok "$r" "a clean message"
grep -q "mine saw a clean message" "$r/.git/mine.log" || fail "the user's commit-msg hook did not run with the message"

"$KEYGATE" uninstall --repo "$r" --hook commit-msg >"$TMP/un.out"
grep -q "previous hook is back" "$TMP/un.out" || { cat "$TMP/un.out"; fail "uninstall did not restore"; }
[ "$(cat "$r/.git/hooks/commit-msg")" = "$(printf '%s' "$mine")" ] || fail "the user's hook is not restored as it was"
echo "keygate-e2e: hook_commit_msg ok"
