# --verify and rate limits: 429 and 503 are retried with full-jitter exponential backoff (0.5 s doubling, at
# most 5 tries), or after the server's Retry-After (seconds or a date) or x-ratelimit-reset; a wait past the
# 30 s a key is not made; requests in flight stay within --verify-concurrency. Timings are the server's.
source "$(dirname "$0")/lib.sh"
local_network
cd "$TMP"
SLACK=0.5  # seconds of scheduling and request time allowed around each expected wait

labels=(always429 then200_503 retry_after_seconds retry_after_date ratelimit_reset retry_after_too_long)
mkdir src
keys=()
for i in "${!labels[@]}"; do
  keys+=("$(fake_key $((400 + i)))")
  printf 'TOGETHER_API_KEY="%s"\n' "${keys[$i]}" > "src/${labels[$i]}.env"
done
date_at=$(( $(date +%s) + 4 ))
python3 - "$date_at" "${keys[@]}" > scenarios.json <<'PY'
import json, sys, email.utils
date = email.utils.formatdate(int(sys.argv[1]), usegmt=True)
answers = [
    [{"status": 429}],
    [{"status": 503}, {"status": 200}],
    [{"status": 429, "headers": {"Retry-After": "1"}}, {"status": 200}],
    [{"status": 429, "headers": {"Retry-After": date}}, {"status": 200}],
    [{"status": 429, "headers": {"x-ratelimit-reset": "1"}}, {"status": 401}],
    [{"status": 429, "headers": {"Retry-After": "120"}}],
]
labels = ["always429", "then200_503", "retry_after_seconds", "retry_after_date", "ratelimit_reset", "retry_after_too_long"]
print(json.dumps({k: {"label": l, "answers": a} for k, l, a in zip(sys.argv[2:], labels, answers)}))
PY
python3 "$KEYGATE_SOURCE/tests/e2e/verify_server.py" scenarios.json port server.log & servers+=($!)
wait_for port
export KEYGATE_VERIFY_TOGETHER_URL="http://127.0.0.1:$(cat port)"

"$KEYGATE" scan --verify --verbose --format json src > out.json 2> err.txt || true
python3 - out.json server.log "$SLACK" "$date_at" <<'PY' || { cat out.json err.txt server.log >&2; fail "retries wrong"; }
import json, sys, collections
findings = json.load(open(sys.argv[1]))
slack, date_at = float(sys.argv[3]), float(sys.argv[4])
got = {f["file"].split("/")[-1][:-4]: f["verification"] for f in findings}
times = collections.defaultdict(list)
for line in open(sys.argv[2]):
    r = json.loads(line)
    if r["path"] == "/v1/models":  # a live key is then asked who it belongs to (/v1/whoami): not a retry
        times[r["label"]].append(r["time"])
gaps = {label: [b - a for a, b in zip(t, t[1:])] for label, t in times.items()}

# No Retry-After: 5 tries, the n-th retry at most 0.5 * 2^(n-1) s after the previous (full jitter).
assert got["always429"] == "unknown: rate limited (HTTP 429, 5 tries)", got["always429"]
assert len(times["always429"]) == 5, times["always429"]
for n, gap in enumerate(gaps["always429"], start=1):
    assert 0 <= gap <= 0.5 * 2 ** (n - 1) + slack, (n, gaps["always429"])
assert got["then200_503"] == "live" and len(times["then200_503"]) == 2
assert gaps["then200_503"][0] <= 0.5 + slack, gaps["then200_503"]
# The server's own wait is honoured: Retry-After in seconds, as a date, and x-ratelimit-reset.
assert got["retry_after_seconds"] == "live" and 1 - 0.05 <= gaps["retry_after_seconds"][0] <= 1 + slack, gaps
assert got["retry_after_date"] == "live", got
assert date_at - 0.05 <= times["retry_after_date"][1] <= date_at + 1 + slack, (times["retry_after_date"], date_at)
assert got["ratelimit_reset"] == "dead" and 1 - 0.05 <= gaps["ratelimit_reset"][0] <= 1 + slack, gaps
# A wait past the 30 s a key is not made: one request, and the verdict says why.
assert len(times["retry_after_too_long"]) == 1, times["retry_after_too_long"]
assert got["retry_after_too_long"].startswith("unknown: rate limited (HTTP 429; waiting 120.0 s"), got
assert sum(len(t) for t in times.values()) <= 5 * len(got)
PY

# Requests in flight stay within --verify-concurrency: 6 slow keys, 2 at a time.
mkdir many
keys2=()
for i in 1 2 3 4 5 6; do
  keys2+=("$(fake_key $((500 + i)))")
  printf 'TOGETHER_API_KEY="%s"\n' "${keys2[-1]}" > "many/$i.env"
done
python3 - "${keys2[@]}" > scenarios2.json <<'PY'
import json, sys
print(json.dumps({k: {"label": "slow%d" % i, "answers": [{"status": 200, "delay": 0.4}]} for i, k in enumerate(sys.argv[1:])}))
PY
python3 "$KEYGATE_SOURCE/tests/e2e/verify_server.py" scenarios2.json port2 server2.log & servers+=($!)
wait_for port2
KEYGATE_VERIFY_TOGETHER_URL="http://127.0.0.1:$(cat port2)" \
  "$KEYGATE" scan --verify --verify-concurrency 2 --format json many > out2.json 2>> err.txt || true
python3 - out2.json server2.log <<'PY' || { cat server2.log >&2; fail "concurrency not bounded"; }
import json, sys
assert [f["verification"] for f in json.load(open(sys.argv[1]))] == ["live"] * 6
log = [json.loads(line) for line in open(sys.argv[2])]
# Each live key is then asked who it belongs to (/v1/whoami), within the same bound.
assert len([r for r in log if r["path"] == "/v1/models"]) == 6 and max(r["in_flight"] for r in log) <= 2, log
PY

for k in "${keys[@]}" "${keys2[@]}"; do
  for f in out.json out2.json err.txt server.log server2.log; do assert_no_key "$f" "$k"; done
done
