# Issue 26, "AWS account and ARN via a signed STS GetCallerIdentity": a key id and its secret access key are
# two findings; `scan --verify` pairs them (the same file, the nearest id) and checks the pair with a SigV4-
# signed POST that a local STS stand-in verifies as AWS does (sts_server.py); a live pair shows the account,
# ARN and user id in every format; an unknown id or a wrong secret is dead; a lone id is unknown.
# `keygate verify` reads ID:SECRET (or the id and the secret on two lines) from standard input; a throttled
# answer is retried. The secret never travels: only its signature. A temporary key (ASIA) is checked with
# the session token found beside it.
source "$(dirname "$0")/lib.sh"
local_network
cd "$TMP"
python3 - > keys.sh <<'PY'
import random
rng = random.Random(2611)
b32, b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
for n in range(1, 6):
    print(f"id{n}=AKIA{''.join(rng.choice(b32) for _ in range(16))}")
    print(f"secret{n}='{''.join(rng.choice(b64) for _ in range(40))}'")
# A temporary key: an ASIA id, its secret and its session token (the token's first bytes name its issuer).
print(f"tid=ASIA{''.join(rng.choice(b32) for _ in range(16))}")
print(f"tsecret='{''.join(rng.choice(b64) for _ in range(40))}'")
import base64
print(f"ttoken='{base64.b64encode(bytes([33, 10, 9]) + b'origin_ec' + bytes(rng.randrange(256) for _ in range(240))).decode()}'")
print(f"tid2=ASIA{''.join(rng.choice(b32) for _ in range(16))}")
print(f"tsecret2='{''.join(rng.choice(b64) for _ in range(40))}'")
PY
source keys.sh
python3 - "$id1" "$secret1" "$id3" "$secret3" "$id5" "$secret5" "$tid" "$tsecret" "$ttoken" > keys.json <<'PY'
import json, sys
a = sys.argv[1:]
print(json.dumps({
    a[6]: {"secret": a[7], "token": a[8], "account": "777777777777", "arn": "arn:aws:sts::777777777777:assumed-role/dev/s",
           "user_id": "AROAT:s"},
    a[0]: {"secret": a[1], "account": "123456789012", "arn": "arn:aws:iam::123456789012:user/Alice",
           "user_id": "AIDACKCEVSQ6C2EX4MPL3"},
    a[2]: {"secret": a[3], "account": "210987654321", "arn": "arn:aws:iam::210987654321:user/ci", "user_id": "AIDAB"},
    a[4]: {"secret": a[5], "account": "555555555555", "arn": "arn:aws:sts::555555555555:assumed-role/r/s",
           "user_id": "AROAX:s", "throttle": 1},
}))
PY
python3 "$KEYGATE_SOURCE/tests/e2e/sts_server.py" keys.json port server.log & servers+=($!)
wait_for port
export KEYGATE_VERIFY_AWS_URL="http://127.0.0.1:$(cat port)"

mkdir -p src/.aws
# A credentials file with two profiles: default is live, old names a key id STS does not know (dead).
printf '[default]\naws_access_key_id = %s\naws_secret_access_key = %s\n\n[old]\naws_access_key_id = %s\naws_secret_access_key = %s\n' \
  "$id1" "$secret1" "$id2" "$secret2" > src/.aws/credentials
# An .env file whose secret is not the key's (SignatureDoesNotMatch: dead), far from the id.
printf 'AWS_ACCESS_KEY_ID=%s\nA=1\nB=2\nC=3\nD=4\nE=5\nAWS_SECRET_ACCESS_KEY=%s\n' "$id3" "$secret4" > src/app.env
# A key id alone: nothing to sign with.
printf 'key_id = "%s"\n' "$id4" > src/lone.py

for format in json sarif gitlab text html; do
  "$KEYGATE" scan --verify --format $format src > out.$format 2>> err.txt && fail "$format: exit 0 with findings"
done
python3 - "$id1" "$id2" "$id3" "$id4" <<'PY' || { cat out.json err.txt >&2; fail "AWS verdicts or identity wrong"; }
import json, sys
ids = sys.argv[1:]
want = {"account": "123456789012", "arn": "arn:aws:iam::123456789012:user/Alice", "user_id": "AIDACKCEVSQ6C2EX4MPL3"}
got = json.load(open("out.json"))
def at(file, line):
    return next(f for f in got if f["file"].endswith(file) and f["line"] == line)
for line in (2, 3):
    f = at("credentials", line)
    assert f["verification"] == "live" and f["identity"] == want, f
    assert list(f["identity"]) == sorted(want)
for line in (6, 7):
    assert at("credentials", line)["verification"] == "dead" and "identity" not in at("credentials", line)
assert at("app.env", 1)["verification"] == "dead" and at("app.env", 7)["verification"] == "dead"
assert at("lone.py", 1)["verification"].startswith("unknown: no secret access key beside it"), at("lone.py", 1)
results = json.load(open("out.sarif"))["runs"][0]["results"]
assert [r["properties"].get("identity") for r in results].count(want) == 2, results
gitlab = json.load(open("out.gitlab"))["vulnerabilities"]
assert sum("identity account 123456789012, arn arn:aws:iam::123456789012:user/Alice" in v["description"]
           for v in gitlab) == 2
