# The GitHub Action's logic (ci/keygate_ci.py github) with GitHub's documented GITHUB_EVENT_PATH payloads for
# push, pull_request, a forced push, a new branch, a first push and a deleted branch, against a real clone:
# the right range, a SARIF report, and the job's verdict; a keygate that crashes, or one the checkout
# provides, fails the job (issue #23 item 9).
source "$(dirname "$0")/lib.sh"
ci=$KEYGATE_SOURCE/ci/keygate_ci.py
cd "$TMP"
git init -q --bare origin.git
git clone -q origin.git work 2>/dev/null
cd work
echo "clean" > a.txt; git add a.txt; git commit -qm c1; c1=$(git rev-parse HEAD)
echo "more" >> a.txt; git commit -qam c2; c2=$(git rev-parse HEAD)
git push -q origin main
git checkout -qb feature
printf 'token = "%s"\n' "$(fake_key 41)" > app.env; git add app.env; git commit -qm "add config"; c3=$(git rev-parse HEAD)
echo "x" >> a.txt; git commit -qam c4; c4=$(git rev-parse HEAD)
git push -q origin feature
git fetch -q origin

# run_event NAME PAYLOAD [VAR=VALUE...]: runs the script; its status in $status, outputs in $TMP/out.NAME
run_event() {
  local name=$1 payload=$2; shift 2
  printf '%s' "$payload" > "$TMP/event.$name.json"
  : > "$TMP/out.$name"
  set +e
  env GITHUB_EVENT_NAME="${EVENT:-push}" GITHUB_EVENT_PATH="$TMP/event.$name.json" GITHUB_OUTPUT="$TMP/out.$name" \
    INPUT_REPORT="$TMP/$name.sarif" "$@" python3 "$ci" github > "$TMP/log.$name" 2>&1
  status=$?
  set -e
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["version"]=="2.1.0"' "$TMP/$name.sarif" ||
    fail "$name: no SARIF report"
}
range_of() { sed -n 's/^range=//p' "$TMP/out.$1"; }
results_of() { python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["runs"][0]["results"]))' "$TMP/$1.sarif"; }
repo='"repository": {"default_branch": "main"}'

# A push adding c3 and c4 on top of c1..c2.
run_event push "{\"ref\": \"refs/heads/feature\", \"before\": \"$c2\", \"after\": \"$c4\", \"created\": false, \"forced\": false, \"deleted\": false, $repo}"
[ "$(range_of push)" = "$c4 ^$c2" ] || fail "push range: $(range_of push)"
[ $status -eq 1 ] || { cat "$TMP/log.push"; fail "push with a key: status $status"; }
[ "$(results_of push)" = 1 ] || fail "push: SARIF results $(results_of push)"
grep -q '^findings=true' "$TMP/out.push" || fail "push: findings output"
assert_no_key "$TMP/log.push" "$(fake_key 41)"

# A later push that adds only c4: the key in c3 is not this push's doing.
run_event push2 "{\"ref\": \"refs/heads/feature\", \"before\": \"$c3\", \"after\": \"$c4\", \"created\": false, \"forced\": false, $repo}"
[ "$(range_of push2)" = "$c4 ^$c3" ] && [ $status -eq 0 ] && [ "$(results_of push2)" = 0 ] || fail "push2: $status $(range_of push2)"

# pull_request: base..head.
EVENT=pull_request run_event pr "{\"action\": \"synchronize\", \"number\": 1, \"pull_request\": {\"base\": {\"sha\": \"$c2\", \"ref\": \"main\"}, \"head\": {\"sha\": \"$c4\", \"ref\": \"feature\"}}, $repo}"
[ "$(range_of pr)" = "$c4 ^$c2" ] && [ $status -eq 1 ] || fail "pull_request: $status $(range_of pr)"

# A new branch: its commits that the default branch lacks.
run_event created "{\"ref\": \"refs/heads/feature\", \"before\": \"0000000000000000000000000000000000000000\", \"after\": \"$c4\", \"created\": true, \"forced\": false, $repo}"
[ "$(range_of created)" = "$c4 ^refs/remotes/origin/main" ] && [ $status -eq 1 ] || fail "new branch: $status $(range_of created)"

# The repository's first push (the default branch itself is new): its whole history.
run_event first "{\"ref\": \"refs/heads/main\", \"before\": \"0000000000000000000000000000000000000000\", \"after\": \"$c2\", \"created\": true, $repo}"
[ "$(range_of first)" = "$c2" ] && [ $status -eq 0 ] || fail "first push: $status $(range_of first)"

# A forced push whose old tip is still in the clone: what is not reachable from it.
git checkout -q -b rewritten "$c2"
printf 'token = "%s"\n' "$(fake_key 42)" > other.env; git add other.env; git commit -qm "rewrite"; r1=$(git rev-parse HEAD)
run_event forced "{\"ref\": \"refs/heads/feature\", \"before\": \"$c4\", \"after\": \"$r1\", \"created\": false, \"forced\": true, $repo}"
[ "$(range_of forced)" = "$r1 ^$c4" ] && [ $status -eq 1 ] || fail "forced push: $status $(range_of forced)"
grep -q "forced push" "$TMP/log.forced" || fail "forced push not named"
# ... and one whose old tip this clone never had: judged like a new branch.
gone=1111111111111111111111111111111111111111
run_event forced_gone "{\"ref\": \"refs/heads/feature\", \"before\": \"$gone\", \"after\": \"$r1\", \"forced\": true, $repo}"
[ "$(range_of forced_gone)" = "$r1 ^refs/remotes/origin/main" ] && [ $status -eq 1 ] || fail "forced push, old tip gone: $(range_of forced_gone)"

