#!/usr/bin/env bash
# Issue #23, items 1, 2, 5 and 10: on the server, a pusher cannot switch the check off. Whatever a pushed
# .keygate.toml, .keygateignore or `keygate:allow` comment says, a Together key is rejected unless the
# server's owner trusts that kind (keygate.trustPushed); every object a push adds is judged (tags of blobs
# and trees, notes, annotated tag messages); a blob over the size limit is rejected unless the owner
# allows it; the time budget holds inside a scan, not only between commits.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/push/server.sh"
KEY=$(fake_key 2301)
new_server "$TMP/srv.git"
new_client "$TMP/c" "file://$TMP/srv.git"
c="$TMP/c"
# The server's own rule (git config keygate.config) must survive a pushed `useDefault = false` too.
printf '[extend]\nuseDefault = true\n[[rules]]\nid = "internal-token"\nregex = '"'"'INTERNAL-[0-9]{8}'"'"'\n' \
  >"$TMP/server.toml"
git -C "$TMP/srv.git" config keygate.config "$TMP/server.toml"

# try NAME: commit what the caller wrote on a branch of its own and push it; it must be rejected, the key
# named, nothing of it on the server.
try() {
  git -C "$c" checkout -q -b "$1" main
  [ -e "$c/k.env" ] || echo "TOGETHER_API_KEY=$KEY" >"$c/k.env"
  git -C "$c" add -A && git -C "$c" commit -q -m "$1"
  local tip
  tip=$(git -C "$c" rev-parse HEAD)
  push_rejected "$c" origin "$1"
  grep -q "together-api-key\|internal-token" "$TMP/out" || { cat "$TMP/out"; fail "$1: no finding named"; }
  server_lacks "$TMP/srv.git" "$tip"
  git -C "$c" checkout -q main
}

echo "TOGETHER_API_KEY=$KEY" >"$c/k.env"
printf '[extend]\nuseDefault = false\n[[rules]]\nid = "mine"\nregex = '"'"'nothing-[0-9]{99}'"'"'\n' >"$c/.keygate.toml"
try use-default-false
echo "token INTERNAL-12345678" >"$c/t.txt"
printf '[extend]\nuseDefault = false\n' >"$c/.keygate.toml"
try use-default-false-server-rule
grep -q "internal-token" "$TMP/out" || { cat "$TMP/out"; fail "the server's own rule was dropped"; }

echo "TOGETHER_API_KEY=$KEY" >"$c/k.env"
printf '[[allowlists]]\npaths = ['"'"'.*'"'"']\n' >"$c/.keygate.toml"
try allowlist-everything
printf '[[allowlists]]\nstopwords = ["tgp_"]\n' >"$c/.keygate.toml"
try stopwords
printf '[extend]\ndisabledRules = ["together-api-key"]\n' >"$c/.keygate.toml"
try disabled-rules
printf '[[rules]]\nid = "together-api-key"\nregex = '"'"'never-[0-9]{99}'"'"'\n' >"$c/.keygate.toml"
try rule-override
printf '[confidence]\nminimum = "high"\ndemote_paths = ['"'"'.*'"'"']\n' >"$c/.keygate.toml"
try confidence

# A pushed .keygateignore holding the finding's fingerprint.
echo "TOGETHER_API_KEY=$KEY" >"$c/k.env"
fp=$(cd "$c" && { "$KEYGATE" scan --format json k.env || true; } | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["fingerprint"])')
echo "$fp" >"$c/.keygateignore"
try ignore-file
grep -q ".keygateignore not applied" "$TMP/out" || { cat "$TMP/out"; fail "refused ignore file not said"; }
# An inline `keygate:allow` comment.
echo "TOGETHER_API_KEY=$KEY # keygate:allow" >"$c/k.env"
try inline-allow