text = open("out.text").read()
assert text.count("identity     account 123456789012, arn arn:aws:iam::123456789012:user/Alice, "
                  "user_id AIDACKCEVSQ6C2EX4MPL3") == 2, text
PY

grep -q "arn:aws:iam::123456789012:user/Alice" out.html || fail "the HTML report does not show the identity"

# keygate verify: ID:SECRET on one line, and an id with its secret on two lines (throttled once, retried).
status=0; printf '%s:%s\n' "$id3" "$secret3" | "$KEYGATE" verify --rule aws-access-key-id > one.txt 2>> err.txt || status=$?
[ "$status" -eq 1 ] && grep -q "^aws-access-key-id AK….*: live$" one.txt &&
  grep -q "identity     account 210987654321, arn arn:aws:iam::210987654321:user/ci, user_id AIDAB" one.txt ||
  { cat one.txt err.txt >&2; fail "ID:SECRET: exit $status"; }
status=0; printf '%s\n%s\n%s %s\n' "$id5" "$secret5" "$id1" "$secret2" | "$KEYGATE" verify --format json > two.json 2>> err.txt || status=$?
[ "$status" -eq 1 ] || { cat two.json err.txt >&2; fail "two lines: exit $status"; }
python3 - two.json <<'PY' || { cat two.json >&2; fail "stdin pairs wrong"; }
import json, sys
got = json.load(open(sys.argv[1]))
assert [g["verification"] for g in got] == ["live", "dead"], got
assert got[0]["identity"]["arn"] == "arn:aws:sts::555555555555:assumed-role/r/s", got
PY
# A whole credentials file on standard input: the pairs the rules find, as in a scan.
status=0; "$KEYGATE" verify --format json < src/.aws/credentials > file.json 2>> err.txt || status=$?
[ "$status" -eq 1 ] || { cat file.json err.txt >&2; fail "credentials file: exit $status"; }
python3 - file.json <<'PY' || { cat file.json >&2; fail "credentials file pairs wrong"; }
import json, sys
got = json.load(open(sys.argv[1]))
assert [(g["rule"], g["verification"]) for g in got] == [("aws-access-key-id", "live"), ("aws-access-key-id", "dead")], got
assert got[0]["identity"]["account"] == "123456789012", got
PY
status=0; printf '%s\n' "$id4" | "$KEYGATE" verify --rule aws-access-key-id > noid.txt 2>&1 || status=$?
[ "$status" -eq 2 ] && grep -q "no AWS key id with its secret" noid.txt || { cat noid.txt >&2; fail "lone id: $status"; }

python3 - server.log <<'PY' || { cat server.log >&2; fail "requests wrong"; }
import json, sys
rs = [json.loads(l) for l in open(sys.argv[1])]
assert all(r["method"] == "POST" and r["path"] == "/" and r["body"] == "Action=GetCallerIdentity&Version=2011-06-15"
           for r in rs), rs
codes = [r["code"] for r in rs]
assert "IncompleteSignature" not in codes and codes.count("Throttling") == 1, codes
assert codes.count("OK") == 5 + 3, codes   # the live pair once per format, ID:SECRET, throttled, the file
PY
# A temporary key in a credentials file: the id, its secret and the session token are checked together
# (the token signed as X-Amz-Security-Token); all three findings share the verdict. Without the token the
# id cannot be checked; a token alone neither.
mkdir tmpkey
printf '[dev]\naws_access_key_id = %s\naws_secret_access_key = %s\naws_session_token = %s\n' \
  "$tid" "$tsecret" "$ttoken" > tmpkey/credentials
printf 'AWS_ACCESS_KEY_ID=%s\nAWS_SECRET_ACCESS_KEY=%s\n' "$tid2" "$tsecret2" > tmpkey/no-token.env
printf 'AWS_SESSION_TOKEN=%s\n' "$ttoken" > tmpkey/token-alone.env
"$KEYGATE" scan --verify --format json tmpkey > tmp.json 2>> err.txt && fail "temporary key: exit 0"
python3 - tmp.json <<'PY' || { cat tmp.json err.txt >&2; fail "temporary key verdicts wrong"; }
import json, sys
got = json.load(open(sys.argv[1]))
creds = sorted((f["line"], f["rule"], f["verification"]) for f in got if f["file"].endswith("credentials"))
assert creds == [(2, "aws-access-key-id", "live"), (3, "aws-secret-access-key", "live"),
                 (4, "aws-session-token", "live")], creds
assert all(f["identity"]["account"] == "777777777777" for f in got if f["file"].endswith("credentials"))
lone = [f for f in got if f["file"].endswith("no-token.env")]
assert lone and all("only with its session token" in f["verification"] for f in lone), lone
(alone,) = [f for f in got if f["file"].endswith("token-alone.env")]
assert alone["rule"] == "aws-session-token" and alone["verification"].startswith("unknown: no temporary key id"), alone
PY
for k in "$tsecret" "$ttoken" "$tsecret2"; do assert_no_key tmp.json "$k"; assert_no_key err.txt "$k"; done

for k in "$secret1" "$secret2" "$secret3" "$secret4" "$secret5"; do
  for f in out.json out.sarif out.gitlab out.text out.html one.txt two.json file.json err.txt server.log; do
    assert_no_key "$f" "$k"
  done
done
echo ok
