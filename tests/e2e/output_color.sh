# Colour: on a terminal (a real pty) the text report colours rule, place and redacted secret; not through a
# pipe, not with NO_COLOR=1 or TERM=dumb or --color=never, never in JSON; --color=always forces it.
source "$(dirname "$0")/lib.sh"
cd "$TMP"
k=$(fake_key 31)
printf 'token = "%s"\n' "$k" > app.env
on_pty() {  # on_pty OUT ENV... -- ARGS: run keygate on a pty, its output in OUT
  local out=$1; shift
  python3 - "$out" "$@" <<'PY'
import os, pty, sys
out, rest = sys.argv[1], sys.argv[2:]
sep = rest.index("--")
env = dict(os.environ)
for kv in rest[:sep]:
    k, v = kv.split("=", 1)
    if v: env[k] = v
    else: env.pop(k, None)
pid, fd = pty.fork()
if pid == 0:
    os.execve(os.environ["KEYGATE"], [os.environ["KEYGATE"]] + rest[sep + 1:], env)
data = b""
while True:
    try:
        chunk = os.read(fd, 65536)
    except OSError:
        break
    if not chunk: break
    data += chunk
os.waitpid(pid, 0)
open(out, "wb").write(data)
PY
}
esc=$'\x1b['
on_pty tty.out TERM=xterm NO_COLOR= -- scan app.env
grep -qF "${esc}" tty.out || fail "no colour on a terminal"
grep -qF "${esc}1;35mapp.env:1:" tty.out || fail "place not coloured"
assert_no_key tty.out "$k"
on_pty nocolor.out TERM=xterm NO_COLOR=1 -- scan app.env
grep -qF "${esc}" nocolor.out && fail "colour despite NO_COLOR=1"
on_pty dumb.out TERM=dumb NO_COLOR= -- scan app.env
grep -qF "${esc}" dumb.out && fail "colour with TERM=dumb"
on_pty never.out TERM=xterm NO_COLOR= -- scan --color=never app.env
grep -qF "${esc}" never.out && fail "colour with --color=never"
on_pty json.out TERM=xterm NO_COLOR= -- scan --format json app.env
grep -qF "${esc}" json.out && fail "colour in JSON"
"$KEYGATE" scan app.env > piped.out || true
grep -qF "${esc}" piped.out && fail "colour through a pipe"
NO_COLOR=1 "$KEYGATE" scan --color=always app.env > always.out || true
grep -qF "${esc}" always.out || fail "--color=always gave no colour"
set +e; "$KEYGATE" scan --color=sometimes app.env 2>/dev/null; [ $? -eq 2 ] || fail "bad --color value accepted"
echo ok
