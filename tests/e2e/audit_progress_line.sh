# keygate audit draws a progress line on a terminal (issue #27): repositories done of the total, the one
# being read, and an ETA; nothing of it when stderr is not a terminal.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/audit/repos.sh"
make_repos "$TMP/repos" 3
"$KEYGATE" audit --out "$TMP/a" "$TMP"/repos/repo-* 2>"$TMP/err" >/dev/null || true
[ -s "$TMP/err" ] && { cat "$TMP/err"; fail "progress written to a non-terminal"; }
python3 - "$KEYGATE" "$TMP" <<'PY' || fail "no progress line on a terminal"
import os, pty, subprocess, sys
keygate, tmp = sys.argv[1], sys.argv[2]
master, slave = pty.openpty()
repos = [os.path.join(tmp, "repos", r) for r in sorted(os.listdir(os.path.join(tmp, "repos")))]
p = subprocess.run([keygate, "audit", "--jobs", "1", "--out", os.path.join(tmp, "b")] + repos,
                   stdout=subprocess.DEVNULL, stderr=slave)
os.close(slave)
out = b""
while True:
    try:
        chunk = os.read(master, 4096)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
assert p.returncode == 1, p.returncode
assert b"0/3 repositories, " in out and b"/repos/repo-" in out and b"ETA" in out, out
assert b"3/3 repositories, done" in out, out
PY
echo ok
