# Issue #23 item 7: a decode bound never makes a scan clean. 1.3 MB of decodable junk before a base64 key
# leaves the key found (each region of a text has its own bound); a file crafted to decode past the bound
# (every token both percent-encoded and HTML-escaped, so each depth doubles it) is an incomplete scan:
# exit 2 with one warning line naming the file, from `scan` and from the staged hook, and --max-decode-depth
# 0 (the documented opt-out) scans it without decoding, exit 0.
source "$(dirname "$0")/lib.sh"
cd "$TMP"
k=$(fake_key 2308)
python3 - "$k" <<'PY'
import base64, sys
k = sys.argv[1]
with open("junk.txt", "w") as f:
    n = 0
    while f.tell() < 1300 * 1024:
        f.write(base64.b64encode(b"decodable junk text number %d, nothing secret in it" % n).decode() + "\n")
        n += 1
    f.write("key: " + base64.b64encode(k.encode()).decode() + "\n")
with open("bomb.txt", "w") as f:
    for i in range(3000):
        f.write("%25" + "25" * 9 + "41&amp;" + "amp;" * 9 + "plaintext%d in the token\n" % i)
PY
"$KEYGATE" scan --format json junk.txt > out.json 2>err.txt && fail "junk.txt: exit 0"
python3 -c 'import json,sys; f = json.load(open("out.json")); assert len(f) == 1 and f[0]["decoded"] == "base64", f'
if grep -q warning err.txt; then cat err.txt; fail "junk.txt: a warning"; fi

rc=0
"$KEYGATE" scan --max-decode-depth 8 bomb.txt > out.txt 2>err.txt || rc=$?
[ "$rc" = 2 ] || { cat err.txt; fail "bomb.txt: exit $rc, not 2"; }
[ "$(wc -l < err.txt)" = 1 ] || { cat err.txt; fail "bomb.txt: not one warning line"; }
grep -q "warning: bomb.txt: decoding stopped at its bound" err.txt || { cat err.txt; fail "the warning does not name the file"; }
"$KEYGATE" scan --max-decode-depth 0 bomb.txt > /dev/null || fail "--max-decode-depth 0: not clean"

# The staged hook (the project config asks for depth 8): the commit is stopped.
new_repo repo
printf '[decode]\nmax_depth = 8\n' > repo/.keygate.toml
cp bomb.txt repo/
git -C repo add bomb.txt .keygate.toml
if git -C repo commit -q -m "decode bomb" > out.txt 2>&1; then cat out.txt; fail "the hook let an incomplete scan through"; fi
grep -q "bomb.txt: decoding stopped at its bound" out.txt || { cat out.txt; fail "the hook did not say why"; }
