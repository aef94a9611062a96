# Issue #23 item 7: wrapped base64 is joined. `printf 'TOGETHER_API_KEY=%s\n' K | base64` (76 columns), the
# same at 64, 40 and 41 columns, a YAML block scalar (`env: |` and indented lines) and a list of quoted
# lines are each reported as together-api-key, decoded from base64, at the first line of the run; the
# staged hook blocks the 76-column one.
source "$(dirname "$0")/lib.sh"
cd "$TMP"
k=$(fake_key 2307)
mkdir src
printf 'TOGETHER_API_KEY=%s\n' "$k" | base64 > src/w76.b64
for w in 64 40 41; do { echo "# wrapped at $w"; printf 'TOGETHER_API_KEY=%s\n' "$k" | base64 -w "$w"; } > "src/w$w.txt"; done
{
  printf 'apiVersion: v1\nkind: ConfigMap\ndata:\n  env: |\n'
  printf 'LOG_LEVEL=debug\nTOGETHER_API_KEY=%s\nREGION=eu-west-1\n' "$k" | base64 -w 60 | sed 's/^/    /'
} > src/block.yaml
{
  echo 'lines = ['
  printf 'TOGETHER_API_KEY=%s\n' "$k" | base64 -w 32 | sed 's/.*/  "&",/'
  echo ']'
} > src/list.py
"$KEYGATE" scan --format json src > out.json && fail "exit 0 with wrapped base64 keys"
assert_no_key out.json "$k"
python3 - out.json <<'PY'
import json, sys
found = {f["file"]: f for f in json.load(open(sys.argv[1]))}
want = {"src/w76.b64": 1, "src/w64.txt": 2, "src/w40.txt": 2, "src/w41.txt": 2, "src/block.yaml": 5,
        "src/list.py": 2}
assert set(found) == set(want), sorted(found)
for name, line in want.items():
    f = found[name]
    assert f["rule"] == "together-api-key" and f["decoded"] == "base64", f
    assert f["line"] == line, (name, f["line"])
PY
new_repo repo
cp src/w76.b64 repo/
git -C repo add w76.b64
commit_blocked repo "wrapped base64 key"
