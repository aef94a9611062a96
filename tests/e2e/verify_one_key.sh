# Issue 26: one key checked without a scan, read from standard input and never from argv: `keygate verify
# --rule ID` (one key a line) or the keys the rules find in the input; text and JSON; exit 1 for a live key,
# 0 when all are dead, 2 when one cannot be told; a key given as an argument is refused and not echoed.
source "$(dirname "$0")/lib.sh"
local_network
cd "$TMP"
live=$(fake_key 701) dead=$(fake_key 702)
python3 - "$live" "$dead" > scenarios.json <<'PY'
import json, sys
print(json.dumps({sys.argv[1]: {"label": "live", "answers": [{"status": 200}],
                                "by_path": {"/v1/whoami": {"status": 200, "body": {"api_key_id": "key_9", "project_name": "P"}}}},
                  sys.argv[2]: {"label": "dead", "answers": [{"status": 401}]}}))
PY
python3 "$KEYGATE_SOURCE/tests/e2e/verify_server.py" scenarios.json port server.log & servers+=($!)
wait_for port
export KEYGATE_VERIFY_TOGETHER_URL="http://127.0.0.1:$(cat port)"

status=0; printf '%s\n' "$live" | "$KEYGATE" verify --rule together-api-key > one.txt 2> err.txt || status=$?
[ "$status" -eq 1 ] || { cat one.txt err.txt >&2; fail "live key: exit $status, expected 1"; }
grep -q "^together-api-key tgp_v1_….*: live$" one.txt || { cat one.txt >&2; fail "no live verdict"; }
grep -q "identity     key_id key_9, project P" one.txt || { cat one.txt >&2; fail "no identity"; }

status=0; printf '  %s  \n\n' "$dead" | "$KEYGATE" verify --rule together-api-key > dead.txt 2>> err.txt || status=$?
[ "$status" -eq 0 ] && grep -q ": dead$" dead.txt || { cat dead.txt err.txt >&2; fail "dead key: exit $status"; }

# Without --rule: the keys the rules find in any text (an .env file here), both at once, as JSON.
printf 'TOGETHER_API_KEY=%s\nOTHER=%s\n' "$live" "$dead" > app.env
status=0; "$KEYGATE" verify --format json < app.env > both.json 2>> err.txt || status=$?
[ "$status" -eq 1 ] || fail "two keys, one live: exit $status"
python3 - both.json <<'PY' || { cat both.json >&2; fail "JSON wrong"; }
import json, sys
got = json.load(open(sys.argv[1]))
assert [g["verification"] for g in got] == ["live", "dead"], got
assert got[0]["identity"] == {"key_id": "key_9", "project": "P"} and "identity" not in got[1], got
PY

# Unknown: a rule without a verifier, or an unreachable provider: exit 2, never "clean".
status=0; echo "0123456789abcdef0123" | "$KEYGATE" verify --rule generic-secret > nov.txt 2>> err.txt || status=$?
[ "$status" -eq 2 ] && grep -q "unknown: no verifier for this rule" nov.txt || { cat nov.txt >&2; fail "no verifier: $status"; }
status=0; printf '%s\n' "$live" | KEYGATE_VERIFY_TOGETHER_URL=http://127.0.0.1:9 "$KEYGATE" verify --rule together-api-key > down.txt 2>> err.txt || status=$?
[ "$status" -eq 2 ] && grep -q "unknown: cannot connect" down.txt || { cat down.txt >&2; fail "unreachable: $status"; }

# Never from argv: refused, and the argument is not echoed.
status=0; "$KEYGATE" verify --rule together-api-key "$live" > argv.txt 2>&1 || status=$?
[ "$status" -eq 2 ] && grep -q "reads keys from standard input" argv.txt || { cat argv.txt >&2; fail "argv accepted"; }
status=0; : | "$KEYGATE" verify --rule together-api-key > empty.txt 2>&1 || status=$?
[ "$status" -eq 2 ] && grep -q "no key" empty.txt || { cat empty.txt >&2; fail "empty input: $status"; }
status=0; echo x | "$KEYGATE" verify --rule no-such-rule > norule.txt 2>&1 || status=$?
[ "$status" -eq 2 ] && grep -q 'no rule "no-such-rule"' norule.txt || { cat norule.txt >&2; fail "unknown rule"; }

for k in "$live" "$dead"; do
  for f in one.txt dead.txt both.json down.txt argv.txt err.txt server.log; do assert_no_key "$f" "$k"; done
done
echo ok
