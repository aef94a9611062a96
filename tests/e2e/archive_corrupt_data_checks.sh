#!/usr/bin/env bash
# Issue #25: a container whose data fails its own check is an incomplete scan (exit 2), said in one line
# with the place, never scanned as if whole. libarchive's gzip filter checks no CRC-32, so keygate inflates
# gzip itself: a .gz and a .tar.gz with one flipped bit in the CRC, in the deflate data or cut short are
# caught, in a file, from stdin and in the pre-commit hook. bzip2, xz, zstd, lz4, 7z and zip carry their
# own checks (libarchive and its libraries verify them): one case each.
source "$(dirname "$0")/lib.sh"
d="$TMP/d" && mkdir -p "$d"
KEY=$(fake_key 2551)
python3 - "$d" "$KEY" <<'PY'
import bz2, gzip, io, lzma, os, random, sys, tarfile, zipfile
d, key = sys.argv[1:]
random.seed(2551)
text = "".join(f"line {i} {random.getrandbits(64):x}\n" for i in range(3000)) + f"TOGETHER_API_KEY={key}\n"
data = text.encode()
def flip(b, at):
    b = bytearray(b); b[at] ^= 0x10; return bytes(b)
def put(name, b): open(f"{d}/{name}", "wb").write(b)
g = gzip.compress(data)
put("crc.env.gz", flip(g, len(g) - 8))          # the trailer's CRC-32
put("length.env.gz", flip(g, len(g) - 2))       # the trailer's length
put("cut.env.gz", g[: len(g) - 5])              # the trailer cut short
put("ok.env.gz", g + gzip.compress(b"second member\n") + bytes(512))  # two members and tar-like padding
tar = io.BytesIO()
with tarfile.open(fileobj=tar, mode="w") as t:
    info = tarfile.TarInfo("etc/app.env"); info.size = len(data); t.addfile(info, io.BytesIO(data))
tg = gzip.compress(tar.getvalue())
put("crc.tar.gz", flip(tg, len(tg) - 6))        # found only past the tar's end-of-archive blocks
b = bz2.compress(data); put("crc.env.bz2", flip(b, len(b) // 2))
x = lzma.compress(data); put("crc.env.xz", flip(x, len(x) // 2))
with zipfile.ZipFile(f"{d}/ok.zip", "w", zipfile.ZIP_STORED) as z: z.writestr("app.env", data)
z = open(f"{d}/ok.zip", "rb").read(); os.remove(f"{d}/ok.zip")
at = z.index(b"line 100 ")
put("crc.zip", flip(z, at))                      # stored data changed: only the CRC-32 tells
PY
(cd "$d" && gzip -dc ok.env.gz >plain.env 2>/dev/null || true)
zstd -q -c "$d/plain.env" >"$d/ok.env.zst"
lz4 -q -c "$d/plain.env" >"$d/ok.env.lz4"
(cd "$d" && 7z a -bd -y -m0=copy "$d/ok.7z" plain.env >/dev/null)
python3 - "$d" <<'PY'
import os, sys
d = sys.argv[1]
for src, dst, back in [("ok.env.zst", "crc.env.zst", 1), ("ok.env.lz4", "crc.env.lz4", 2), ("ok.7z", "crc.7z", 0)]:
    b = bytearray(open(f"{d}/{src}", "rb").read())
    at = len(b) - back if back else b.index(b"line 100 ")
    b[at] ^= 0x10
    open(f"{d}/{dst}", "wb").write(bytes(b))
    os.remove(f"{d}/{src}")
PY
rm -f "$d/plain.env"

scan() {  # scan FILE: exit code in $rc, stderr in $TMP/err
  set +e
  "$KEYGATE" scan "$@" >"$TMP/out" 2>"$TMP/err"
  rc=$?
  set -e
}
scan "$d/ok.env.gz"
[ "$rc" = 1 ] && [ ! -s "$TMP/err" ] || { cat "$TMP/out" "$TMP/err"; fail "a whole two-member gzip: exit $rc"; }
for f in crc.env.gz length.env.gz cut.env.gz crc.tar.gz crc.env.bz2 crc.env.xz crc.env.zst crc.env.lz4 crc.7z crc.zip; do
  scan "$d/$f"
  [ "$rc" = 2 ] || { cat "$TMP/out" "$TMP/err"; fail "$f: exit $rc, not 2 (incomplete)"; }
  grep -qi "^keygate: warning: $d/$f[!:].*\(corrupt\|truncated\|CRC\|checksum\)" "$TMP/err" ||
    { cat "$TMP/err"; fail "$f: no one-line note with its place"; }
  [ "$(grep -c . "$TMP/err")" -le 2 ] || { cat "$TMP/err"; fail "$f: said more than once"; }
done
grep -q "gzip CRC-32 mismatch" <("$KEYGATE" scan "$d/crc.env.gz" 2>&1) || fail "gzip CRC not named"
grep -q "gzip length mismatch" <("$KEYGATE" scan "$d/length.env.gz" 2>&1) || fail "gzip length not named"
scan - <"$d/crc.tar.gz"
[ "$rc" = 2 ] && grep -qF "(stdin): truncated or corrupt gzip archive" "$TMP/err" || { cat "$TMP/err"; fail "stdin: exit $rc"; }

# The hook refuses a commit whose staged .gz cannot be checked, even though nothing was found in it.
r="$TMP/r"
new_repo "$r"
python3 -c 'import gzip,sys; b=bytearray(gzip.compress(b"nothing here\n"*100)); b[-8]^=1; open(sys.argv[1],"wb").write(b)' "$r/log.gz"
git -C "$r" add log.gz
if git -C "$r" commit -q -m log >"$TMP/out" 2>&1; then cat "$TMP/out"; fail "hook let a corrupt gzip through"; fi
grep -qF "log.gz" "$TMP/out" && grep -q "CRC-32 mismatch" "$TMP/out" || { cat "$TMP/out"; fail "hook: not said"; }
