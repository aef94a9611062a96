# keygate report merge with another scanner's report (issue #27, through interop/peer_reports.hpp): a
# gitleaks JSON report of the same secret joins keygate's incident (one incident, both places), named under
# the audit key of the results directory; no secret is printed; without a key the report is refused.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/audit/repos.sh"
make_repos "$TMP/repos" 2
"$KEYGATE" audit --out "$TMP/results" "$TMP"/repos/repo-* >/dev/null 2>&1 || [ $? -eq 1 ] || fail "audit"
cat >"$TMP/gitleaks.json" <<JSON
[{"RuleID": "generic-api-key", "File": "legacy/settings.py", "StartLine": 7, "Commit": "$(printf '%040d' 7)",
  "Secret": "$(fake_key 1000)", "Fingerprint": "$(printf '%040d' 7):legacy/settings.py:generic-api-key:7",
  "Date": "2020-05-01T10:00:00Z", "Author": "Old Hand"}]
JSON
rc=0; "$KEYGATE" report merge --format json "$TMP/results" "$TMP/gitleaks.json" >"$TMP/merged.json" 2>"$TMP/err" || rc=$?
[ "$rc" -eq 1 ] || { cat "$TMP/err"; fail "merge with a gitleaks report: exit $rc"; }
assert_no_key "$TMP/merged.json" "$(fake_key 1000)"
[ "$(grep -c '"id":' "$TMP/merged.json")" -eq 3 ] || fail "the gitleaks finding did not join keygate's incident"
grep -q '"path": "legacy/settings.py"' "$TMP/merged.json" || fail "the gitleaks place is missing"
grep -q '"first_seen": "2020-05-01T10:00:00Z"' "$TMP/merged.json" || fail "first seen is not the gitleaks date"
rc=0; "$KEYGATE" report merge "$TMP/gitleaks.json" >/dev/null 2>"$TMP/err" || rc=$?
[ "$rc" -eq 2 ] && grep -q "gitleaks.json: another scanner's report needs the audit key" "$TMP/err" ||
  { cat "$TMP/err"; fail "a peer report without a key"; }
echo ok
