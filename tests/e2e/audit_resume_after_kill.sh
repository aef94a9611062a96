# keygate audit (issue #27): one result file per repository; killed part-way (SIGKILL, at several points), a
# rerun skips the repositories already complete for the same refs and finishes the rest, and the merged
# report equals that of an audit that was never interrupted. A changed repository is read again.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/audit/repos.sh"
make_repos "$TMP/repos" 16
ls -d "$TMP"/repos/repo-* >"$TMP/list"
export KEYGATE_AUDIT_KEY=00112233445566778899aabbccddeeff

# The reference: one uninterrupted run.
rc=0; "$KEYGATE" audit --out "$TMP/clean" --list "$TMP/list" >"$TMP/out" 2>&1 || rc=$?
[ "$rc" -eq 1 ] || { cat "$TMP/out"; fail "audit exit $rc, expected 1 (incidents)"; }
[ "$(ls "$TMP/clean"/*.json | wc -l)" -eq 16 ] || fail "not one result file per repository"
for f in "$TMP/clean"/*.json; do assert_no_key "$f" "$(fake_key 1000)"; done
"$KEYGATE" report merge --format json "$TMP/clean" >"$TMP/clean.json" || [ $? -eq 1 ] || fail "merge failed"
grep -q '"status": "ok"' "$TMP/clean.json" || fail "no ok repository in the merged report"
[ "$(grep -c '"id":' "$TMP/clean.json")" -eq 17 ] || fail "expected 17 incidents (one shared key, 16 own)"

# Killed at several points: after the first result, after about half, and at once.
killed_mid_run=0
for stop_after in 1 8 0; do
  rm -rf "$TMP/run"
  "$KEYGATE" audit --jobs 1 --out "$TMP/run" --list "$TMP/list" >/dev/null 2>&1 &
  pid=$!
  for _ in $(seq 1 400); do
    # (The output directory may not exist yet: find fails, which pipefail would make fatal.)
    n=$( (find "$TMP/run" -name '*repo-*.json' 2>/dev/null || true) | wc -l)
    [ "$n" -ge "$stop_after" ] && break
    sleep 0.01
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  before=$( (find "$TMP/run" -name '*repo-*.json' 2>/dev/null || true) | wc -l)
  [ "$before" -gt 0 ] && [ "$before" -lt 16 ] && killed_mid_run=1
  rc=0; "$KEYGATE" audit --out "$TMP/run" --list "$TMP/list" >"$TMP/out" 2>&1 || rc=$?
  [ "$rc" -eq 1 ] || { cat "$TMP/out"; fail "resumed audit exit $rc"; }
  grep -q "($((16 - before)) scanned, $before up to date, 0 failed" "$TMP/out" ||
    { cat "$TMP/out"; fail "the rerun did not skip the $before finished repositories"; }
  "$KEYGATE" report merge --format json "$TMP/run" >"$TMP/run.json" || true
  diff <(json_without_generated "$TMP/clean.json") <(json_without_generated "$TMP/run.json") ||
    fail "a resumed audit (killed after $before results) differs from an uninterrupted one"
done

[ "$killed_mid_run" -eq 1 ] || fail "no kill landed between two repositories"

# A repository with a new commit is read again; the others are up to date.
printf 'k=%s\n' "$(fake_key 2000)" >"$TMP/repos/repo-03/new.env"
git -C "$TMP/repos/repo-03" add new.env && git -C "$TMP/repos/repo-03" commit -q -m "new key"
"$KEYGATE" audit --out "$TMP/run" --list "$TMP/list" >"$TMP/out" 2>&1 || true
grep -q "(1 scanned, 15 up to date" "$TMP/out" || { cat "$TMP/out"; fail "the changed repository was not read again"; }
"$KEYGATE" report merge --format json "$TMP/run" >"$TMP/run.json" || true
[ "$(grep -c '"id":' "$TMP/run.json")" -eq 18 ] || fail "the new key is not in the report"
echo ok
