# #9 D10: special files. A FIFO, socket or device named on the command line is skipped with a warning
# that says why (never a wait for a writer); in a directory they are skipped quietly (--verbose says so);
# /proc and the other kernel pseudo-filesystems are not walked; a /proc/sys file named alone is read.
source "$(dirname "$0")/lib.sh"
cd "$TMP"
k=$(fake_key 61)

# A FIFO named on the command line returns promptly (no writer ever comes), exit 2 with the reason.
mkfifo pipe
s=0; timeout 10 "$KEYGATE" scan pipe 2> err || s=$?
[ $s -eq 2 ] || fail "FIFO on the command line: exit $s (124 = it blocked)"
grep -q "pipe: skipped: a FIFO" err || fail "FIFO skip not explained: $(cat err)"

# A character device named on the command line: skipped with the reason, not read forever.
s=0; timeout 10 "$KEYGATE" scan /dev/zero 2> err || s=$?
[ $s -eq 2 ] || fail "/dev/zero: exit $s"
grep -q "/dev/zero: skipped: a character device" err || fail "device skip not explained: $(cat err)"

# A directory holding a FIFO and a socket: scanned without blocking, the key beside them found, exit 1.
mkdir dir
mkfifo dir/fifo
python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' dir/sock
printf 'k=%s\n' "$k" > dir/app.env
s=0; timeout 10 "$KEYGATE" scan --verbose dir > out 2> err || s=$?
[ $s -eq 1 ] || fail "directory with a FIFO and a socket: exit $s; $(cat err)"
grep -q "dir/app.env:1:3: together-api-key" out || fail "key beside the FIFO not found"
grep -q "dir/fifo: skipped: a FIFO" err || fail "--verbose does not say the FIFO was skipped"
grep -q "dir/sock: skipped: a socket" err || fail "--verbose does not say the socket was skipped"
grep -q warning err && fail "special files in a walk gave a warning: $(cat err)"

# The socket named on the command line: a warning, not "No such device or address".
s=0; timeout 10 "$KEYGATE" scan dir/sock 2> err || s=$?
[ $s -eq 2 ] && grep -q "dir/sock: skipped: a socket" err || fail "socket on the command line: exit $s, $(cat err)"

# stdin `-` is read even when it is a pipe.
printf 'k=%s\n' "$k" | timeout 10 "$KEYGATE" scan - > /dev/null && fail "key on stdin not found"

if [ -r /proc/sys/kernel/ostype ]; then
  # A /proc/sys file (size 0, content on read) named alone: read, no false "Cannot allocate memory".
  s=0; timeout 10 "$KEYGATE" scan /proc/sys/kernel/ostype /proc/self/status 2> err || s=$?
  [ $s -eq 0 ] || fail "/proc/sys file: exit $s: $(cat err)"
  # /proc/self named: not walked (its mem, clear_refs... are not files), one warning says why; no hang.
  s=0; timeout 10 "$KEYGATE" scan /proc/self 2> err || s=$?
  [ $s -eq 2 ] || fail "/proc/self: exit $s"
  [ "$(wc -l < err)" -eq 1 ] && grep -q "/proc/self: not walked: it is on procfs" err || fail "/proc/self: $(cat err)"
  # /proc/kmsg is never read (it would wait for kernel messages and take them from the log).
  s=0; timeout 10 "$KEYGATE" scan /proc/kmsg 2> err || s=$?
  [ $s -eq 2 ] || fail "/proc/kmsg: exit $s (124 = it blocked)"
fi

# A walk that meets a procfs mount (as `keygate scan /` meets /proc): not descended, --verbose says so,
# no warning, exit 0. Needs a mount namespace (skipped where unshare cannot make one).
mkdir -p walk/proc && echo fine > walk/a.txt
if unshare -rmpf --mount-proc true 2> /dev/null; then
  s=0
  timeout 20 unshare -rmpf --mount-proc sh -c 'mount -t proc proc walk/proc && exec "$0" scan --verbose walk' \
    "$KEYGATE" > out 2> err || s=$?
  [ $s -eq 0 ] || fail "walk meeting /proc: exit $s (124 = it hung): $(head -5 err)"
  grep -q "walk/proc: not walked: procfs" err || fail "walk meeting /proc: not explained: $(head -5 err)"
else
  echo "unshare cannot make a mount namespace: the walk-meets-/proc case is skipped"
fi
exit 0
