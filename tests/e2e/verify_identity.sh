# Issue 26, "what the key can reach": with --verify, a live Together key is asked who it belongs to
# (GET /v1/whoami, Together's documented identity endpoint) and every report format shows the key id,
# organisation and project; a failed identity request leaves the key live without them; a dead key is
# never asked.
source "$(dirname "$0")/lib.sh"
local_network
cd "$TMP"
live=$(fake_key 601) no_whoami=$(fake_key 602) dead=$(fake_key 603)
mkdir src
printf 'TOGETHER_API_KEY="%s"\n' "$live" > src/live.env
printf 'TOGETHER_API_KEY="%s"\n' "$no_whoami" > src/no_whoami.env
printf 'TOGETHER_API_KEY="%s"\n' "$dead" > src/dead.env
python3 - "$live" "$no_whoami" "$dead" > scenarios.json <<'PY'
import json, sys
# The shape of https://docs.together.ai/reference/whoami's answer.
whoami = {"api_key_id": "key_7f3a", "organization_id": "org_42", "organization_name": "Acme, Inc.",
          "project_id": "proj_9", "project_name": "Prod inference", "project_slug": "prod-inference"}
print(json.dumps({
    sys.argv[1]: {"label": "live", "answers": [{"status": 200}],
                  "by_path": {"/v1/whoami": {"status": 200, "body": whoami}}},
    sys.argv[2]: {"label": "no_whoami", "answers": [{"status": 200}],
                  "by_path": {"/v1/whoami": {"status": 500, "body": "oops"}}},
    sys.argv[3]: {"label": "dead", "answers": [{"status": 401}]},
}))
PY
python3 "$KEYGATE_SOURCE/tests/e2e/verify_server.py" scenarios.json port server.log & servers+=($!)
wait_for port
export KEYGATE_VERIFY_TOGETHER_URL="http://127.0.0.1:$(cat port)"

for format in json sarif gitlab text; do
  "$KEYGATE" scan --verify --format $format src > out.$format 2>> err.txt && fail "$format: exit 0 with findings"
done
python3 - <<'PY' || { cat out.* err.txt >&2; fail "identity missing or wrong"; }
import json
want = {"key_id": "key_7f3a", "organization": "Acme, Inc.", "organization_id": "org_42",
        "project": "Prod inference", "project_id": "proj_9"}
by_file = {f["file"].split("/")[-1]: f for f in json.load(open("out.json"))}
assert by_file["live.env"]["identity"] == want, by_file["live.env"]
assert list(by_file["live.env"]["identity"]) == sorted(want), "identity is not in the verifier's order"
assert by_file["no_whoami.env"]["verification"] == "live" and "identity" not in by_file["no_whoami.env"]
assert by_file["dead.env"]["verification"] == "dead" and "identity" not in by_file["dead.env"]
results = json.load(open("out.sarif"))["runs"][0]["results"]
assert [r["properties"].get("identity") for r in results].count(want) == 1, results
gitlab = json.load(open("out.gitlab"))["vulnerabilities"]
assert sum("identity key_id key_7f3a, organization Acme, Inc." in v["description"] for v in gitlab) == 1
text = open("out.text").read()
assert text.count("identity     key_id key_7f3a, organization Acme, Inc., organization_id org_42, "
                  "project Prod inference, project_id proj_9") == 1, text
PY
python3 - server.log <<'PY' || { cat server.log >&2; fail "requests wrong"; }
import json, sys, collections
paths = collections.Counter((r["label"], r["path"]) for r in map(json.loads, open(sys.argv[1])))
runs = 4
assert paths[("live", "/v1/whoami")] == runs and paths[("no_whoami", "/v1/whoami")] == runs, paths
assert paths[("dead", "/v1/whoami")] == 0, paths
PY
for k in "$live" "$no_whoami" "$dead"; do
  for f in out.json out.sarif out.gitlab out.text err.txt server.log; do assert_no_key "$f" "$k"; done
done
echo ok
