#!/usr/bin/env bash
# keygate pre-receive: the pushed tip's own .keygate.toml may weaken the server's policy only where the
# server's owner trusts it (keygate.trustPushed), and not at all when repository configuration is off (said
# so); the time budget fails closed by default and can be set to accept.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/push/server.sh"
KEY=$(fake_key 33)
new_server "$TMP/srv.git"
new_client "$TMP/c" "file://$TMP/srv.git"
c="$TMP/c"

# A tip whose .keygate.toml allowlists the file: rejected by default, saying what was not applied ...
mkdir -p "$c/fixtures"
echo "TOGETHER_API_KEY=$KEY" >"$c/fixtures/sample.env"
printf '[allowlist]\ndescription = "test fixtures"\npaths = ['"'"'''^fixtures/'"'"''']\n' >"$c/.keygate.toml"
git -C "$c" add -A && git -C "$c" commit -q -m "fixtures, allowlisted"
git -C "$c" branch allowed
git -C "$c" reset -q --hard HEAD~1
push_rejected "$c" origin allowed
grep -q "\[\[allowlists\]\] not applied: the server does not trust pushed allowlists" "$TMP/out" ||
  { cat "$TMP/out"; fail "refused allowlist not said"; }
# ... and accepted where the server's owner trusts pushed allowlists.
git -C "$TMP/srv.git" config keygate.trustPushed allowlists
push_ok "$c" origin allowed

# The same with repository configuration off (git config and the option): rejected, and said why.
git -C "$c" checkout -q allowed && git -C "$c" checkout -q -b allowed2 && git -C "$c" commit -q --amend -m again
git -C "$TMP/srv.git" config keygate.repoConfig false
push_rejected "$c" origin allowed2
grep -q ".keygate.toml/.keygateignore ignored" "$TMP/out" || { cat "$TMP/out"; fail "ignored config not said"; }
git -C "$TMP/srv.git" config --unset keygate.repoConfig
git -C "$TMP/srv.git" config --unset keygate.trustPushed
new_server "$TMP/srv2.git" --no-repo-config
git -C "$c" remote add srv2 "file://$TMP/srv2.git"
push_rejected "$c" srv2 allowed2
grep -q "ignored" "$TMP/out" || fail "--no-repo-config not said"

# A server-wide config (git config keygate.config) applies too: a rule of its own.
printf '[extend]\nuseDefault = true\n[[rules]]\nid = "internal-token"\nregex = '"'"'''INTERNAL-[0-9]{8}'"'"'''\n' >"$TMP/server.toml"
git -C "$TMP/srv.git" config keygate.config "$TMP/server.toml"
git -C "$c" checkout -q main
echo "token INTERNAL-$((10000000 + RANDOM))" >"$c/t.txt" && git -C "$c" add t.txt && git -C "$c" commit -q -m internal
push_rejected "$c" origin main
grep -q "internal-token" "$TMP/out" || { cat "$TMP/out"; fail "server config not applied"; }
git -C "$c" reset -q --hard HEAD~1
git -C "$TMP/srv.git" config --unset keygate.config

# A budget too small for anything: rejected by default, naming what was not scanned ...
echo "a" >"$c/a.txt" && git -C "$c" add a.txt && git -C "$c" commit -q -m a
new_server "$TMP/srv3.git" --timeout 0.000001
git -C "$c" remote add srv3 "file://$TMP/srv3.git"
push_rejected "$c" srv3 main
grep -q "time budget" "$TMP/out" || { cat "$TMP/out"; fail "timeout not said"; }
grep -q "not scanned" "$TMP/out" || fail "unscanned commits not said"
# ... and accepted with --on-timeout accept, saying so.
new_server "$TMP/srv4.git" --timeout 0.000001 --on-timeout accept
git -C "$c" remote add srv4 "file://$TMP/srv4.git"
push_ok "$c" srv4 main
grep -q "accepted without a full check" "$TMP/out" || { cat "$TMP/out"; fail "accept on timeout not said"; }
echo "keygate-e2e: push_receive_config_and_timeout ok"
