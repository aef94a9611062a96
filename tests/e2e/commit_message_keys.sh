# Commit messages (issue #11): `history` reports a key in a commit message or an annotated tag's message,
# attributed to that commit; `keygate commit-msg FILE` (the commit-msg hook) blocks a message with a key,
# ignores git's '#' comment lines, and says how to bypass.
source "$(dirname "$0")/lib.sh"
cd "$TMP"
k=$(fake_key 81)
k2=$(fake_key 82)
git init -q repo
echo a > repo/a.txt
git -C repo add a.txt
git -C repo commit -q -m "first"
echo b >> repo/a.txt
git -C repo commit -q -am "rotate the key

the old one was $k, revoked"
bad=$(git -C repo rev-parse HEAD)
git -C repo tag -a v1 -m "release with $(printf %s "$k2" | base64 -w0)"
"$KEYGATE" history --repo repo --format json > out.json && fail "history exit 0 with a key in a message"
assert_no_key out.json "$k"
python3 - out.json "$bad" <<'PY'
import json, sys
found = json.load(open(sys.argv[1]))
assert len(found) == 2, found
by_kind = {f["kind"]: f for f in found}
c = by_kind["commit-message"]
assert c["rule"] == "together-api-key" and c["file"] == "" and c["commit"] == sys.argv[2] and c["line"] == 3, c
t = by_kind["tag-message"]
assert t["rule"] == "together-api-key" and t["commit"] == sys.argv[2] and t["decoded"] == "base64", t
PY
"$KEYGATE" history --repo repo > out.txt || true
grep -q "^commit ${bad:0:12} message:3:" out.txt || { cat out.txt; fail "text report does not name the commit message"; }
"$KEYGATE" history --repo repo --format sarif > out.sarif || true
grep -q '"logicalLocations"' out.sarif || fail "SARIF without a logical location"

# The commit-msg command, as git's commit-msg hook runs it.
printf 'fix things\n\n# key %s in a comment is stripped by git\n' "$k" > msg
"$KEYGATE" commit-msg msg > out.txt || { cat out.txt; fail "a key in a comment line blocked the commit"; }
printf 'fix things\n\nkey: %s\n' "$k" > msg
"$KEYGATE" commit-msg msg > out.txt && fail "commit-msg exit 0 with a key"
grep -q "^commit message:3:" out.txt || { cat out.txt; fail "commit-msg did not name the line"; }
grep -q -- "--no-verify" out.txt || fail "commit-msg did not say how to bypass"
assert_no_key out.txt "$k"
rc=0
"$KEYGATE" commit-msg missing-file 2>err.txt || rc=$?
[ "$rc" = 2 ] && grep -q "missing-file" err.txt || fail "an unreadable message file is not exit 2 naming it"

# Through a real `git commit` with the hook entry keygate's installer is to write.
printf '#!/bin/sh\nexec "%s" commit-msg "$1"\n' "$KEYGATE" > repo/.git/hooks/commit-msg
chmod +x repo/.git/hooks/commit-msg
echo c >> repo/a.txt
git -C repo add a.txt
commit_blocked repo "oops $k"
commit_ok repo "a clean message"
