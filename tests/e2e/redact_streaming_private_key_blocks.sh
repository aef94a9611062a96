# #23 items 4 and 11: multi-line private keys are held until whole in every mode (a log whose first line
# is JSON included), and a live stream (`tail -f app.log | keygate redact`) never stalls on a block that
# is not a key: a quoted "-----BEGIN " or a certificate comes out at once, and a key header followed by
# silence is released after 2 s with whatever body came masked.
source "$(dirname "$0")/lib.sh"
cd "$TMP"

body=$(python3 -c 'import random; r = random.Random(4); print("".join(r.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") for _ in range(64)))')
begin="-----BEGIN RSA PRIVATE"; end="-----END RSA PRIVATE"
{
  printf '{"event": "start", "api_key": "x"}\n'
  printf '%s KEY-----\n' "$begin"
  for i in 1 2 3 4 5 6 7 8 9 10; do echo "$body"; done
  printf '%s KEY-----\n' "$end"
  printf '{"event": "stop"}\n'
} >app.log
"$KEYGATE" redact app.log >out.log
grep -qF "$body" out.log && fail "a private key in a log that starts with JSON passed through"
grep -q '"api_key": "\[REDACTED\]"' out.log || fail "JSON fields not blanked"
cat app.log | "$KEYGATE" redact >out2.log
grep -qF "$body" out2.log && fail "a private key in a piped log that starts with JSON passed through"

python3 - "$KEYGATE" "$body" <<'PY'
import os, subprocess, sys, time, select
keygate, body = sys.argv[1], sys.argv[2]
p = subprocess.Popen([keygate, "redact"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0)
def send(b):
    p.stdin.write(b)
got = b""
def line(within):
    # The next output line, read straight from the pipe (no buffer that select cannot see).
    global got
    deadline = time.time() + within
    while b"\n" not in got:
        r, _, _ = select.select([p.stdout], [], [], max(0, deadline - time.time()))
        assert r, "no line within %s s" % within
        got += os.read(p.stdout.fileno(), 65536)
    out, got = got.split(b"\n", 1)
    return out + b"\n"
begin = b"-----BEGIN"
send(b"error: expected " + begin + b" CERTIFICATE----- here\n")
assert line(1).startswith(b"error: expected"), "a quoted BEGIN held the stream"
send(begin + b" CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n")
assert line(1).startswith(begin), "a certificate was held"
assert line(1).startswith(b"MIIB"), "a certificate body was held"
send(begin + b" RSA PRIVATE KEY-----\n" + body.encode() + b"\n")
t = time.time()
assert line(4).startswith(begin), "a key header followed by silence was never released"
masked = line(1)
assert body.encode() not in masked and time.time() - t >= 1.5, (masked, time.time() - t)
send(body.encode() + b"\nlog line [after]\n")
assert body.encode() not in line(1), "a key's body line after the time-out passed unmasked"
assert line(1) == b"log line [after]\n"
p.stdin.close(); assert p.wait(timeout=10) == 0
PY
echo ok
