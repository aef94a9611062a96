# --verify's TLS is libcurl's (OpenSSL), untouched by the executable's stub of libgit2's mbedTLS certificate
# loading: the shipped binary refuses a server whose certificate it does not trust, and accepts it once
# told to trust its CA (--verify-ca FILE, or $CURL_CA_BUNDLE).
source "$(dirname "$0")/lib.sh"
local_network
unset CURL_CA_BUNDLE
cd "$TMP"
command -v openssl >/dev/null || fail "openssl is needed to make the test certificate"
openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -days 1 -subj "/CN=127.0.0.1" \
  -addext "subjectAltName=IP:127.0.0.1" 2>/dev/null

k=$(fake_key 600)
printf 'TOGETHER_API_KEY="%s"\n' "$k" > a.env
printf '{"%s": {"label": "live", "answers": [{"status": 200}]}}\n' "$k" > scenarios.json
python3 "$KEYGATE_SOURCE/tests/e2e/verify_server.py" scenarios.json port server.log cert.pem key.pem & servers+=($!)
wait_for port
export KEYGATE_VERIFY_TOGETHER_URL="https://127.0.0.1:$(cat port)"

"$KEYGATE" scan --verify --format json a.env > untrusted.json 2> err.txt || true
grep -q '"verification": "unknown: certificate rejected' untrusted.json || { cat untrusted.json err.txt >&2; fail "untrusted certificate accepted"; }
[ ! -s server.log ] || fail "a request reached the server over an untrusted connection"

"$KEYGATE" scan --verify --verify-ca cert.pem --format json a.env > trusted.json 2>> err.txt || true
grep -q '"verification": "live"' trusted.json || { cat trusted.json err.txt >&2; fail "--verify-ca not honoured"; }
CURL_CA_BUNDLE=$TMP/cert.pem "$KEYGATE" scan --verify --format json a.env > bundle.json 2>> err.txt || true
grep -q '"verification": "live"' bundle.json || { cat bundle.json err.txt >&2; fail "CURL_CA_BUNDLE not honoured"; }
n=$(grep -c '"path": "/v1/models"' server.log)  # each live key is then asked /v1/whoami too
[ "$n" -eq 2 ] || fail "expected 2 requests, got $n"

# Plain http is refused for anything but this machine: the key would cross the network in clear.
KEYGATE_VERIFY_TOGETHER_URL=http://192.0.2.1 "$KEYGATE" scan --verify --format json a.env > plain.json 2>> err.txt || true
grep -q '"verification": "unknown: not sent: the URL must be https://' plain.json || { cat plain.json >&2; fail "plain http sent"; }
for f in untrusted.json trusted.json bundle.json plain.json err.txt server.log; do assert_no_key "$f" "$k"; done
