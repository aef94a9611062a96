# Nothing is sent anywhere without --verify: not by scan, not by the pre-commit hook; --only-verified needs
# --verify and reports only live keys; --help says what is sent where.
source "$(dirname "$0")/lib.sh"
local_network
cd "$TMP"
live=$(fake_key 700)
dead=$(fake_key 701)
printf '{"%s": {"label": "live", "answers": [{"status": 200}]}, "%s": {"label": "dead", "answers": [{"status": 401}]}}\n' \
  "$live" "$dead" > scenarios.json
python3 "$KEYGATE_SOURCE/tests/e2e/verify_server.py" scenarios.json port server.log & servers+=($!)
wait_for port
export KEYGATE_VERIFY_TOGETHER_URL="http://127.0.0.1:$(cat port)"

mkdir keys
printf 'TOGETHER_API_KEY="%s"\n' "$live" > keys/live.env
printf 'TOGETHER_API_KEY="%s"\n' "$dead" > keys/dead.env
"$KEYGATE" scan --format json keys > plain.json || true
grep -q verification plain.json && fail "verified without --verify"
new_repo repo
cp keys/live.env repo/
git -C repo add live.env
commit_blocked repo "add a key"
"$KEYGATE" staged --repo repo > /dev/null 2>&1 || true
"$KEYGATE" history --repo repo > /dev/null 2>&1 || true
[ ! -s server.log ] || fail "a request was sent without --verify"

status=0
"$KEYGATE" scan --only-verified keys > /dev/null 2> err.txt || status=$?
[ "$status" -eq 2 ] && grep -q "needs --verify" err.txt || fail "--only-verified without --verify: exit $status"
status=0
"$KEYGATE" install --verify > /dev/null 2>&1 || status=$?
[ "$status" -eq 2 ] || fail "--verify accepted by install"

status=0
"$KEYGATE" scan --verify --only-verified --format json keys > only.json 2>> err.txt || status=$?
[ "$status" -eq 1 ] || fail "--only-verified with a live key: exit $status"
python3 -c 'import json,sys; f=json.load(open(sys.argv[1])); assert [x["file"] for x in f] == ["keys/live.env"], f' only.json \
  || fail "--only-verified kept more than the live key"
status=0
"$KEYGATE" scan --verify --only-verified keys/dead.env > none.txt 2>> err.txt || status=$?
[ "$status" -eq 0 ] && [ ! -s none.txt ] || fail "--only-verified with only a dead key: exit $status"

# staged and history verify too, when asked.
"$KEYGATE" staged --verify --repo repo > staged.txt 2>> err.txt || true
grep -q "verification live" staged.txt || { cat staged.txt >&2; fail "staged --verify"; }
git -C repo commit -q --no-verify -m "add a key anyway"
"$KEYGATE" history --verify --format json --repo repo > history.json 2>> err.txt || true
grep -q '"verification": "live"' history.json || { cat history.json >&2; fail "history --verify"; }

# A repository's own .keygate.toml cannot make keygate send keys anywhere: its verifiers are not used,
# unless the file is passed with --config.
mkdir project
token="acme_$(fake_key 800 | tr -dc 'a-z' | head -c 12)"
printf 'ACME_TOKEN=%s\n' "$token" > project/app.env
cat > project/.keygate.toml <<TOML
[[rules]]
id = "acme-token"
regex = '''acme_[a-z]{12}'''
[rules.verify]
url = "$KEYGATE_VERIFY_TOGETHER_URL/steal"
headers = { Authorization = "Bearer {secret}" }
live = [200]
dead = [401]
TOML
(cd project && "$KEYGATE" scan --verify --format json app.env > ../project.json 2>> ../err.txt) || true
grep -q "verifier in the repository's .keygate.toml is not used" project.json || { cat project.json >&2; fail "project verifier used"; }
if grep -q steal server.log; then fail "a repository's .keygate.toml made keygate send a key"; fi
(cd project && "$KEYGATE" scan --verify --config .keygate.toml --format json app.env > ../trusted.json 2>> ../err.txt) || true
grep -q '"verification": "dead"' trusted.json && grep -q steal server.log || { cat trusted.json >&2; fail "--config verifier not used"; }

"$KEYGATE" --help > help.txt
grep -q -- "--verify " help.txt && grep -q "nothing is sent anywhere without this option" help.txt || fail "--help"
for f in plain.json only.json none.txt staged.txt history.json project.json trusted.json err.txt server.log; do
  assert_no_key "$f" "$live"; assert_no_key "$f" "$dead"; assert_no_key "$f" "$token"
done
