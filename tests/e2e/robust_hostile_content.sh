# Hostile content: a key across a chunk boundary of a 40 MB single line, UTF-16 files (with and without a
# BOM), CR-only line endings, NUL bytes, a deep directory tree, symlink loops, many tiny files.
source "$(dirname "$0")/lib.sh"
cd "$TMP"
k=$(fake_key 60)
# One 40 MB line with keys right around the 16 MB chunk boundary and at the very end.
python3 - "$k" <<'PY'
import sys
k = sys.argv[1].encode()
chunk = 16 << 20
with open("long.min.js", "wb") as f:
    body = bytearray(b"a" * (40 << 20))
    for at in (chunk - 20, chunk * 2 - 256 * 1024 - 30, len(body) - len(k) - 3):
        body[at - 1:at] = b","
        body[at:at + len(k)] = k
        body[at + len(k):at + len(k) + 1] = b","
    f.write(body)
PY
"$KEYGATE" scan --format json long.min.js > out.json && fail "no finding in the long line"
python3 -c 'import json; d=json.load(open("out.json")); assert len(d)==3 and all(f["line"]==1 for f in d), [(f["line"],f["column"]) for f in d]'
# UTF-16 little-endian with a BOM, and big-endian without one.
printf 'TOGETHER_API_KEY=%s\r\n' "$k" | iconv -f UTF-8 -t UTF-16 > utf16.reg
printf 'x\nKEY=%s\n' "$k" | iconv -f UTF-8 -t UTF-16BE > utf16be.txt
"$KEYGATE" scan --format json utf16.reg utf16be.txt > out.json && fail "UTF-16 keys not found"
python3 -c 'import json; d=json.load(open("out.json")); assert sorted((f["file"],f["line"]) for f in d)==[("utf16.reg",1),("utf16be.txt",2)], d'
# CR-only line endings, and a NUL byte after the first 8000 bytes of a text file.
printf 'a\rb\rkey=%s\rc' "$k" > cr.txt
{ head -c 9000 /dev/zero | tr '\0' 'x'; printf '\0\nk=%s\n' "$k"; } > late-nul.txt
"$KEYGATE" scan cr.txt > /dev/null && fail "CR-only file"
"$KEYGATE" scan late-nul.txt > /dev/null && fail "NUL after 8000 bytes"
# A binary file (NUL at the start) is skipped, and says so with --verbose.
{ printf '\0\1\2'; printf 'k=%s' "$k"; } > blob.bin
"$KEYGATE" scan --verbose blob.bin 2> err > /dev/null || fail "binary file was reported"
grep -q "blob.bin: skipped: binary file" err || fail "binary skip not explained"
# A deep tree, a symlink loop and 3,000 tiny files: no crash, no hang, the key at the bottom found.
mkdir tree && cd tree
d=.; for i in $(seq 300); do d="$d/d"; done; mkdir -p "$d"; printf 'k=%s\n' "$k" > "$d/deep.env"
ln -s .. loop; ln -s loop loop2
mkdir tiny && for i in $(seq 3000); do echo "$i" > "tiny/$i"; done
cd ..
s=0; timeout 60 "$KEYGATE" scan tree > out.txt || s=$?
[ $s -eq 1 ] || fail "deep tree scan exit $s"
grep -q "deep.env:1:3: together-api-key" out.txt || fail "deep key not found"
exit 0
