# --format sarif: a SARIF 2.1.0 log with every rule, one result per finding, fingerprints, redaction.
source "$(dirname "$0")/lib.sh"
cd "$TMP"
k=$(fake_key 50)
mkdir -p "dir with space"
printf 'TOGETHER_API_KEY=%s\n' "$k" > "dir with space/.env"
"$KEYGATE" scan --format sarif . > out.sarif && fail "exit 0 with a finding"
assert_no_key out.sarif "$k"
python3 - out.sarif <<'PY'
import json, sys
log = json.load(open(sys.argv[1]))
assert log["version"] == "2.1.0" and "sarif-2.1.0" in log["$schema"]
run = log["runs"][0]
rules = run["tool"]["driver"]["rules"]
assert len(rules) >= 80 and len({r["id"] for r in rules}) == len(rules)
(res,) = run["results"]
assert rules[res["ruleIndex"]]["id"] == res["ruleId"] == "together-api-key"
loc = res["locations"][0]["physicalLocation"]
assert loc["artifactLocation"]["uri"] == "dir%20with%20space/.env", loc
assert loc["region"]["startLine"] == 1 and loc["region"]["startColumn"] == 18
assert res["partialFingerprints"]["keygate/v1"].startswith("together-api-key:")
PY
