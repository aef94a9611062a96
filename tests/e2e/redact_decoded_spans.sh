# #23 item 3: a key found decoded (base64, hex, \uXXXX, %XX, &#NN;, \xNN, a base64 .env file) is redacted
# with its whole encoded span, so that `keygate scan` of the output finds nothing it found in the input;
# the bytes around the span are kept. Also #23 item 6 (UTF-16) and item 12 (a UTF-8 BOM on a JSON record).
source "$(dirname "$0")/lib.sh"
cd "$TMP"
K=$(fake_key 23)
# secrets FILE: the secrets `keygate scan` finds in FILE, one a line, sorted.
secrets() {
  { "$KEYGATE" scan --format json --show-secrets "$1" || true; } >report.json
  python3 -c 'import json, sys; print("\n".join(sorted({f["secret"] for f in json.load(sys.stdin)})))' <report.json
}
# survivors IN OUT: the secrets found in IN that are found in OUT too (must be none); IN must have some.
survivors() {
  secrets "$1" >in.secrets && secrets "$2" >out.secrets || fail "cannot read the scan reports of $1"
  [ -s in.secrets ] || fail "$1: scan finds nothing in the input"
  comm -12 in.secrets out.secrets
}

python3 - "$K" <<'PY'
import base64, sys
k = sys.argv[1]
line = "TOGETHER_API_KEY=" + k
encodings = {
    "base64": base64.b64encode((line + "\n").encode()).decode(),
    "hex": line.encode().hex(),
    "unicode": "".join("\\u%04x" % ord(c) for c in line),
    "percent": "TOGETHER_API_KEY%3D" + "".join("%%%02X" % ord(c) for c in k),
    "html": "".join("&#%d;" % ord(c) for c in line),
    "hexescape": "".join("\\x%02x" % ord(c) for c in line),
}
for name, e in encodings.items():
    with open(name + ".txt", "w") as f:
        f.write("before %s after\n" % e)
with open("dotenv.b64", "w") as f:
    f.write(base64.b64encode(("A=1\nTOGETHER_API_KEY=%s\nB=2\n" % k).encode()).decode() + "\n")
PY
for f in base64.txt hex.txt unicode.txt percent.txt html.txt hexescape.txt dotenv.b64; do
  s=0; "$KEYGATE" scan "$f" >/dev/null || s=$?
  [ $s -eq 1 ] || fail "$f: scan does not find the encoded key (exit $s)"
  "$KEYGATE" redact "$f" >"$f.out" || fail "$f: redact failed"
  [ -z "$(survivors "$f" "$f.out")" ] || fail "$f: scan finds again in the output: $(survivors "$f" "$f.out")"
  assert_no_key "$f.out" "$K"
  case $f in
    *.txt) grep -q '^before .* after$' "$f.out" || fail "$f: bytes around the span were eaten: $(cat "$f.out")" ;;
  esac
  # In place, the same.
  cp "$f" "inplace-$f"
  "$KEYGATE" redact --in-place "inplace-$f" || fail "$f: in place failed"
  cmp -s "inplace-$f" "$f.out" || fail "$f: in place differs from standard output"
done
# The percent-encoded key in a URL: only the key's escapes go, the URL around it stays.
printf 'GET https://api.example.com/v1?key=%s&x=1 HTTP/1.1\n' "$(python3 -c 'import sys; print("".join("%%%02X" % ord(c) for c in sys.argv[1]))' "$K")" >url.log
"$KEYGATE" redact url.log >url.out
grep -q '^GET https://api.example.com/v1?key=tgp_v1_.*&x=1 HTTP/1.1$' url.out || fail "URL around the key not kept: $(cat url.out)"

# #23 item 6: UTF-16 (LE with BOM, BE without): the key goes, the file stays UTF-16.
printf 'first\r\nTOGETHER_API_KEY=%s tail\n' "$K" | iconv -f UTF-8 -t UTF-16 >u16le.txt
printf 'first\nTOGETHER_API_KEY=%s tail\n' "$K" | iconv -f UTF-8 -t UTF-16BE >u16be.txt
for f in u16le.txt u16be.txt; do
  s=0; "$KEYGATE" scan "$f" >/dev/null || s=$?
  [ $s -eq 1 ] || fail "$f: scan does not find the key"
  "$KEYGATE" redact "$f" >"$f.out"
  [ -z "$(survivors "$f" "$f.out")" ] || fail "$f: the redacted UTF-16 output still holds the key"
done
iconv -f UTF-16 -t UTF-8 <u16le.txt.out | grep -q "^TOGETHER_API_KEY=tgp_v1_.* tail$" || fail "UTF-16 LE output is not the redacted text"
iconv -f UTF-16BE -t UTF-8 <u16be.txt.out | grep -q "^first$" || fail "UTF-16 BE output lost its first line"
[ "$(head -c 2 u16le.txt.out | od -An -tx1 | tr -d ' ')" = fffe ] || fail "UTF-16 byte order mark lost"
"$KEYGATE" redact --in-place u16le.txt && cmp -s u16le.txt u16le.txt.out || fail "UTF-16 in place differs"

# #23 item 12: a UTF-8 byte order mark on a JSON record keeps field blanking (stdin and .jsonl).
printf '\357\273\277{"api_key": "abc", "text": "ok"}\n' >bom.jsonl
"$KEYGATE" redact bom.jsonl >bom.out
grep -q '"api_key": "\[REDACTED\]", "text": "ok"' bom.out || fail "BOM disabled field blanking: $(cat bom.out)"
"$KEYGATE" redact <bom.jsonl | grep -q '"api_key": "\[REDACTED\]"' || fail "BOM on stdin disabled field blanking"
echo ok
