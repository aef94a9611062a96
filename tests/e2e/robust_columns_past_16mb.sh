# Issue #23 item 12: columns past 16 MB in a line are absolute. Files are read in 16 MB chunks; a finding
# in a chunk whose first line began in an earlier chunk had its column counted from the chunk's start. A
# key at column 20,000,001 and one at 40,000,019 of one line, and one on the line after it, are reported
# at their columns by `scan` of the file, of stdin, and by the staged hook (which scans a blob in memory).
source "$(dirname "$0")/lib.sh"
cd "$TMP"
k1=$(fake_key 2313)
k2=$(fake_key 2314)
k3=$(fake_key 2315)
python3 - "$k1" "$k2" "$k3" <<'PY'
import sys
k1, k2, k3 = sys.argv[1:]
with open("long.txt", "w") as f:
    f.write("x" * 19999999 + " ")       # k1 starts at column 20,000,001
    f.write(k1 + " ")
    f.write("y" * (20000000 - len(k1) - 1 + 16) + " ")
    f.write(k2 + "\n")                  # k2 at column 40,000,018
    f.write("  " + k3 + "\n")           # line 2, column 3
PY
check() {  # check JSON_FILE
  python3 - "$1" "$k1" "$k2" "$k3" <<'PY'
import json, sys
found = {f["secret"]: (f["line"], f["column"]) for f in json.load(open(sys.argv[1]))}
k1, k2, k3 = sys.argv[2:]
want = {k1: (1, 20000001), k2: (1, 40000018), k3: (2, 3)}
assert found == want, (found, want)
PY
}
"$KEYGATE" scan --format json --show-secrets long.txt > file.json && fail "file: exit 0"
check file.json || fail "file: wrong columns"
"$KEYGATE" scan --format json --show-secrets - < long.txt > stdin.json && fail "stdin: exit 0"
check stdin.json || fail "stdin: wrong columns"
new_repo repo
cp long.txt repo/
git -C repo add long.txt
"$KEYGATE" staged --repo repo --format json --show-secrets > staged.json 2>/dev/null && fail "staged: exit 0"
check staged.json || fail "staged: wrong columns"
