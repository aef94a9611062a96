# An unreadable file is a warning naming it; the rest is still scanned; the exit status says the scan is
# incomplete (2). Ctrl-C stops a long scan at once with the usual status.
source "$(dirname "$0")/lib.sh"
chmod 755 "$TMP"
mkdir "$TMP/d"
printf 'k=%s\n' "$(fake_key 90)" > "$TMP/d/readable.env"
echo secret > "$TMP/d/locked.txt"
chmod 000 "$TMP/d/locked.txt"
as_other=()
if [ "$(id -u)" -eq 0 ]; then
  command -v runuser >/dev/null || { echo "runuser missing: skipped"; exit 0; }
  chmod -R a+rX "$TMP/d"; chmod 000 "$TMP/d/locked.txt"
  as_other=(runuser -u nobody --)
fi
set +e
"${as_other[@]}" "$KEYGATE" scan "$TMP/d" > "$TMP/out" 2> "$TMP/err"; s=$?
set -e
[ $s -eq 2 ] || { cat "$TMP/err"; fail "unreadable file: exit $s"; }
grep -q "locked.txt: cannot open: Permission denied" "$TMP/err" || { cat "$TMP/err"; fail "unreadable file not named"; }
grep -q "readable.env:1:3" "$TMP/out" || fail "the readable file was not scanned"
# Ctrl-C during a long scan of standard input (through python: a shell's background jobs ignore SIGINT).
python3 - "$KEYGATE" <<'PY' || fail "Ctrl-C"
import os, signal, subprocess, sys, time
feeder = subprocess.Popen(["sh", "-c", "head -c 4000000000 /dev/zero | tr '\\0' a"], stdout=subprocess.PIPE)
kg = subprocess.Popen([sys.argv[1], "scan", "-"], stdin=feeder.stdout, stdout=subprocess.DEVNULL,
                      stderr=subprocess.DEVNULL, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
time.sleep(1)
assert kg.poll() is None, "finished before the signal"
start = time.time()
kg.send_signal(signal.SIGINT)
status = kg.wait(timeout=5)
feeder.kill()
assert status == -signal.SIGINT, status
assert time.time() - start < 1, "slow to stop"
PY
