# The GitLab template's logic (ci/keygate_ci.py gitlab) with GitLab's predefined variables for a push, a new
# branch and a merge request, against a real clone: the right range, and a secret detection report with the
# fields GitLab's schema requires (validated with python3-jsonschema against those documented requirements).
source "$(dirname "$0")/lib.sh"
ci=$KEYGATE_SOURCE/ci/keygate_ci.py
cd "$TMP"
git init -q --bare origin.git
git clone -q origin.git work 2>/dev/null
cd work
echo clean > a.txt; git add a.txt; git commit -qm c1; c1=$(git rev-parse HEAD)
git push -q origin main
git checkout -qb feature
printf 'token = "%s"\n' "$(fake_key 51)" > app.env; git add app.env; git commit -qm "add config"; c2=$(git rev-parse HEAD)
git fetch -q origin

run_pipeline() {  # run_pipeline NAME VAR=VALUE...
  local name=$1; shift
  set +e
  env CI_DEFAULT_BRANCH=main CI_COMMIT_BRANCH=feature KEYGATE_REPORT="$TMP/$name.json" "$@" python3 "$ci" gitlab > "$TMP/log.$name" 2>&1
  status=$?
  set -e
}
run_pipeline push CI_COMMIT_SHA="$c2" CI_COMMIT_BEFORE_SHA="$c1"
[ $status -eq 1 ] && grep -q "push: ${c1:0:12}..${c2:0:12}" "$TMP/log.push" || { cat "$TMP/log.push"; fail "push: $status"; }
run_pipeline newbranch CI_COMMIT_SHA="$c2" CI_COMMIT_BEFORE_SHA=0000000000000000000000000000000000000000
[ $status -eq 1 ] && grep -q "new branch: commits not on main" "$TMP/log.newbranch" || fail "new branch: $status"
run_pipeline mr CI_COMMIT_SHA="$c2" CI_MERGE_REQUEST_DIFF_BASE_SHA="$c1" CI_PIPELINE_SOURCE=merge_request_event
[ $status -eq 1 ] && grep -q "merge request: ${c1:0:12}" "$TMP/log.mr" || fail "merge request: $status"
run_pipeline clean CI_COMMIT_SHA="$c1" CI_COMMIT_BEFORE_SHA="$c1" CI_COMMIT_BRANCH=main
[ $status -eq 0 ] || fail "clean push: $status"
assert_no_key "$TMP/push.json" "$(fake_key 51)"

python3 - "$TMP/push.json" "$TMP/clean.json" "$c2" <<'PY'
import json, sys
# The requirements GitLab's secret-detection-report-format.json (security-report-schemas 15.x) documents.
schema = {
  "type": "object", "required": ["version", "vulnerabilities", "scan"],
  "properties": {
    "version": {"type": "string", "pattern": "^[0-9]+\\.[0-9]+\\.[0-9]+$"},
    "vulnerabilities": {"type": "array", "items": {
      "type": "object", "required": ["id", "identifiers", "location"],
      "properties": {
        "id": {"type": "string", "minLength": 1},
        "name": {"type": "string", "maxLength": 255},
        "description": {"type": "string", "maxLength": 1048576},
        "severity": {"enum": ["Info", "Unknown", "Low", "Medium", "High", "Critical"]},
        "identifiers": {"type": "array", "minItems": 1, "items": {
          "type": "object", "required": ["type", "name", "value"],
          "properties": {"type": {"type": "string", "minLength": 1}, "name": {"type": "string", "minLength": 1},
                         "value": {"type": "string", "minLength": 1}}}},
        "location": {"type": "object", "required": ["commit"], "properties": {
          "file": {"type": "string", "minLength": 1},
          "commit": {"type": "object", "required": ["sha"], "properties": {"sha": {"type": "string", "minLength": 1}}},
          "start_line": {"type": "integer"}}}}}},
    "scan": {"type": "object", "required": ["analyzer", "scanner", "type", "start_time", "end_time", "status"],
      "properties": {
        "analyzer": {"type": "object", "required": ["id", "name", "version", "vendor"]},
        "scanner": {"type": "object", "required": ["id", "name", "version", "vendor"]},
        "type": {"const": "secret_detection"},
        "status": {"enum": ["success", "failure"]},
        "start_time": {"type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}$"},
        "end_time": {"type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}$"}}}}}
reports = [json.load(open(p)) for p in sys.argv[1:3]]
try:
    import jsonschema
    for r in reports:
        jsonschema.validate(r, schema)
except ImportError:
    print("note: python3-jsonschema missing; checked by hand")
found, clean = reports
assert len(found["vulnerabilities"]) == 1 and clean["vulnerabilities"] == []
v = found["vulnerabilities"][0]
assert v["category"] == "secret_detection" and v["location"]["file"] == "app.env", v
assert v["location"]["commit"]["sha"] == sys.argv[3] and v["location"]["start_line"] == 1, v
PY

# Issue #23 item 9: a merge request that commits `.keygate-cache/keygate` (an `exit 0` script) next to a key
# cannot make its pipeline pass. The template runs nothing from the project directory: it builds keygate in
# /opt and caches nothing there; and keygate_ci.py refuses a keygate inside the checkout. A keygate killed
# by a signal fails the job too.
git checkout -q feature
mkdir -p .keygate-cache
printf '#!/bin/sh\nexit 0\n' > .keygate-cache/keygate
chmod +x .keygate-cache/keygate
git add .keygate-cache/keygate
git commit -qm "bring my own keygate"; c3=$(git rev-parse HEAD)
run_pipeline hostile CI_COMMIT_SHA="$c3" CI_MERGE_REQUEST_DIFF_BASE_SHA="$c1" CI_PIPELINE_SOURCE=merge_request_event \
  KEYGATE="$PWD/.keygate-cache/keygate"
[ $status -eq 2 ] && grep -q "inside the checkout" "$TMP/log.hostile" || { cat "$TMP/log.hostile"; fail "the checkout's keygate ran: $status"; }
printf '#!/bin/sh\nkill -KILL $$\n' > "$TMP/killed"
chmod +x "$TMP/killed"
run_pipeline killed CI_COMMIT_SHA="$c3" CI_MERGE_REQUEST_DIFF_BASE_SHA="$c1" KEYGATE="$TMP/killed"
[ $status -eq 2 ] || { cat "$TMP/log.killed"; fail "keygate killed by SIGKILL: status $status"; }
python3 - "$KEYGATE_SOURCE/ci/gitlab/keygate.gitlab-ci.yml" <<'PY'
import sys, yaml
job = yaml.safe_load(open(sys.argv[1]))["keygate-secret-detection"]
assert "cache" not in job, "a cache inside the project directory can be provided by the scanned commits"
keygate = job["variables"]["KEYGATE"]
assert keygate.startswith("/opt/"), keygate
for line in job["before_script"] + job["script"]:
    assert ".keygate-cache" not in line and "$CI_PROJECT_DIR/" not in line and not line.lstrip().startswith("./"), line
assert any(l.startswith("python3 /opt/keygate/src/") for l in job["script"]), job["script"]
PY
echo ok
