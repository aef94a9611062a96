# Secrets are redacted everywhere unless --show-secrets: text, JSON, verbose notes.
source "$(dirname "$0")/lib.sh"
cd "$TMP"
k=$(fake_key 12)
printf 'key: "%s"\n' "$k" > a.yaml
"$KEYGATE" scan a.yaml > text.out 2>&1 || true
"$KEYGATE" scan --format json --verbose a.yaml > json.out 2>&1 || true
assert_no_key text.out "$k"; assert_no_key json.out "$k"
grep -qF "tgp_v1_…${k: -4}" text.out || fail "redacted form missing"
python3 - json.out <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
f = d[0]
for field in ("rule", "file", "line", "column", "secret", "fingerprint"):
    assert field in f, field
assert f["rule"] == "together-api-key" and f["line"] == 1 and f["column"] == 7, f
PY
"$KEYGATE" scan --show-secrets a.yaml > shown.out || true
grep -qF -- "$k" shown.out || fail "--show-secrets did not show it"
