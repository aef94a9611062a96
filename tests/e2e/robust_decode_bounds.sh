# Decoding stays bounded on hostile input (issue #11; gitleaks #2019 went to 24 GB): a 100 MB file that is
# one base64 run of text, a value base64-encoded 20 times, a million %41 sequences. Peak memory with
# decoding on stays within 16 MB of decoding off (docs/RELIABILITY.md states the bound), and each is
# decoded whole (robust_decode_bound_fails_closed.sh: what a bound that cuts does). Memory is measured,
# not time.
source "$(dirname "$0")/lib.sh"
cd "$TMP"
python3 - <<'PY'
import base64
line = b"the quick brown fox jumps over the lazy dog 0123456789\n"
open("big.txt", "wb").write(base64.b64encode(line * (75000000 // len(line))))
s = b"nested value 0123456789abcdef"
for _ in range(20):
    s = base64.b64encode(s)
open("nested.txt", "wb").write(s + b"\n")
open("percent.txt", "w").write("%41" * 1000000 + "\n" + "%41 " * 1000000 + "\n")
PY
# peak_mb ARGS...: the exit status and peak RSS (MB) of one keygate run, in a fresh parent of its own.
peak_mb() {
  python3 -c 'import resource, subprocess, sys
r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=open("err.txt", "w"))
print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)' "$KEYGATE" "$@"
}
for f in big.txt nested.txt percent.txt; do
  read -r rc_off off < <(peak_mb scan --jobs 1 --max-decode-depth 0 "$f")
  read -r rc_on on < <(peak_mb scan --jobs 1 --verbose --max-decode-depth 8 "$f")
  echo "$f: peak ${off} MB without decoding, ${on} MB with"
  [ "$rc_off" = 0 ] && [ "$rc_on" = 0 ] || fail "$f: exit $rc_off / $rc_on"
  # Under AddressSanitizer every allocation carries redzones and freed memory sits in a quarantine, so
  # peak RSS says little about keygate's own bound there: that build checks behaviour, the Release build
  # checks the bound.
  if ! grep -q __asan_init "$KEYGATE"; then
    [ "$on" -le $((off + 16)) ] || fail "$f: decoding took ${on} MB against ${off} MB"
  fi
  # Decoded region by region (issue #23 item 7), a 100 MB run is decoded whole: no bound is reached.
  if grep -q "decoding stopped at its bound" err.txt; then fail "$f: a bound cut decoding"; fi
done
