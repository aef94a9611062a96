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
# A complete scan says so; an incomplete one (a truncated .gz: its end cannot be checked) never reads as a
# clean run: SARIF's invocation is not successful and says why, GitLab's scan status is "failure".
python3 -c "import json,sys; i=json.load(open('out.sarif'))['runs'][0]['invocations']; assert i==[{'executionSuccessful': True}], i"
mkdir cut && printf 'TOGETHER_API_KEY=%s\n' "$k" | gzip -c | head -c 30 > cut/notes.gz
status=0; "$KEYGATE" scan --format sarif cut > cut.sarif 2>/dev/null || status=$?
[ "$status" -eq 2 ] || fail "an incomplete scan exits $status, not 2"
status=0; "$KEYGATE" scan --format gitlab cut > cut.gitlab 2>/dev/null || status=$?
[ "$status" -eq 2 ] || fail "an incomplete scan exits $status, not 2 (gitlab)"
python3 - cut.sarif cut.gitlab <<'PY'
import json, sys
(inv,) = json.load(open(sys.argv[1]))["runs"][0]["invocations"]
assert inv["executionSuccessful"] is False, inv
text = inv["toolExecutionNotifications"][0]["message"]["text"]
assert "incomplete scan" in text and "notes.gz" in text, text
scan = json.load(open(sys.argv[2]))["scan"]
assert scan["status"] == "failure" and "notes.gz" in scan["messages"][0]["value"], scan
PY
echo "keygate-e2e: report_sarif ok"
