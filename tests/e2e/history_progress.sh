# history draws a progress line on stderr when it is a terminal, and nothing of it when it is not.
source "$(dirname "$0")/lib.sh"
r="$TMP/repo"; git init -q "$r"
for i in 1 2 3; do echo "$i" > "$r/f$i"; git -C "$r" add "f$i"; git -C "$r" commit -q -m "c$i"; done
"$KEYGATE" history --repo "$r" 2> "$TMP/err" > /dev/null || fail "history failed"
[ -s "$TMP/err" ] && { cat "$TMP/err"; fail "progress written to a non-terminal"; }
python3 - "$KEYGATE" "$r" <<'PY' || fail "no progress on a terminal"
import os, pty, subprocess, sys
master, slave = pty.openpty()
p = subprocess.run([sys.argv[1], "history", "--repo", sys.argv[2]], stdout=subprocess.DEVNULL, stderr=slave)
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
assert p.returncode == 0, p.returncode
assert b"3/3 commits" in out, out
PY
