# Exit codes: 0 nothing found, 1 findings, 2 errors; errors are one line naming the place.
source "$(dirname "$0")/lib.sh"
cd "$TMP"
echo clean > clean.txt
"$KEYGATE" scan clean.txt >/dev/null || fail "clean scan did not exit 0"
printf 'k=%s\n' "$(fake_key 10)" > key.txt
set +e
"$KEYGATE" scan key.txt >/dev/null; [ $? -eq 1 ] || fail "finding did not exit 1"
"$KEYGATE" scan missing.txt >/dev/null 2>"$TMP/err"; [ $? -eq 2 ] || fail "missing file did not exit 2"
grep -q "missing.txt" "$TMP/err" || fail "missing file not named"
"$KEYGATE" staged --repo "$TMP" >/dev/null 2>"$TMP/err"; [ $? -eq 2 ] || fail "not a repo did not exit 2"
grep -q "not a git repository" "$TMP/err" || fail "not-a-repo message"
printf 'title = 3\n' > bad.toml
"$KEYGATE" scan --config bad.toml clean.txt 2>"$TMP/err"; [ $? -eq 2 ] || fail "bad config did not exit 2"
grep -q 'bad.toml:1: "title" must be a string' "$TMP/err" || { cat "$TMP/err"; fail "bad config message"; }
"$KEYGATE" bogus 2>/dev/null; [ $? -eq 2 ] || fail "unknown command"
"$KEYGATE" scan --nope 2>/dev/null; [ $? -eq 2 ] || fail "unknown option"
set -e
# stdin, and a closed pipe is not an error.
printf 'x %s\n' "$(fake_key 11)" | "$KEYGATE" scan - > "$TMP/out" && fail "stdin key not found"
grep -q "(stdin):1:3" "$TMP/out" || fail "stdin place"
for i in $(seq 300); do printf 'k=%s\n' "$(fake_key $i)"; done > many.txt
s=0; ( set -o pipefail; "$KEYGATE" scan many.txt | head -1 >/dev/null; ) || s=$?
[ $s -eq 1 ] || fail "closed pipe gave exit $s"
