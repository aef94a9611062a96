# Confidence decides what blocks: a password in source code blocks a commit (medium or above), a fixture
# password that reads as test data does not (the scorer puts it at low: issue #24 replaced the path demotion
# of generic findings by the scorer, which weighs the path with the value), a provider key in a fixture
# still does (high); `scan` reports the fixture password only with --min-confidence low; JSON and SARIF
# carry the level.
source "$(dirname "$0")/lib.sh"
r="$TMP/repo"; new_repo "$r"
pw="Harbor$(awk 'BEGIN { srand(7); printf "%04d", int(rand() * 10000) }')!"
mkdir -p "$r/src" "$r/tests/fixtures"
printf 'password = "test%s"\n' "${pw:6:4}" > "$r/tests/fixtures/db.py"; git -C "$r" add tests; commit_ok "$r" fixture
printf 'password = "%s"\n' "$pw" > "$r/src/db.py"; git -C "$r" add src; commit_blocked "$r" source
grep -qE "confidence   (medium|high)" "$TMP/out" || { cat "$TMP/out"; fail "the text report does not show the confidence"; }
git -C "$r" rm -q --cached src/db.py; rm "$r/src/db.py"
printf 'TOGETHER_API_KEY=%s\n' "$(fake_key 3)" > "$r/tests/fixtures/key.env"; git -C "$r" add tests; commit_blocked "$r" key
git -C "$r" rm -q --cached tests/fixtures/key.env; rm "$r/tests/fixtures/key.env"

(cd "$r" && "$KEYGATE" scan --format json tests) > "$TMP/default.json" && status=0 || status=$?
[ "$status" = 0 ] || { cat "$TMP/default.json"; fail "scan reported a low-confidence finding by default"; }
(cd "$r" && "$KEYGATE" scan --min-confidence low --format json tests) > "$TMP/low.json" && status=0 || status=$?
[ "$status" = 1 ] || fail "scan --min-confidence low exited $status"
grep -q '"confidence": "low"' "$TMP/low.json" || { cat "$TMP/low.json"; fail "JSON lacks the confidence"; }
(cd "$r" && "$KEYGATE" scan --min-confidence low --format sarif tests) > "$TMP/low.sarif" || true
grep -q '"level": "warning"' "$TMP/low.sarif" || fail "SARIF does not map low to warning"
"$KEYGATE" scan --min-confidence maybe "$r" >/dev/null 2>"$TMP/err" && fail "a bad level was accepted" || status=$?
[ "$status" = 2 ] && grep -q "min-confidence" "$TMP/err" || fail "a bad level: exit $status, $(cat "$TMP/err")"
exit 0
