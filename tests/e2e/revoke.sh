# Issue 26, revocation: `keygate revoke` calls GitHub's credential revocation API (POST /credentials/revoke,
# unauthenticated, 202), Slack auth.revoke ({"ok": true}) and GitLab's self-revocation (DELETE, 204) on local
# stand-ins; only with --yes or the word typed on a terminal; never inside a git hook; keys from standard
# input or a keygate JSON report (--show-secrets), never argv; for Together, the steps and dashboard link.
source "$(dirname "$0")/lib.sh"
local_network
cd "$TMP"
rand() { awk -v seed="$1" -v n="$2" 'BEGIN { srand(seed); a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  s = ""; for (i = 0; i < n; i++) s = s substr(a, int(rand() * 62) + 1, 1); print s }'; }
github="ghp""_$(rand 801 36)" slack="xoxb""-1234567890-$(rand 802 24)" gitlab="glpat""-$(rand 803 20)"
failing="ghp""_$(rand 804 36)" together=$(fake_key 805)
python3 - "$github" "$slack" "$gitlab" "$failing" > scenarios.json <<'PY'
import json, sys
g, s, l, f = sys.argv[1:]
print(json.dumps({
    g: {"label": "github", "answers": [{"status": 202, "body": ""}]},
    s: {"label": "slack", "answers": [{"status": 200, "body": {"ok": True, "revoked": True}}]},
    l: {"label": "gitlab", "answers": [{"status": 204, "body": ""}]},
    f: {"label": "failing", "answers": [{"status": 422, "body": {"message": "Validation failed"}}]},
}))
PY
python3 "$KEYGATE_SOURCE/tests/e2e/verify_server.py" scenarios.json port server.log & servers+=($!)
wait_for port
url="http://127.0.0.1:$(cat port)"
export KEYGATE_VERIFY_GITHUB_URL=$url KEYGATE_VERIFY_SLACK_URL=$url KEYGATE_VERIFY_GITLAB_URL=$url

# Not confirmed (no terminal, no --yes): nothing is sent, exit 2.
printf '%s\n' "$github" > github.txt
status=0; setsid "$KEYGATE" revoke --rule github-pat < github.txt > noconfirm.txt 2>&1 < github.txt || status=$?
[ "$status" -eq 2 ] && grep -q "not confirmed" noconfirm.txt || { cat noconfirm.txt >&2; fail "revoked without confirmation ($status)"; }
[ ! -s server.log ] || fail "a request was sent without confirmation"
# Inside a git hook (git sets GIT_INDEX_FILE or GIT_DIR): refused even with --yes.
status=0; GIT_INDEX_FILE=.git/index "$KEYGATE" revoke --yes --rule github-pat < github.txt > hook.txt 2>&1 || status=$?
[ "$status" -eq 2 ] && grep -q "never runs inside a git hook" hook.txt || { cat hook.txt >&2; fail "ran in a hook"; }
# Never from argv.
status=0; "$KEYGATE" revoke --yes --rule github-pat "$github" > argv.txt 2>&1 || status=$?
[ "$status" -eq 2 ] || fail "argv accepted"
[ ! -s server.log ] || fail "a request was sent by a refused run"

# Confirmed: each key to its provider; the rules found in the text.
printf 'GITHUB_TOKEN=%s\nSLACK_BOT_TOKEN=%s\nGITLAB_TOKEN=%s\n' "$github" "$slack" "$gitlab" > leaked.env
status=0; "$KEYGATE" revoke --yes < leaked.env > revoked.txt 2> err.txt || status=$?
[ "$status" -eq 0 ] || { cat revoked.txt err.txt >&2; fail "revoke: exit $status"; }
[ "$(grep -c ": revoked$" revoked.txt)" -eq 3 ] || { cat revoked.txt >&2; fail "not all revoked"; }
python3 - server.log <<'PY' || { cat server.log >&2; fail "revocation requests wrong"; }
import json, sys
got = {r["label"]: r for r in map(json.loads, open(sys.argv[1]))}
assert got["github"]["method"] == "POST" and got["github"]["path"] == "/credentials/revoke", got["github"]
assert json.loads(got["github"]["body"]) == {"credentials": ["<key>"]}, got["github"]
assert got["github"]["where"] == "body"  # unauthenticated: GitHub answers 403 to an authenticated call
assert got["slack"]["method"] == "POST" and got["slack"]["path"] == "/auth.revoke", got["slack"]
assert got["slack"]["where"] == "header Authorization", got["slack"]
assert got["gitlab"]["method"] == "DELETE" and got["gitlab"]["path"] == "/api/v4/personal_access_tokens/self"
assert got["gitlab"]["where"] == "header PRIVATE-TOKEN", got["gitlab"]
PY

# From a keygate report written with --show-secrets; a redacted report is refused.
printf 'TOKEN=%s\n' "$failing" > failing.env
"$KEYGATE" scan --format json --show-secrets -- failing.env > report.json || true
"$KEYGATE" scan --format json failing.env > redacted.json || true
status=0; "$KEYGATE" revoke --yes --report redacted.json > red.txt 2>&1 || status=$?
[ "$status" -eq 2 ] && grep -q "redacted" red.txt || { cat red.txt >&2; fail "redacted report: $status"; }
status=0; "$KEYGATE" revoke --yes --report report.json > fail.txt 2>&1 || status=$?
[ "$status" -eq 2 ] && grep -q "revocation failed: HTTP 422" fail.txt || { cat fail.txt >&2; fail "a failed revocation: $status"; }

# No revocation API (Together): the steps and the dashboard link, exit 1, nothing sent.
lines=$(wc -l < server.log)
status=0; printf '%s\n' "$together" | "$KEYGATE" revoke --rule together-api-key > together.txt 2>&1 || status=$?
[ "$status" -eq 1 ] || { cat together.txt >&2; fail "Together: exit $status"; }
grep -q "https://api.together.ai/settings/api-keys" together.txt || { cat together.txt >&2; fail "no dashboard link"; }
[ "$(wc -l < server.log)" -eq "$lines" ] || fail "a request for a provider without an API"

for k in "$github" "$slack" "$gitlab" "$failing" "$together"; do
  for f in noconfirm.txt hook.txt argv.txt revoked.txt err.txt red.txt fail.txt together.txt server.log; do
    assert_no_key "$f" "$k"
  done
done
echo ok