# A deleted branch adds nothing; the report is still written (empty).
run_event deleted "{\"ref\": \"refs/heads/feature\", \"before\": \"$c4\", \"after\": \"0000000000000000000000000000000000000000\", \"deleted\": true, $repo}"
[ $status -eq 0 ] && [ "$(results_of deleted)" = 0 ] || fail "deleted: $status"

# Inputs: fail-on-findings off; deferred failure (the action uploads SARIF, then fails); full history on demand.
run_event nofail "{\"ref\": \"refs/heads/feature\", \"before\": \"$c2\", \"after\": \"$c4\", $repo}" INPUT_FAIL_ON_FINDINGS=false
[ $status -eq 0 ] && grep -q '^findings=true' "$TMP/out.nofail" || fail "fail-on-findings=false: $status"
run_event deferred "{\"ref\": \"refs/heads/feature\", \"before\": \"$c2\", \"after\": \"$c4\", $repo}" KEYGATE_DEFER_FAILURE=1
[ $status -eq 0 ] && grep -q '^failed=true' "$TMP/out.deferred" || fail "deferred failure: $status"
EVENT=workflow_dispatch run_event full "{}" INPUT_FULL_HISTORY=true
[ "$(range_of full)" = "HEAD" ] && [ $status -eq 1 ] || fail "full history: $status $(range_of full)"
# A baseline of the findings so far accepts them.
"$KEYGATE" history --format json > "$TMP/baseline.json" || true
EVENT=workflow_dispatch run_event baselined "{}" INPUT_FULL_HISTORY=true INPUT_BASELINE="$TMP/baseline.json"
[ $status -eq 0 ] || fail "baseline input ignored: $status"

# Issue #23 item 9: fail closed. keygate killed by a signal (a segfault, the OOM killer), exiting with a
# status it never gives, or missing fails the job (2, failed=true, no half-written report), with the deferred
# failure too; a keygate inside the checkout being scanned (which a pull request can provide) is never run.
mkdir -p "$TMP/bin"
printf '#!/bin/sh
kill -SEGV $$
' > "$TMP/bin/segv"
printf '#!/bin/sh
kill -KILL $$
' > "$TMP/bin/oom"
printf '#!/bin/sh
exit 3
' > "$TMP/bin/three"
chmod +x "$TMP/bin/"*
mkdir -p .keygate-cache
printf '#!/bin/sh
exit 0
' > .keygate-cache/keygate
chmod +x .keygate-cache/keygate
event="{\"ref\": \"refs/heads/feature\", \"before\": \"$c2\", \"after\": \"$c4\", $repo}"
for bad in "$TMP/bin/segv" "$TMP/bin/oom" "$TMP/bin/three" "$TMP/bin/missing" "$PWD/.keygate-cache/keygate" .keygate-cache/keygate; do
  for defer in 0 1; do
    printf '%s' "$event" > "$TMP/event.bad.json"
    : > "$TMP/out.bad"
    rm -f "$TMP/bad.sarif"
    set +e
    env GITHUB_EVENT_NAME=push GITHUB_EVENT_PATH="$TMP/event.bad.json" GITHUB_OUTPUT="$TMP/out.bad" KEYGATE="$bad" \
      KEYGATE_DEFER_FAILURE=$defer INPUT_REPORT="$TMP/bad.sarif" python3 "$ci" github > "$TMP/log.bad" 2>&1
    status=$?
    set -e
    want=2; [ "$defer" = 1 ] && want=0
    [ $status -eq $want ] || { cat "$TMP/log.bad"; fail "KEYGATE=$bad (defer $defer): status $status, not $want"; }
    grep -q '^failed=true' "$TMP/out.bad" || { cat "$TMP/log.bad"; fail "KEYGATE=$bad: failed is not true"; }
    [ ! -e "$TMP/bad.sarif" ] || fail "KEYGATE=$bad: a report was written"
  done
done
grep -q "inside the checkout" "$TMP/log.bad" || fail "the checkout's keygate was not named as refused"
rm -rf .keygate-cache

# action.yml: the verdict fails unless the scan said it passed; the build is keyed on the action's own
# files (hashFiles() sees only the workspace) and kept in runner.temp, outside the checkout.
python3 - "$KEYGATE_SOURCE/action.yml" <<'PY'
import sys, yaml
steps = {s.get("name"): s for s in yaml.safe_load(open(sys.argv[1]))["runs"]["steps"]}
assert "failed != 'false'" in steps["Verdict"]["if"], steps["Verdict"]["if"]
cache = steps["Cache the keygate build"]["with"]
assert "hashFiles" not in cache["key"] and "steps.key.outputs.hash" in cache["key"], cache["key"]
assert cache["path"].startswith("${{ runner.temp }}"), cache["path"]
assert steps["Scan"]["env"]["KEYGATE"].startswith("${{ runner.temp }}"), steps["Scan"]["env"]
PY
echo ok
