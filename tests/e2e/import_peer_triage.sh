#!/usr/bin/env bash
# Issue #26 (moving between tools): a team's triage made with gitleaks (JSON report and .gitleaksignore),
# TruffleHog (JSON lines), detect-secrets (.secrets.baseline) and SARIF becomes keygate's: `keygate import`
# writes a baseline report (or .keygateignore entries) holding keygate's own fingerprints, after which
# `keygate history` reports nothing the peers had triaged; an entry keygate cannot match is named (exit 1).
source "$(dirname "$0")/lib.sh"
r="$TMP/r"
git init -q "$r"
k1=$(fake_key 2621) k2=$(fake_key 2622) k3=$(fake_key 2623) k4=$(fake_key 2624) k5=$(fake_key 2625)
mkdir -p "$r/config" "$r/deploy"
printf 'TOGETHER_API_KEY=%s\n' "$k1" >"$r/config/app.env"
printf '# deploy\nTOGETHER_API_KEY=%s\n' "$k2" >"$r/deploy/prod.env"
printf 'a\nb\nTOGETHER_API_KEY=%s\n' "$k3" >"$r/settings.env"
printf 'TOGETHER_API_KEY=%s\n' "$k4" >"$r/sarif.env"
git -C "$r" add . && git -C "$r" commit -q -m "keys"
commit=$(git -C "$r" rev-parse HEAD)
printf 'TOGETHER_API_KEY=%s\n' "$k5" >"$r/new.env" && git -C "$r" add new.env && git -C "$r" commit -q -m "a new key"

# The peers' files, in each tool's shape (values made here).
cat >"$TMP/gitleaks.json" <<JSON
[{"Description": "Together AI", "StartLine": 1, "EndLine": 1, "Secret": "$k1", "Match": "TOGETHER_API_KEY=$k1",
  "File": "config/app.env", "Commit": "$commit", "RuleID": "together-ai", "Fingerprint": "$commit:config/app.env:together-ai:1"}]
JSON
printf '# reviewed\n%s:deploy/prod.env:together-ai:2\n' "$commit" >"$TMP/.gitleaksignore"
cat >"$TMP/.secrets.baseline" <<JSON
{"version": "1.5.0", "plugins_used": [{"name": "KeywordDetector"}], "filters_used": [],
 "results": {"settings.env": [{"type": "Secret Keyword", "filename": "settings.env",
   "hashed_secret": "$(printf %s "$k3" | sha1sum | cut -c1-40)", "is_verified": false, "line_number": 3, "is_secret": false}],
  "gone.py": [{"type": "Secret Keyword", "filename": "gone.py", "hashed_secret": "0000", "line_number": 1}]},
 "generated_at": "2024-01-01T00:00:00Z"}
JSON
printf '{"SourceMetadata":{"Data":{"Git":{"commit":"%s","file":"sarif.env","line":1}}},"DetectorName":"TogetherAI","Raw":"%s"}\n' \
  "$commit" "$k4" >"$TMP/trufflehog.jsonl"

# import_to_baseline: every entry but gone.py maps; the baseline then silences exactly those four.
set +e; (cd "$r" && "$KEYGATE" import "$TMP/gitleaks.json" "$TMP/.gitleaksignore" "$TMP/.secrets.baseline" \
  "$TMP/trufflehog.jsonl") >"$TMP/out" 2>&1; rc=$?; set -e
[ "$rc" = 1 ] || { cat "$TMP/out"; fail "import with an unmappable entry: exit $rc, not 1"; }
grep -q "cannot map: detect-secrets Secret Keyword at gone.py:1" "$TMP/out" || { cat "$TMP/out"; fail "gone.py not named"; }
grep -q "4 of 5 entries mapped to" "$TMP/out" || { cat "$TMP/out"; fail "wrong mapping count"; }
assert_no_key "$TMP/out" "$k1"
set +e; "$KEYGATE" history --repo "$r" --baseline "$r/keygate-baseline.json" >"$TMP/out" 2>&1; rc=$?; set -e
[ "$rc" = 1 ] || { cat "$TMP/out"; fail "history with the imported baseline: exit $rc, not 1 (new.env)"; }
grep -q "new.env" "$TMP/out" || { cat "$TMP/out"; fail "the new key was not reported"; }
[ "$(grep -c "fingerprint  " "$TMP/out")" = 1 ] || { cat "$TMP/out"; fail "a triaged finding came back"; }

# import_to_keygateignore: the same triage as fingerprints in .keygateignore; SARIF from any tool.
cat >"$TMP/peer.sarif" <<JSON
{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "othertool"}}, "results": [{"ruleId": "together",
 "locations": [{"physicalLocation": {"artifactLocation": {"uri": "new.env"}, "region": {"startLine": 1}}}]}]}]}
JSON
(cd "$r" && "$KEYGATE" import --output .keygateignore "$TMP/gitleaks.json" "$TMP/.gitleaksignore" "$TMP/trufflehog.jsonl" \
  "$TMP/peer.sarif") >"$TMP/out" 2>&1 || { cat "$TMP/out"; fail "import to .keygateignore failed"; }
grep -q "sarif" "$TMP/out" || { cat "$TMP/out"; fail "SARIF not recognised"; }
set +e; "$KEYGATE" history --repo "$r" >"$TMP/out" 2>&1; rc=$?; set -e
[ "$rc" = 1 ] && grep -q "settings.env" "$TMP/out" && ! grep -q "new.env" "$TMP/out" ||
  { cat "$TMP/out"; fail "the .keygateignore import did not silence exactly what it listed"; }

# import_refuses_unknown: a file of no known format is an error naming it.
echo "hello" >"$TMP/notes.txt"
set +e; (cd "$r" && "$KEYGATE" import "$TMP/notes.txt") >"$TMP/out" 2>&1; rc=$?; set -e
[ "$rc" = 2 ] && grep -q "notes.txt: not a report" "$TMP/out" || { cat "$TMP/out"; fail "unknown format: exit $rc"; }
echo "keygate-e2e: import_peer_triage ok"
