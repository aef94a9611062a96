# Issue 26, breadth: every verifier in patterns.toml ([rules.verify]) against a local server answering as
# the provider does: live (with the identity the verifier reads), dead (its status, or a 200 whose body
# says so), rate-limited then live (retried), and malformed; one `keygate verify --rule ID` per rule, the
# keys on standard input. The table is verify_providers.py.
source "$(dirname "$0")/lib.sh"
local_network
cd "$TMP"
export SERVER_LOG=$TMP/server.log
python3 "$KEYGATE_SOURCE/tests/e2e/verify_providers.py" "$KEYGATE" "$KEYGATE_SOURCE/patterns.toml" unused \
  scenarios.json > failures.txt 2> summary.txt & checker=$!
wait_for scenarios.json
python3 "$KEYGATE_SOURCE/tests/e2e/verify_server.py" scenarios.json port server.log & servers+=($!)
wait_for port
echo "http://127.0.0.1:$(cat port)" > scenarios.json.go
wait $checker || { cat failures.txt summary.txt >&2; fail "verifiers disagree with the providers' answers"; }
cat summary.txt
n=$(grep -o '^[0-9]*' summary.txt)
[ "$n" -ge 100 ] || fail "only $n verifiers"
echo ok
