# keygate audit's result files carry each incident's advice (the provider's revocation steps, as `keygate
# revoke` gives them) and each place's context (its line, the secret redacted), as the incidents schema says;
# `report merge` keeps both in every format (JSON, text, SARIF, GitLab, HTML), and no format holds the key.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/audit/repos.sh"
make_repos "$TMP/repos" 2
export KEYGATE_AUDIT_KEY=0123456789abcdef0123456789abcdef
rc=0; "$KEYGATE" audit --no-progress --out "$TMP/out" "$TMP"/repos/repo-* >/dev/null 2>"$TMP/err" || rc=$?
[ "$rc" -eq 1 ] || { cat "$TMP/err"; fail "audit exit $rc"; }

python3 - "$TMP"/out/*.json <<'PY' || fail "result files lack advice or context"
import json, sys
for name in sys.argv[1:]:
    data = json.load(open(name))
    assert data["incidents"], name
    for i in data["incidents"]:
        assert "api.together.ai" in i["advice"], (name, i["advice"])
        for p in i["places"]:
            assert p["context"].startswith("TOGETHER_API_KEY=") or p["context"].startswith("other="), p
            assert i["redacted"] in p["context"], p
PY
for f in "$TMP"/out/*.json; do assert_no_key "$f" "$(fake_key 1000)"; done

for format in json text sarif gitlab html; do
  rc=0; "$KEYGATE" report merge --format "$format" "$TMP/out" >"$TMP/m.$format" 2>"$TMP/err" || rc=$?
  [ "$rc" -eq 1 ] || { cat "$TMP/err"; fail "report merge --format $format: exit $rc"; }
  grep -q "api.together.ai" "$TMP/m.$format" || fail "--format $format lost the advice"
  grep -q "TOGETHER_API_KEY=" "$TMP/m.$format" || fail "--format $format lost the context"
  assert_no_key "$TMP/m.$format" "$(fake_key 1000)"
  assert_no_key "$TMP/m.$format" "$(fake_key 1001)"
done
echo ok
