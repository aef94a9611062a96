# Issue 29: options anywhere on the line (`keygate scan . --format json`), `--` ends them, and a file named
# like an option that a real shell glob puts on the line is refused (exit 2) instead of obeyed (E16).
source "$(dirname "$0")/lib.sh"
cd "$TMP"
mkdir d
k=$(fake_key 29)
printf 'key: "%s"\n' "$k" > d/a.yaml
cd d
status=0; "$KEYGATE" scan . --format json > ../json.out 2>../err || status=$?
[ "$status" -eq 1 ] || { cat ../err >&2; fail "scan . --format json: exit $status, not 1"; }
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d[0]["file"].endswith("a.yaml"), d' ../json.out \
  || fail "scan . --format json did not write a JSON report of ."
assert_no_key ../json.out "$k"
# A glob that expands to a file called --show-secrets: refused, whatever its place, nothing printed whole.
: > ./--show-secrets
: > ./zz--format
status=0; "$KEYGATE" scan * > ../glob.out 2>../err || status=$?
[ "$status" -eq 2 ] || fail "scan * with a file named --show-secrets: exit $status, not 2"
assert_no_key ../glob.out "$k"
grep -q '"--show-secrets" is both an option and a file here' ../err || fail "no reason: $(cat ../err)"
[ "$(wc -l < ../err)" -eq 1 ] || fail "the refusal is not one line: $(cat ../err)"
# The ways out it names: -- before the glob, or ./NAME.
status=0; "$KEYGATE" scan -- * > ../dashdash.out 2>../err || status=$?
[ "$status" -eq 1 ] || { cat ../err >&2; fail "scan -- *: exit $status, not 1"; }
assert_no_key ../dashdash.out "$k"
status=0; "$KEYGATE" scan ./* > ../dotslash.out 2>../err || status=$?
[ "$status" -eq 1 ] || { cat ../err >&2; fail "scan ./*: exit $status, not 1"; }
assert_no_key ../dotslash.out "$k"
# --help from a glob must not end the scan with exit 0 either.
rm ./--show-secrets; : > ./--help
status=0; "$KEYGATE" scan * > /dev/null 2>../err || status=$?
[ "$status" -eq 2 ] || fail "scan * with a file named --help: exit $status, not 2"
echo ok
