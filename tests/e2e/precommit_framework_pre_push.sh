#!/usr/bin/env bash
# The pre-commit framework's pre-push stage with this repository's `keygate-pre-push` hook (installed
# binary): a push whose new commit holds a key is blocked, on an existing branch (PRE_COMMIT_FROM_REF/TO_REF),
# on a new branch, and to an empty remote (no range: the branch minus what the remote has); a clean push
# passes.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/push/server.sh"
command -v pre-commit >/dev/null || fail "pre-commit is not installed (apt-get install pre-commit)"
export PRE_COMMIT_HOME="$TMP/pre-commit-cache"
mkdir -p "$TMP/bin" && ln -s "$KEYGATE" "$TMP/bin/keygate"
export PATH="$TMP/bin:$PATH"
hooks="$TMP/hook-repo"
mkdir -p "$hooks" && cp "$KEYGATE_SOURCE/.pre-commit-hooks.yaml" "$hooks/"
git -C "$hooks" init -q && git -C "$hooks" add -A && git -C "$hooks" commit -q -m hooks
git init -q --bare "$TMP/srv.git"
c="$TMP/c"
new_client "$c" "file://$TMP/srv.git"
cat >"$c/.pre-commit-config.yaml" <<YAML
repos:
  - repo: $hooks
    rev: $(git -C "$hooks" rev-parse HEAD)
    hooks:
      - id: keygate-pre-push
YAML
git -C "$c" add .pre-commit-config.yaml && git -C "$c" commit -q -m config
(cd "$c" && pre-commit install --hook-type pre-push >/dev/null)
push_ok "$c" origin main
KEY=$(fake_key 114)
echo "TOGETHER_API_KEY=$KEY" >"$c/k.env" && git -C "$c" add k.env && git -C "$c" commit -q -m oops
push_rejected "$c" origin main
grep -q "k.env:1" "$TMP/out" || { cat "$TMP/out"; fail "existing branch: finding not shown"; }
assert_no_key "$TMP/out" "$KEY"
git -C "$c" checkout -q -b feature
push_rejected "$c" origin feature
grep -q "k.env:1" "$TMP/out" || { cat "$TMP/out"; fail "new branch: finding not shown"; }
# A remote that has nothing: the framework gives no range (the branch is new down to its root).
git init -q --bare "$TMP/empty.git" && git -C "$c" remote add empty "file://$TMP/empty.git"
push_rejected "$c" empty feature
grep -q "k.env:1" "$TMP/out" || { cat "$TMP/out"; fail "empty remote: finding not shown"; }
git -C "$c" checkout -q main && git -C "$c" reset -q --hard HEAD~1 && git -C "$c" branch -q -D feature
echo b >>"$c/README" && git -C "$c" commit -q -am clean
push_ok "$c" origin main
echo "keygate-e2e: precommit_framework_pre_push ok"
