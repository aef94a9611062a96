#!/usr/bin/env bash
# The installed hooks pass git's arguments after `--`: a remote whose name reads like an option
# (`--config=FILE` with a rule file that finds nothing here) is the remote's name, not a setting that switches
# the pre-push check off.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/push/server.sh"
git init -q --bare "$TMP/srv.git"
new_client "$TMP/c" "file://$TMP/srv.git"
c="$TMP/c"
cat >"$TMP/none.toml" <<'TOML'
[[rules]]
id = "nothing-here"
description = "a rule that finds nothing in this test"
regex = '''zqxv-([0-9]{40})'''
keywords = ["zqxv-"]
TOML
weak="--config=$TMP/none.toml"
git -C "$c" remote add -- "$weak" "file://$TMP/srv.git"
"$KEYGATE" install --repo "$c" --hook pre-push >/dev/null

KEY=$(fake_key 4711)
echo "TOGETHER_API_KEY=$KEY" >"$c/k.env" && git -C "$c" add k.env && git -C "$c" commit -q --no-verify -m oops
if git -C "$c" push -- "$weak" HEAD:refs/heads/main >"$TMP/out" 2>&1; then
  cat "$TMP/out"
  fail "a remote named like an option switched the pre-push check off"
fi
grep -q "k.env:1" "$TMP/out" || { cat "$TMP/out"; fail "the finding is not shown"; }
assert_no_key "$TMP/out" "$KEY"
server_lacks "$TMP/srv.git" "$(git -C "$c" rev-parse HEAD)"

# A hook installed before the template's `--` (no chained hook: it hands over to keygate with KEYGATE_HOOK
# set) is read the same way: keygate takes every word after the command for git's.
hook="$c/.git/hooks/pre-push"
sed 's/ -- "\$@"/ "$@"/' "$hook" >"$TMP/old" && cat "$TMP/old" >"$hook"
grep -q -- ' -- "\$@"' "$hook" && fail "the old template still has --"
if git -C "$c" push -- "$weak" HEAD:refs/heads/main >"$TMP/out" 2>&1; then
  cat "$TMP/out"
  fail "an old hook let a remote named like an option switch the pre-push check off"
fi
grep -q "k.env:1" "$TMP/out" || { cat "$TMP/out"; fail "the finding is not shown (old hook)"; }
server_lacks "$TMP/srv.git" "$(git -C "$c" rev-parse HEAD)"
echo "keygate-e2e: hook_git_arguments_are_operands ok"
