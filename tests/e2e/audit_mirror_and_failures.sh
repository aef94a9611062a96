# keygate audit (issue #27) of URLs: each is mirrored into the cache (git clone --mirror, served here by
# `git daemon` on 127.0.0.1), fetched on the next run, and read again only when its refs changed. A
# repository that fails (no such repository, over --max-repo-size, over --repo-timeout) is recorded with its
# error, the others are audited, and the exit status is 2.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/audit/repos.sh"
local_network
make_repos "$TMP/work" 3
mkdir -p "$TMP/srv"
for r in "$TMP"/work/repo-*; do git clone -q --bare "$r" "$TMP/srv/$(basename "$r").git"; done
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
git daemon --reuseaddr --export-all --base-path="$TMP/srv" --listen=127.0.0.1 --port="$port" "$TMP/srv" \
  2>"$TMP/daemon.log" &
servers+=($!)
url="git://127.0.0.1:$port"
for _ in $(seq 1 600); do git ls-remote "$url/repo-1.git" >/dev/null 2>&1 && break; sleep 0.1; done  # up to 60 s
git ls-remote "$url/repo-1.git" >/dev/null 2>&1 || fail "git daemon did not start within 60 s"
export KEYGATE_AUDIT_KEY=0123456789abcdef0123456789abcdef

printf '%s\n' "$url/repo-1.git" "$url/repo-2.git" "$url/repo-3.git" "$url/missing.git" >"$TMP/list"
rc=0; "$KEYGATE" audit --out "$TMP/out" --cache "$TMP/cache" --list "$TMP/list" >"$TMP/stdout" 2>"$TMP/stderr" || rc=$?
[ "$rc" -eq 2 ] || { cat "$TMP/stdout" "$TMP/stderr"; fail "exit $rc with a failed repository, expected 2"; }
grep -q "(4 scanned, 0 up to date, 1 failed" "$TMP/stdout" || { cat "$TMP/stdout"; fail "summary"; }
grep -q "missing.git: failed: git clone failed" "$TMP/stderr" || { cat "$TMP/stderr"; fail "the failure is not named"; }
[ "$(ls -d "$TMP"/cache/*.git | wc -l)" -eq 3 ] || fail "expected three mirrors in the cache"
git --git-dir="$(ls -d "$TMP"/cache/*repo-1.git*)" config remote.origin.mirror | grep -qx true || fail "not a mirror"
rc=0; "$KEYGATE" report merge "$TMP/out" >"$TMP/report" || rc=$?
[ "$rc" -eq 2 ] || fail "merge of an audit with a failed repository exit $rc, expected 2"
grep -q "missing.git: failed" "$TMP/report" || fail "the merged report does not name the failed repository"
grep -q "3 places in 3 repositories" "$TMP/report" || { cat "$TMP/report"; fail "the shared key is not one incident"; }
# The machine-read formats of that merge say it too: never a clean run in a SARIF viewer or GitLab.
"$KEYGATE" report merge --format sarif "$TMP/out" >"$TMP/sarif" || true
"$KEYGATE" report merge --format gitlab "$TMP/out" >"$TMP/gitlab" || true
python3 - "$TMP/sarif" "$TMP/gitlab" <<'PY' || fail "the merged SARIF or GitLab report reads as complete"
import json, sys
(inv,) = json.load(open(sys.argv[1]))["runs"][0]["invocations"]
assert inv["executionSuccessful"] is False and "missing.git" in inv["toolExecutionNotifications"][0]["message"]["text"], inv
scan = json.load(open(sys.argv[2]))["scan"]
assert scan["status"] == "failure" and "missing.git" in scan["messages"][0]["value"], scan
PY

# A push to the server: the next run fetches, reads that repository again, and skips the others.
git -C "$TMP/work/repo-2" commit -q --allow-empty -m "later"
git -C "$TMP/work/repo-2" push -q "$TMP/srv/repo-2.git" main
"$KEYGATE" audit --out "$TMP/out" --cache "$TMP/cache" "$url/repo-1.git" "$url/repo-2.git" "$url/repo-3.git" \
  >"$TMP/stdout" 2>&1 || true
grep -q "(1 scanned, 2 up to date, 0 failed" "$TMP/stdout" || { cat "$TMP/stdout"; fail "fetch and resume"; }

# Limits: a repository over --max-repo-size fails; one over --repo-timeout is incomplete; the audit goes on.
git init -q "$TMP/long"
for i in $(seq 1 1500); do printf 'commit refs/heads/main\ncommitter A <a@x.invalid> %d +0000\ndata 2\nc\n\n' $((1700000000 + i)); done |
  git -C "$TMP/long" fast-import --quiet
rc=0; "$KEYGATE" audit --out "$TMP/limits" --max-repo-size 100 "$TMP/work/repo-1" >"$TMP/stdout" 2>&1 || rc=$?
[ "$rc" -eq 2 ] && grep -q "over --max-repo-size" "$TMP/stdout" || { cat "$TMP/stdout"; fail "--max-repo-size"; }
rc=0; "$KEYGATE" audit --out "$TMP/limits" --repo-timeout 0.001 "$TMP/long" "$TMP/work/repo-3" >"$TMP/stdout" 2>&1 || rc=$?
[ "$rc" -eq 2 ] && grep -q "long: incomplete: over --repo-timeout" "$TMP/stdout" || { cat "$TMP/stdout"; fail "--repo-timeout"; }
# (repo-3 has the same tiny budget, so its status depends on the machine; that it has a result is the point.)
ls "$TMP"/limits/*repo-3*.json >/dev/null 2>&1 || fail "the audit did not go on after the repository over its time"
echo ok
