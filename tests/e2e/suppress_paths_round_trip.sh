# E17: paths round-trip through every format keygate writes and reads back: a --baseline made from a JSON
# report suppresses a finding whose path is not valid UTF-8; `keygate ignore` on a path holding a newline
# writes a fingerprint that suppresses it; a bad \u escape in a baseline names file:line:column.
source "$(dirname "$0")/lib.sh"
cd "$TMP"
mkdir d && cd d
k=$(fake_key 81)
printf 'token = "%s"\n' "$k" > $'caf\xe9.env'
printf 'token = "%s"\n' "$k" > $'two\nlines.env'
"$KEYGATE" scan --format json . > "$TMP/base.json" && fail "nothing found"
[ "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$TMP/base.json")" = 2 ] || fail "expected 2 findings"
"$KEYGATE" scan --baseline "$TMP/base.json" . > "$TMP/after.out" 2>&1 || { cat "$TMP/after.out"; fail "baseline did not suppress the non-UTF-8 and newline paths"; }
"$KEYGATE" ignore scan . > /dev/null
[ "$(grep -vc '^#' .keygateignore)" = 2 ] || { cat -A .keygateignore; fail "a fingerprint spans lines"; }
"$KEYGATE" scan . > "$TMP/ignored.out" 2>&1 || { cat "$TMP/ignored.out"; fail ".keygateignore did not suppress them"; }
printf '[\n  {"fingerprint": "x\\uZZZZ"}\n]\n' > "$TMP/bad.json"
set +e; "$KEYGATE" scan --baseline "$TMP/bad.json" . 2> "$TMP/err"; s=$?; set -e
[ $s -eq 2 ] && grep -q "bad.json:2:21: not a keygate JSON report: bad \\\\u escape" "$TMP/err" || { cat "$TMP/err"; fail "bad \\u escape: $s"; }
grep -q "internal error" "$TMP/err" && fail "internal error"
echo ok