# Trusted by the server's owner: the same ignore file passes.
git -C "$TMP/srv.git" config keygate.trustPushed "ignore"
git -C "$c" checkout -q -b ignore-trusted main
echo "TOGETHER_API_KEY=$KEY" >"$c/k.env"
echo "$fp" >"$c/.keygateignore"
git -C "$c" add -A && git -C "$c" commit -q -m trusted
push_ok "$c" origin ignore-trusted
git -C "$TMP/srv.git" config --unset keygate.trustPushed
git -C "$c" checkout -q main

# Every object a push adds: a tag of a blob, a tag of a tree, a note ref at a blob, and an annotated tag
# whose message holds the key, pushed together with its (clean) commit.
KEY2=$(fake_key 2302)  # not pushed before: its blob must not reach the server
blob=$(printf 'TOGETHER_API_KEY=%s\n' "$KEY2" | git -C "$c" hash-object -w --stdin)
git -C "$c" tag blob-tag "$blob"
push_rejected "$c" origin refs/tags/blob-tag
server_lacks "$TMP/srv.git" "$blob"
git -C "$c" tag -a -m "a tagged file" annotated-blob-tag "$blob"
push_rejected "$c" origin refs/tags/annotated-blob-tag
tree=$(printf '100644 blob %s\tsecret.env\n' "$blob" | git -C "$c" mktree)
git -C "$c" tag tree-tag "$tree"
push_rejected "$c" origin refs/tags/tree-tag
grep -q "secret.env" "$TMP/out" || { cat "$TMP/out"; fail "tree path not named"; }
git -C "$c" update-ref refs/notes/blob "$blob"
push_rejected "$c" origin refs/notes/blob
echo clean >"$c/clean.txt" && git -C "$c" add clean.txt && git -C "$c" commit -q -m clean
git -C "$c" tag -a -m "release notes: TOGETHER_API_KEY=$KEY2" v1
push_rejected "$c" origin main refs/tags/v1
grep -q "tag" "$TMP/out" || { cat "$TMP/out"; fail "tag message finding not named"; }
push_ok "$c" origin main

# A blob over the size limit: rejected, naming it, unless the server allows large blobs.
new_server "$TMP/small.git" --max-file-size 1K
git -C "$c" remote add small "file://$TMP/small.git"
git -C "$c" push -q small main 2>/dev/null || true
git -C "$c" checkout -q -b large main
head -c 4096 /dev/zero | tr '\0' 'a' >"$c/large.txt"
git -C "$c" add large.txt && git -C "$c" commit -q -m large
push_rejected "$c" small large
grep -q "large.txt.*not scanned" "$TMP/out" || { cat "$TMP/out"; fail "oversized blob not named"; }
git -C "$TMP/small.git" config keygate.allowLargeBlobs true
push_ok "$c" small large
git -C "$c" checkout -q main

# The budget holds inside one scan: a pushed config of heavy regexes over one large file is stopped at
# the budget and rejected, not accepted after it.
new_server "$TMP/slow.git" --timeout 0.5
git -C "$c" remote add slow "file://$TMP/slow.git"
git -C "$c" push -q slow main 2>/dev/null || true
git -C "$c" checkout -q -b heavy main
python3 - "$c" <<'PY'
import sys
root = sys.argv[1]
rules = "".join('[[rules]]\nid = "heavy-%d"\nregex = \'\'\'(?i)[a-z0-9]{1,40}x%d[a-z0-9]{1,40}y\'\'\'\n' % (i, i) for i in range(200))
open(root + "/.keygate.toml", "w").write(rules)
open(root + "/big.txt", "w").write(("abcdefghij" * 100 + "\n") * 20000)
PY
git -C "$c" add -A && git -C "$c" commit -q -m heavy
start=$(date +%s%N)
push_rejected "$c" slow heavy
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
grep -q "time budget" "$TMP/out" || { cat "$TMP/out"; fail "budget not said"; }
grep -q "exceeded while scanning" "$TMP/out" || { cat "$TMP/out"; fail "the budget was not enforced inside the scan"; }
[ "$elapsed" -lt 10000 ] || fail "the budget of 0.5 s was overrun: ${elapsed} ms"
echo "keygate-e2e: push_receive_pusher_cannot_weaken ok"
