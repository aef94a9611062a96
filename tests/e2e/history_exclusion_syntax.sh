#!/usr/bin/env bash
# keygate history accepts git's exclusion syntax: NEW --not --all, --branches[=P], --remotes[=R], --tags.
source "$(dirname "$0")/lib.sh"
KEY=$(fake_key 36)
r="$TMP/r"
git init -q "$r"
echo "TOGETHER_API_KEY=$KEY" >"$r/old.env" && git -C "$r" add old.env && git -C "$r" commit -q -m old
git -C "$r" tag v1
# A commit on no ref (what a pre-receive hook sees): only it is new.
echo "clean" >"$r/new.txt" && git -C "$r" add new.txt
new=$(git -C "$r" commit-tree -p HEAD -m new "$(git -C "$r" write-tree)")
set +e
"$KEYGATE" history --repo "$r" "$new" --not --all >"$TMP/out" 2>&1; rc=$?
set -e
[ "$rc" = 0 ] || { cat "$TMP/out"; fail "$new --not --all: exit $rc (the old key was reported again?)"; }
set +e
"$KEYGATE" history --repo "$r" --branches >"$TMP/out" 2>&1; rc=$?
set -e
[ "$rc" = 1 ] || { cat "$TMP/out"; fail "--branches: exit $rc"; }
set +e
"$KEYGATE" history --repo "$r" --branches --not --tags >"$TMP/out" 2>&1; rc=$?
set -e
[ "$rc" = 0 ] || { cat "$TMP/out"; fail "--branches --not --tags: exit $rc"; }
set +e
"$KEYGATE" history --repo "$r" --remotes >"$TMP/out" 2>&1; rc=$?
set -e
[ "$rc" = 0 ] || { cat "$TMP/out"; fail "--remotes (none): exit $rc"; }
echo "keygate-e2e: history_exclusion_syntax ok"
