# --verify against a local stand-in for Together: each status maps to live, dead or unknown (with why);
# timeouts and dropped connections are tried twice (issue 26), then unknown; one request sequence per unique
# secret; no secret in any output.
source "$(dirname "$0")/lib.sh"
local_network
cd "$TMP"

# One key per behaviour, named after it; the server is told each key's answers.
labels=(live200 live402 dead401 forbidden403 error500 slow dropped_before dropped_during)
mkdir src
keys=()
for i in "${!labels[@]}"; do
  keys+=("$(fake_key $((300 + i)))")
  printf 'TOGETHER_API_KEY="%s"\n' "${keys[$i]}" > "src/${labels[$i]}.env"
done
cp src/live200.env src/live200_again.env  # the same key twice: asked once
python3 - "${keys[@]}" > scenarios.json <<'PY'
import json, sys
answers = [[{"status": 200}], [{"status": 402}], [{"status": 401}], [{"status": 403}], [{"status": 500}],
           [{"status": 200, "delay": 10}], [{"drop": "before"}], [{"status": 200, "drop": "during"}]]
labels = ["live200", "live402", "dead401", "forbidden403", "error500", "slow", "dropped_before", "dropped_during"]
print(json.dumps({k: {"label": l, "answers": a} for k, l, a in zip(sys.argv[1:], labels, answers)}))
PY
python3 "$KEYGATE_SOURCE/tests/e2e/verify_server.py" scenarios.json port server.log & servers+=($!)
wait_for port
export KEYGATE_VERIFY_TOGETHER_URL="http://127.0.0.1:$(cat port)"

status=0
"$KEYGATE" scan --verify --verify-timeout 4 --verbose --format json src > out.json 2> err.txt || status=$?
[ "$status" -eq 1 ] || { cat err.txt >&2; fail "exit $status, expected 1 (findings)"; }
python3 - out.json server.log <<'PY' || { cat out.json err.txt >&2; fail "verdicts or requests wrong"; }
import json, sys, collections
findings = json.load(open(sys.argv[1]))
got = {f["file"].split("/")[-1][:-4]: f["verification"] for f in findings}
want = {"live200": "live", "live200_again": "live", "live402": "live", "dead401": "dead",
        "forbidden403": "unknown: HTTP 403", "error500": "unknown: HTTP 500"}
for label, verdict in want.items():
    assert got[label] == verdict, (label, got[label])
assert got["slow"].startswith("unknown: timed out"), got["slow"]
assert got["dropped_before"].startswith("unknown: connection dropped"), got["dropped_before"]
assert got["dropped_during"].startswith("unknown: connection dropped"), got["dropped_during"]
# A live key is then asked who it belongs to (/v1/whoami); the liveness requests are counted here.
requests = [r for r in map(json.loads, open(sys.argv[2])) if r["path"] != "/v1/whoami"]
per_label = collections.Counter(r["label"] for r in requests)
# None of these answers is a rate limit, so each unique key is asked once; a timeout or a dropped
# connection once more (issue 26: retries on network failures too, bounded).
retried = {"slow", "dropped_before", "dropped_during"}
assert all(n == (2 if l in retried else 1) for l, n in per_label.items()) and len(per_label) == 8, per_label
assert all(r["method"] == "GET" and r["path"] == "/v1/models" for r in requests), requests
PY
grep -q "verified 8 unique secrets: 2 live, 1 dead, 5 unknown" err.txt || { cat err.txt >&2; fail "no summary"; }
grep -q "HTTP 403" err.txt || fail "--verbose does not log the answers"

# Text and SARIF carry the verdict too.
"$KEYGATE" scan --verify --verify-timeout 4 src/live200.env src/dead401.env > out.txt 2>> err.txt || true
grep -q "verification live" out.txt && grep -q "verification dead" out.txt || { cat out.txt >&2; fail "text"; }
"$KEYGATE" scan --verify --format sarif src/dead401.env > out.sarif 2>> err.txt || true
python3 - out.sarif <<'PY' || fail "SARIF has no verification property"
import json, sys
result = json.load(open(sys.argv[1]))["runs"][0]["results"][0]
assert result["properties"]["verification"] == "dead", result
PY

for k in "${keys[@]}"; do
  for f in out.json out.txt out.sarif err.txt server.log; do assert_no_key "$f" "$k"; done
done
