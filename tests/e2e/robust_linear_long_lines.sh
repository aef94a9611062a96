# Issue #23 item 10: scanning is linear in the input on long lines (the generic detector was quadratic on
# long tokens: a 16 MB line took 19 s and 185 MB). For one line that is one token, one line of many
# credential names (`api_key_length=...`, `password=$VAR`), and base64 junk wrapped at 76 columns, 16 MB costs at most 3 times 8 times the
# CPU time of 2 MB (quadratic would be 64 times), and peak memory stays under 160 MB at 16 MB.
source "$(dirname "$0")/lib.sh"
cd "$TMP"
python3 - <<'PY'
import base64, random
rng = random.Random(2310)
A = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
block = bytes(A[b % 62] for b in rng.randbytes(1 << 20))
for mb in (2, 16):
    n = mb << 20
    open(f"token{mb}.txt", "wb").write(b"secret_token=" + (block * mb)[:n] + b"\n")
    # Credential names each (windows everywhere), no finding: memory then says what the scan holds.
    parts = b" ".join(b"api_key_length=" + block[i:i + 30] + b" password=$PASSWORD_" + block[i + 30:i + 36]
                      for i in range(0, len(block) - 40, 40)) + b" "
    open(f"tokens{mb}.txt", "wb").write((parts * (n // len(parts) + 1))[:n] + b"\n")
    text = b" ".join(block[i:i + 8] for i in range(0, len(block) - 8, 9)) + b"\n"
    open(f"base64{mb}.txt", "wb").write((base64.encodebytes(text) * (mb * 4 // 3 + 1))[:n])
PY
# cpu_and_peak FILE: CPU seconds and peak RSS (MB) of one scan, in a fresh parent of its own.
cpu_and_peak() {
  python3 -c 'import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print("%.3f %d" % (r.ru_utime + r.ru_stime, r.ru_maxrss // 1024))' "$KEYGATE" scan --jobs 1 "$1"
}
for shape in token tokens base64; do
  read -r small _ < <(cpu_and_peak "${shape}2.txt")
  read -r big peak < <(cpu_and_peak "${shape}16.txt")
  echo "$shape: ${small}s at 2 MB, ${big}s and ${peak} MB at 16 MB"
  python3 -c "import sys; s, b = map(float, sys.argv[1:]); sys.exit(0 if b <= 24 * s + 1.0 else 1)" "$small" "$big" ||
    fail "$shape: ${big}s at 16 MB against ${small}s at 2 MB: not linear"
  if ! grep -q __asan_init "$KEYGATE"; then
    [ "$peak" -le 160 ] || fail "$shape: peak ${peak} MB at 16 MB"
  fi
done
