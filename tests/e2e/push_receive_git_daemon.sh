#!/usr/bin/env bash
# keygate pre-receive behind `git daemon` on 127.0.0.1 (git:// transport, receive-pack enabled): the hook
# runs in the daemon's environment, with the pushed objects in quarantine.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/push/server.sh"
KEY=$(fake_key 35)
mkdir -p "$TMP/base"
new_server "$TMP/base/srv.git"
started=""
for _ in 1 2 3 4 5; do
  port=$((20000 + RANDOM % 20000))
  git daemon --listen=127.0.0.1 --port="$port" --base-path="$TMP/base" --export-all --enable=receive-pack \
    --reuseaddr --pid-file="$TMP/daemon.pid" --detach "$TMP/base" || continue
  for _ in $(seq 50); do
    git ls-remote "git://127.0.0.1:$port/srv.git" >/dev/null 2>&1 && { started=1; break; }
    sleep 0.1
  done
  [ -n "$started" ] && break
  kill "$(cat "$TMP/daemon.pid")" 2>/dev/null || true
done
[ -n "$started" ] || fail "git daemon did not start"
trap 'kill "$(cat "$TMP/daemon.pid")" 2>/dev/null; rm -rf "$TMP"' EXIT

new_client "$TMP/c" "git://127.0.0.1:$port/srv.git"
c="$TMP/c"
echo "TOGETHER_API_KEY=$KEY" >"$c/k.env" && git -C "$c" add k.env && git -C "$c" commit -q -m leak
push_rejected "$c" origin main
grep -q "k.env:1" "$TMP/out" || { cat "$TMP/out"; fail "finding not shown"; }
assert_no_key "$TMP/out" "$KEY"
server_lacks "$TMP/base/srv.git" "$(git -C "$c" rev-parse HEAD)"
git -C "$c" reset -q --hard HEAD~1
echo "clean" >"$c/c.txt" && git -C "$c" add c.txt && git -C "$c" commit -q -m clean
push_ok "$c" origin main
server_has "$TMP/base/srv.git" "$(git -C "$c" rev-parse HEAD)"
echo "keygate-e2e: push_receive_git_daemon ok"
