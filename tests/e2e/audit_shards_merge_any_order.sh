# keygate audit sharded (issue #27): --shard I/N and the job engines' variables (Slurm, Kubernetes Indexed
# Jobs, GitLab parallel) pick the same stable shares, which cover every repository once; `report merge` of
# the shards, in every order and grouping, gives the same bytes, equal to an unsharded audit's; results made
# with another key are refused, naming both files.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/audit/repos.sh"
make_repos "$TMP/repos" 9
ls -d "$TMP"/repos/repo-* >"$TMP/list"
export KEYGATE_AUDIT_KEY=0123456789abcdef0123456789abcdef
audit() { "$KEYGATE" audit --no-progress --list "$TMP/list" "$@" >/dev/null 2>"$TMP/err" || [ $? -eq 1 ] || { cat "$TMP/err"; fail "audit $*"; }; }
members() { ls "$1" | sort | tr '\n' ' '; }

audit --out "$TMP/all"
for i in 0 1 2; do audit --out "$TMP/s$i" --shard "$i/3"; done
[ "$(cat "$TMP"/s*/*.json | grep -c '"name":')" -eq 9 ] || fail "the shards do not hold 9 repositories"
[ "$(ls "$TMP"/s*/ | grep -c json)" -eq "$(ls "$TMP"/s*/ | grep json | sort -u | wc -l)" ] || fail "a repository in two shards"
[ "$(ls "$TMP"/s0/*.json | wc -l)" -ge 2 ] && [ "$(ls "$TMP"/s0/*.json | wc -l)" -le 4 ] || fail "shard 0 is unbalanced"

# The engines' variables pick the same shares as --shard.
SLURM_ARRAY_TASK_ID=11 SLURM_ARRAY_TASK_MIN=10 SLURM_ARRAY_TASK_COUNT=3 audit --out "$TMP/slurm1"
[ "$(members "$TMP/slurm1")" = "$(members "$TMP/s1")" ] || fail "Slurm's task 11 of 10-12 is not shard 1/3"
JOB_COMPLETION_INDEX=2 audit --out "$TMP/k8s2" --shards 3
[ "$(members "$TMP/k8s2")" = "$(members "$TMP/s2")" ] || fail "JOB_COMPLETION_INDEX=2 is not shard 2/3"
CI_NODE_INDEX=1 CI_NODE_TOTAL=3 audit --out "$TMP/gl0"
[ "$(members "$TMP/gl0")" = "$(members "$TMP/s0")" ] || fail "GitLab's CI_NODE_INDEX=1 is not shard 0/3"
rc=0; JOB_COMPLETION_INDEX=0 "$KEYGATE" audit --out "$TMP/x" --list "$TMP/list" 2>"$TMP/err" || rc=$?
[ "$rc" -eq 2 ] && grep -q -- "--shards" "$TMP/err" || fail "an Indexed Job without its count"

# Merged in every order, the shards give the same bytes; grouped (a merge of merges) too.
"$KEYGATE" report merge --format json "$TMP/all" >"$TMP/all.json" || true
for order in "0 1 2" "0 2 1" "1 0 2" "1 2 0" "2 0 1" "2 1 0"; do
  set -- $order
  "$KEYGATE" report merge --format json "$TMP/s$1" "$TMP/s$2" "$TMP/s$3" >"$TMP/m-$1$2$3.json" || true
  cmp -s "$TMP/m-012.json" "$TMP/m-$1$2$3.json" || fail "merge order $order changed the report"
done
"$KEYGATE" report merge --format json "$TMP/s2" "$TMP/s0" >"$TMP/m20.json" || true
"$KEYGATE" report merge --format json "$TMP/s1" "$TMP/m20.json" >"$TMP/grouped.json" || true
cmp -s "$TMP/m-012.json" "$TMP/grouped.json" || fail "merging a merge changed the report"
"$KEYGATE" report merge --format json "$TMP/m-012.json" "$TMP/s1" "$TMP/m-012.json" >"$TMP/again.json" || true
cmp -s "$TMP/m-012.json" "$TMP/again.json" || fail "merging the same results twice changed the report"
diff <(json_without_generated "$TMP/all.json") <(json_without_generated "$TMP/m-012.json") >/dev/null ||
  fail "the merged shards differ from the unsharded audit"
grep -q '"places": \[' "$TMP/m-012.json" && [ "$(grep -c '"id":' "$TMP/m-012.json")" -eq 10 ] || fail "expected 10 incidents"
for f in sarif gitlab text; do
  "$KEYGATE" report merge --format "$f" "$TMP/s0" "$TMP/s1" "$TMP/s2" >"$TMP/m.$f" || [ $? -eq 1 ] || fail "--format $f"
  assert_no_key "$TMP/m.$f" "$(fake_key 1000)"
done
python3 -c 'import json, sys; [json.load(open(f)) for f in sys.argv[1:]]' "$TMP/m.sarif" "$TMP/m.gitlab" || fail "bad JSON"

# Another key: its results cannot be merged with these.
KEYGATE_AUDIT_KEY=ffeeddccbbaa99887766554433221100 audit --out "$TMP/other"
rc=0; "$KEYGATE" report merge "$TMP/s0" "$TMP/other" >/dev/null 2>"$TMP/err" || rc=$?
[ "$rc" -eq 2 ] && grep -q "different audit keys" "$TMP/err" || { cat "$TMP/err"; fail "merge of two keys"; }
echo '{"schema": "keygate-incidents/1"' >"$TMP/bad.json"
rc=0; "$KEYGATE" report merge "$TMP/bad.json" 2>"$TMP/err" || rc=$?
[ "$rc" -eq 2 ] && [ "$(wc -l <"$TMP/err")" -eq 1 ] && grep -q "bad.json: not a keygate incidents file" "$TMP/err" ||
  { cat "$TMP/err"; fail "a bad file is not a one-line error naming it"; }
echo ok
