#!/usr/bin/env bash
# Issue #25: hostile containers are bounded and said, one line each with the outer!inner place: a
# decompression bomb (ratio), nested zips past the depth limit (quine-like), an encrypted entry, a
# truncated zip, a corrupt gzip, an overlong entry path make the scan incomplete (exit 2); a zip-slip path
# and a symbolic link entry are noted (--verbose) and the slip entry is still scanned. Time and peak RSS
# of the bomb and the nesting are printed for docs/RELIABILITY.md.
source "$(dirname "$0")/lib.sh"
d="$TMP/d" && mkdir -p "$d"
KEY=$(fake_key 2541)
python3 - "$d" "$KEY" <<'PY'
import io, os, sys, zipfile, zlib
d, key = sys.argv[1:]
# 256 MiB of one letter in one deflated entry (about 256 KB): the ratio limit must stop it early.
comp = zlib.compressobj(9, zlib.DEFLATED, -15)
block = b"a" * (1 << 20)
with open(f"{d}/bomb.zip", "wb") as f:
    raw = b"".join(comp.compress(block) for _ in range(256)) + comp.flush()
    crc = 0
    for _ in range(256): crc = zlib.crc32(block, crc)
    name = b"letters.txt"
    size = 256 << 20
    local = b"PK\x03\x04" + (20).to_bytes(2, "little") + bytes(2) + (8).to_bytes(2, "little") + bytes(4) + \
        crc.to_bytes(4, "little") + len(raw).to_bytes(4, "little") + size.to_bytes(4, "little") + \
        len(name).to_bytes(2, "little") + bytes(2) + name
    central = b"PK\x01\x02" + (20).to_bytes(2, "little") * 2 + bytes(2) + (8).to_bytes(2, "little") + bytes(4) + \
        crc.to_bytes(4, "little") + len(raw).to_bytes(4, "little") + size.to_bytes(4, "little") + \
        len(name).to_bytes(2, "little") + bytes(16) + name
    f.write(local + raw)
    at = len(local) + len(raw)
    f.write(central + b"PK\x05\x06" + bytes(4) + (1).to_bytes(2, "little") * 2 + len(central).to_bytes(4, "little") +
            at.to_bytes(4, "little") + bytes(2))
# Quine-like: a zip holding a zip holding ... 30 levels, the key at the bottom.
z = io.BytesIO()
with zipfile.ZipFile(z, "w") as w: w.writestr("key.txt", key + "\n")
for i in range(30):
    data = z.getvalue(); z = io.BytesIO()
    with zipfile.ZipFile(z, "w") as w: w.writestr(f"again{i}.zip", data)
open(f"{d}/nested.zip", "wb").write(z.getvalue())
# Zip-slip, a symbolic link entry, an overlong path.
with zipfile.ZipFile(f"{d}/slip.zip", "w") as w:
    w.writestr("../../../../tmp/evil.sh", f"export TOGETHER_API_KEY={key}\n")
    link = zipfile.ZipInfo("link-to-passwd"); link.create_system = 3; link.external_attr = (0o120777 << 16)
    w.writestr(link, "/etc/passwd")
    w.writestr("a/" * 3000 + "deep.txt", "x\n")
# Truncated: a zip cut in half, a gzip cut at two thirds.
with zipfile.ZipFile(f"{d}/whole.zip", "w", zipfile.ZIP_DEFLATED) as w:
    w.writestr("a.txt", os.urandom(20000).hex())
data = open(f"{d}/whole.zip", "rb").read()
open(f"{d}/truncated.zip", "wb").write(data[: len(data) // 2])
os.remove(f"{d}/whole.zip")
import gzip
g = gzip.compress(os.urandom(50000).hex().encode())
open(f"{d}/corrupt.log.gz", "wb").write(g[: len(g) * 2 // 3])
PY
echo "not secret" >"$TMP/plain.txt"
(cd "$TMP" && zip -q -P pass "$d/encrypted.zip" plain.txt)
(cd "$TMP" && 7z a -bd -y -ppass "$d/encrypted.7z" plain.txt >/dev/null && 7z a -bd -y -ppass -mhe=on "$d/headers.7z" plain.txt >/dev/null)

run() {  # run NAME FILE: keygate scan --verbose FILE under /usr/bin/time, exit code in $rc
  set +e
  /usr/bin/time -f "%e s %M KB" -o "$TMP/$1.time" "$KEYGATE" scan --verbose "$2" >"$TMP/$1.out" 2>"$TMP/$1.err"
  rc=$?
  set -e
  echo "$1: $(tail -1 "$TMP/$1.time") (exit $rc)"
}
expect() {  # expect NAME RC TEXT
  [ "$rc" = "$2" ] || { cat "$TMP/$1.out" "$TMP/$1.err"; fail "$1: exit $rc, not $2"; }
  grep -qF -- "$3" "$TMP/$1.err" || { cat "$TMP/$1.err"; fail "$1: not said: $3"; }
}
run bomb "$d/bomb.zip"
expect bomb 2 "bomb.zip!letters.txt: stopped: it expands to over 100 times its size"
kb=$(tail -1 "$TMP/bomb.time" | awk '{print $3}')
[ "$kb" -lt 400000 ] || fail "bomb: peak RSS $kb KB"
run nested "$d/nested.zip"
expect nested 2 "nested.zip!again29.zip!again28.zip!again27.zip!again26.zip: zip archive not opened: it is 5 levels deep (archive depth limit 4)"
run slip "$d/slip.zip"
expect slip 2 "entry path leaves the extraction directory (zip-slip); scanned"
grep -qF "slip.zip!../../../../tmp/evil.sh:1:" "$TMP/slip.out" || { cat "$TMP/slip.out"; fail "slip entry not scanned"; }
grep -qF "slip.zip!link-to-passwd: symbolic link to /etc/passwd: not followed" "$TMP/slip.err" || { cat "$TMP/slip.err"; fail "symlink not said"; }
grep -q "its path is 6008 bytes long (limit 4096)" "$TMP/slip.err" || { cat "$TMP/slip.err"; fail "long path not said"; }
run encrypted "$d/encrypted.zip"
expect encrypted 2 "encrypted.zip!plain.txt: not scanned: the entry is encrypted"
run encrypted7z "$d/encrypted.7z"
expect encrypted7z 2 "encrypted.7z!plain.txt: not scanned: the entry is encrypted"
run headers7z "$d/headers.7z"
expect headers7z 2 "headers.7z: not scanned: it is encrypted: The archive header is encrypted"
run truncated "$d/truncated.zip"
expect truncated 2 "truncated.zip"
run corrupt "$d/corrupt.log.gz"
expect corrupt 2 "corrupt.log.gz!corrupt.log: truncated or corrupt entry"
