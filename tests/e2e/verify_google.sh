# Issue 26, "Google service-account email and project": a service-account key file found by a scan is
# checked by signing a JWT with its private key (RS256) and exchanging it at the token endpoint (the JWT
# bearer grant), against a local stand-in that verifies the signature with the key pair's public key
# (google_token_server.py). A live key shows client_email and project_id in every format; a deleted key
# (unknown kid) or a key file whose private key is not its kid's is dead; a clock error is unknown, not dead.
# `keygate verify < KEY.json` reads the whole key file. The private key and the token never show.
source "$(dirname "$0")/lib.sh"
local_network
cd "$TMP"
for n in 1 2 3; do
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out k$n.pem 2>/dev/null
  openssl pkey -in k$n.pem -pubout -out pub$n.pem
done
mkdir src
# Key files as Google writes them; kids are 40 hex digits made here.
python3 - <<'PY'
import json, random
rng = random.Random(2612)
kid = lambda: "".join(rng.choice("0123456789abcdef") for _ in range(40))
files = {"live": ("k1.pem", "ci-deployer", "acme-prod"), "deleted": ("k2.pem", "old", "acme-prod"),
         "mismatch": ("k3.pem", "ci-deployer", "acme-prod"), "clock": ("k2.pem", "skewed", "acme-dev")}
registered = {}
for name, (pem, account, project) in files.items():
    k = kid()
    email = f"{account}@{project}.iam.gserviceaccount.com"
    key = {"type": "service_account", "project_id": project, "private_key_id": k,
           "private_key": open(pem).read(), "client_email": email, "client_id": str(rng.randrange(10**20)),
           "auth_uri": "https://accounts.google.com/o/oauth2/auth", "token_uri": "https://oauth2.googleapis.com/token"}
    json.dump(key, open(f"src/{name}.json", "w"), indent=2)
    if name == "live":
        registered[k] = {"public": "pub1.pem", "email": email}
    elif name == "mismatch":  # the kid is known, but with another key pair's public key
        registered[k] = {"public": "pub1.pem", "email": email}
    elif name == "clock":
        registered[k] = {"public": "pub2.pem", "email": email, "clock": True}
json.dump(registered, open("keys.json", "w"))
PY
python3 "$KEYGATE_SOURCE/tests/e2e/google_token_server.py" keys.json port server.log & servers+=($!)
wait_for port
export KEYGATE_VERIFY_GOOGLE_URL="http://127.0.0.1:$(cat port)"

for format in json sarif gitlab text html; do
  "$KEYGATE" scan --verify --format $format src > out.$format 2>> err.txt && fail "$format: exit 0 with findings"
done
python3 - <<'PY' || { cat out.json err.txt >&2; fail "service-account verdicts or identity wrong"; }
import json
want = {"email": "ci-deployer@acme-prod.iam.gserviceaccount.com", "project": "acme-prod"}
got = {f["file"].split("/")[-1]: f for f in json.load(open("out.json")) if f["rule"] == "gcp-service-account-key"}
assert got["live.json"]["verification"] == "live" and got["live.json"]["identity"] == want, got["live.json"]
assert got["deleted.json"]["verification"] == "dead", got["deleted.json"]
assert got["mismatch.json"]["verification"] == "dead", got["mismatch.json"]
assert got["clock.json"]["verification"].startswith("unknown: HTTP 400 (invalid_grant): Google says"), got["clock.json"]
assert all("identity" not in got[n] for n in ("deleted.json", "mismatch.json", "clock.json"))
# The private key inside the file, found by the private-key rule, is the same key: the same verdict.
keys = {f["file"].split("/")[-1]: f for f in json.load(open("out.json")) if f.get("json_pointer") == "/private_key"}
assert keys["live.json"]["verification"] == "live" and keys["deleted.json"]["verification"] == "dead", keys
results = json.load(open("out.sarif"))["runs"][0]["results"]
assert [r["properties"].get("identity") for r in results].count(want) == 2, results
gitlab = json.load(open("out.gitlab"))["vulnerabilities"]
assert sum("identity email ci-deployer@acme-prod.iam.gserviceaccount.com, project acme-prod" in v["description"]
           for v in gitlab) == 2
assert open("out.text").read().count(
    "identity     email ci-deployer@acme-prod.iam.gserviceaccount.com, project acme-prod") == 2
PY

grep -q "ci-deployer@acme-prod.iam.gserviceaccount.com" out.html || fail "the HTML report does not show the identity"

# One key file on standard input.
status=0; "$KEYGATE" verify < src/live.json > one.txt 2>> err.txt || status=$?
[ "$status" -eq 1 ] && grep -q "^gcp-service-account-key .*: live$" one.txt &&
  grep -q "identity     email ci-deployer@acme-prod.iam.gserviceaccount.com, project acme-prod" one.txt ||
  { cat one.txt err.txt >&2; fail "keygate verify < KEY.json: exit $status"; }
status=0; "$KEYGATE" verify --rule gcp-service-account-key --format json < src/deleted.json > dead.json 2>> err.txt || status=$?
[ "$status" -eq 0 ] && grep -q '"verification": "dead"' dead.json || { cat dead.json >&2; fail "deleted key: $status"; }
status=0; echo '{"type": "authorized_user"}' | "$KEYGATE" verify --rule gcp-service-account-key > bad.txt 2>&1 || status=$?
[ "$status" -eq 2 ] && grep -q "not a service-account key file" bad.txt || { cat bad.txt >&2; fail "not a key file: $status"; }
# A key found in history is not on disk: unknown, never dead.
git init -q repo && cp src/live.json repo/ && git -C repo add live.json && git -C repo commit -qm k &&
  git -C repo rm -q live.json && git -C repo commit -qm rm
"$KEYGATE" history --verify --format json --repo repo > hist.json 2>> err.txt || true
grep -q '"verification": "unknown: the key file is not on disk' hist.json || { cat hist.json >&2; fail "history verdict"; }

python3 - server.log <<'PY' || { cat server.log >&2; fail "token requests wrong"; }
import json, sys
rs = [json.loads(l) for l in open(sys.argv[1])]
assert all(r["path"] == "/token" and r["content_type"] == "application/x-www-form-urlencoded" for r in rs), rs
assert all(r["claims"] == ["aud", "exp", "iat", "iss", "scope"] for r in rs), rs
answers = [r["answer"] for r in rs]
assert answers.count("token") == 5 + 1, answers   # once per format, and keygate verify
PY
secret_line=$(sed -n 2p k1.pem)
for f in out.json out.sarif out.gitlab out.text out.html one.txt dead.json hist.json err.txt server.log; do
  assert_no_key "$f" "$secret_line"
  grep -q "ya29\." "$f" && fail "$f shows the access token"
done
echo ok
