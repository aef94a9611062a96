# Issue #23 item 12: --verify sends a key over plain http only to this machine, judged by the URL's host,
# not by its prefix. With the provider's URL set to `http://localhost:PORT@127.0.0.1:PORT` (whose host is
# 127.0.0.1 behind a userinfo `localhost:PORT`: the shape that passed a prefix test and would send the key to
# any host written after the '@'), and to `http://127.0.0.1.attacker.example`, nothing is sent: the local
# server logs no request and the verdict says why. `http://127.0.0.1:PORT` itself is still asked.
source "$(dirname "$0")/lib.sh"
local_network
cd "$TMP"
k=$(fake_key 2312)
mkdir src
printf 'TOGETHER_API_KEY="%s"\n' "$k" > src/app.env
python3 -c 'import json, sys; print(json.dumps({sys.argv[1]: {"label": "key", "answers": [{"status": 200}]}}))' "$k" > scenarios.json
python3 "$KEYGATE_SOURCE/tests/e2e/verify_server.py" scenarios.json port server.log & servers+=($!)
wait_for port
port=$(cat port)
for url in "http://localhost:$port@127.0.0.1:$port" "http://127.0.0.1.attacker.example:$port"; do
  status=0
  KEYGATE_VERIFY_TOGETHER_URL="$url" "$KEYGATE" scan --verify --verify-timeout 2 --format json src > out.json 2> err.txt ||
    status=$?
  [ "$status" -eq 1 ] || { cat err.txt >&2; fail "$url: exit $status, expected 1"; }
  python3 -c 'import json, sys; v = json.load(open("out.json"))[0]["verification"]; assert v.startswith("unknown: not sent"), v' ||
    { cat out.json >&2; fail "$url: sent, or no reason given"; }
  [ ! -s server.log ] || { cat server.log >&2; fail "$url: the server was asked"; }
  assert_no_key out.json "$k"
  assert_no_key err.txt "$k"
done
KEYGATE_VERIFY_TOGETHER_URL="http://127.0.0.1:$port" "$KEYGATE" scan --verify --format json src > out.json 2> err.txt || true
python3 -c 'import json; v = json.load(open("out.json"))[0]["verification"]; assert v == "live", v' ||
  { cat out.json err.txt >&2; fail "the local server was not asked"; }
