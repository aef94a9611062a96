# Decoding (issue #11): a Kubernetes Secret with a base64 key, a notebook with a \u-escaped key, a
# percent-encoded key in a URL and a double-base64 key are each reported as together-api-key at the
# encoded span, with how it was decoded; the staged hook blocks them; --max-decode-depth 0 turns it off.
source "$(dirname "$0")/lib.sh"
cd "$TMP"
k=$(fake_key 71)
b64=$(printf %s "$k" | base64 -w0)
mkdir src
printf 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\ntype: Opaque\ndata:\n  password: %s\n' "$b64" > src/secret.yaml
python3 - "$k" <<'PY'
import json, sys, base64
k = sys.argv[1]
cell = {"cell_type": "code", "source": ["import os\n", 'key = "\\u0074' + k[1:] + '"\n']}
open("src/nb.ipynb", "w").write(json.dumps({"cells": [cell]}, indent=1) + "\n")
enc = "".join("%%%02X" % ord(c) for c in k)
open("src/url.txt", "w").write("callback:\n  see https://example.invalid/cb?token=" + enc + "&x=1\n")
open("src/double.txt", "w").write("v = '" + base64.b64encode(base64.b64encode(k.encode())).decode() + "'\n")
PY
"$KEYGATE" scan --format json src > out.json && fail "exit 0 with encoded keys"
assert_no_key out.json "$k"
python3 - out.json src/nb.ipynb <<'PY'
import json, sys
found = {f["file"]: f for f in json.load(open(sys.argv[1]))}
assert len(found) == 4, found
for f in found.values():
    assert f["rule"] == "together-api-key", f
def at(name, line, col, how):
    f = found["src/" + name]
    assert (f["line"], f["column"], f["decoded"]) == (line, col, how), f
at("secret.yaml", 7, 13, "base64")
at("url.txt", 2, 7, "percent")
at("double.txt", 1, 6, "base64>base64")
nb_lines = open(sys.argv[2]).read().split("\n")
line = next(i for i, l in enumerate(nb_lines, 1) if "gp_v1_" in l)
assert found["src/nb.ipynb"]["line"] == line and found["src/nb.ipynb"]["decoded"] == "json>unicode", found["src/nb.ipynb"]
PY
"$KEYGATE" scan src > out.txt || true
grep -q "decoded      base64>base64" out.txt || fail "text report without decoded"
"$KEYGATE" scan --format sarif src > out.sarif || true
grep -q '"decoded": "base64"' out.sarif || fail "SARIF without decoded"
"$KEYGATE" scan --max-decode-depth 0 --format json src > off.json || true
grep -q together-api-key off.json && fail "decoding not off at depth 0"
printf '[extend]\nuseDefault = true\n[decode]\nmax_depth = 0\n' > off.toml
"$KEYGATE" scan --config off.toml --format json src > off2.json || true
grep -q together-api-key off2.json && fail "[decode] max_depth = 0 not honoured"

# A .keygateignore fingerprint (of the decoded secret) suppresses a decoded finding.
cp -r src ign && cd ign
"$KEYGATE" ignore scan secret.yaml > /dev/null
grep -q "^together-api-key:secret.yaml:" .keygateignore || fail "ignore did not record the decoded finding"
"$KEYGATE" scan secret.yaml > /dev/null || fail ".keygateignore did not suppress the decoded finding"
cd "$TMP"

# The hook blocks the manifest, and an inline allow on its line lets it through.
new_repo repo
cp src/secret.yaml repo/
git -C repo add secret.yaml
commit_blocked repo "add secret"
grep -q "secret.yaml:7:13: together-api-key" "$TMP/out" || { cat "$TMP/out"; fail "hook did not name the encoded span"; }
sed -i 's/$/  # keygate:allow/' repo/secret.yaml
git -C repo add secret.yaml
commit_ok repo "add allowed secret"
