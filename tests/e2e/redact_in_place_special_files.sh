# #23 item 8: `redact --in-place` cannot lose or leave data: a symbolic link is followed (and said), a file
# with a second hard link, a FIFO, a device and a file open for writing are refused (exit 2, unchanged),
# a file appended to during the run keeps every line, and past `ulimit -f` it fails without SIGXFSZ and
# without a temporary file.
source "$(dirname "$0")/lib.sh"
cd "$TMP"
K=$(fake_key 81)
no_temp_files() { [ -z "$(ls -A | grep keygate-)" ] || fail "a temporary file was left: $(ls -A)"; }

# A symbolic link: its target is redacted, the link stays, stderr says so.
printf 'key %s\n' "$K" >target.log
ln -s target.log link.log
"$KEYGATE" redact --in-place link.log 2>err || fail "symlink: exit $?"
[ -L link.log ] || fail "the symbolic link was replaced by a file"
assert_no_key target.log "$K"
grep -q "link.log is a symbolic link: redacting its target" err || fail "following the link not said: $(cat err)"

# A second hard link: refused, both names unchanged.
printf 'key %s\n' "$K" >a.log
ln a.log b.log
s=0; "$KEYGATE" redact --in-place a.log 2>err || s=$?
[ $s -eq 2 ] || fail "hard link: exit $s"
grep -q "a.log: has 2 hard links" err || fail "hard link refusal not explained: $(cat err)"
grep -qF "$K" b.log && grep -qF "$K" a.log || fail "a hard-linked file was changed"

# A FIFO (no writer ever comes) and a device: refused at once.
mkfifo fifo
s=0; timeout 10 "$KEYGATE" redact --in-place fifo 2>err || s=$?
[ $s -eq 2 ] || fail "FIFO: exit $s (124 = it blocked)"
grep -q "fifo: a FIFO: only regular files" err || fail "FIFO refusal not explained: $(cat err)"
s=0; timeout 10 "$KEYGATE" redact --in-place /dev/null 2>err || s=$?
[ $s -eq 2 ] || fail "device: exit $s"

# A file held open for writing by another process (a log being written): refused, unchanged.
printf 'key %s\n' "$K" >live.log
sleep 30 >>live.log &
writer=$!
# The writer opens the file after the fork: wait until it holds it, or the check would race its open.
for _ in $(seq 200); do
  ls -l "/proc/$writer/fd" 2>/dev/null | grep -q "live.log" && break
  sleep 0.05
done
s=0; "$KEYGATE" redact --in-place live.log 2>err || s=$?
kill $writer; wait $writer 2>/dev/null || true
[ $s -eq 2 ] || fail "file open for writing: exit $s"
grep -q "open for writing by another process" err || fail "writer refusal not explained: $(cat err)"
grep -qF "$K" live.log || fail "a file being written was changed"

# A file appended to (open, write, close) all through the run: every line written is kept, in the old
# file (refused) or in the new one (redacted).
python3 - "$K" <<'PY'
with open("busy.log", "w") as f:
    for i in range(300000):
        f.write("line %d key=%s\n" % (i, __import__("sys").argv[1]))
PY
( for i in $(seq 1 400); do echo "appended $i" >>busy.log; done ) &
appender=$!
s=0; "$KEYGATE" redact --in-place busy.log 2>err || s=$?
wait $appender
[ $s -eq 0 ] || [ $s -eq 2 ] || fail "appended file: exit $s"
[ $s -eq 0 ] || grep -q "busy.log" err || fail "appended file: exit 2 without a message"
for i in 1 200 400; do grep -qx "appended $i" busy.log || fail "line 'appended $i' written during the run was lost (exit $s)"; done
no_temp_files

# Past the file size limit: exit 2 with the reason (not SIGXFSZ), the file unchanged, nothing left.
cp busy.log big.log
s=0; (ulimit -f 2000; exec "$KEYGATE" redact --in-place big.log) 2>err || s=$?
[ $s -eq 2 ] || fail "ulimit -f: exit $s (153 = killed by SIGXFSZ)"
grep -q "big.log: cannot write: File too large" err || fail "size limit not explained: $(cat err)"
cmp -s big.log busy.log || fail "the file changed although the rewrite failed"
no_temp_files

# Killed at any moment, with any signal: no temporary file is ever left (it has no name until renamed).
for sig in TERM INT KILL; do
  "$KEYGATE" redact --in-place big.log & pid=$!
  sleep 0.2; kill -s $sig $pid 2>/dev/null || true; wait $pid 2>/dev/null || true
  no_temp_files
done
echo ok
