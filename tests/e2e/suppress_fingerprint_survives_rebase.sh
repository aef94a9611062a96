# A .keygateignore fingerprint survives a rebase that moves the line (and rewrites the commit), and a
# squash merge; the same key in another file is still reported. `keygate ignore` writes the entries.
source "$(dirname "$0")/lib.sh"
r="$TMP/repo"; git init -q "$r"
k=$(fake_key 30)
printf 'a\nb\nTEST_KEY="%s"\n' "$k" > "$r/fixture.py"
git -C "$r" add fixture.py && git -C "$r" commit -q -m "test fixture"
"$KEYGATE" history --repo "$r" --no-progress > /dev/null && fail "history found nothing"
(cd "$r" && "$KEYGATE" ignore history > "$TMP/out") || fail "keygate ignore failed"
grep -q "1 fingerprint added" "$TMP/out" || { cat "$TMP/out"; fail "ignore output"; }
grep -q "^together-api-key:fixture.py:" "$r/.keygateignore" || fail ".keygateignore entry"
git -C "$r" add .keygateignore && git -C "$r" commit -q -m "accept the fixture key"
"$KEYGATE" history --repo "$r" --no-progress > "$TMP/out" || { cat "$TMP/out"; fail "ignored finding still reported"; }
# Rebase: a new base commit, the fixture's line moves down, commits get new ids.
git -C "$r" checkout -q -b rewrite HEAD~2 2>/dev/null || git -C "$r" checkout -q --orphan rewrite
git -C "$r" rm -rq --cached . 2>/dev/null || true; rm -f "$r/fixture.py" "$r/.keygateignore"
printf 'x\ny\nz\n' > "$r/other.txt"; git -C "$r" add other.txt; git -C "$r" commit -q -m "new base"
git -C "$r" checkout -q main -- fixture.py .keygateignore
printf 'moved\ndown\nby\nthree\na\nb\nTEST_KEY="%s"\n' "$k" > "$r/fixture.py"
git -C "$r" add -A && git -C "$r" commit -q -m "squashed: fixture and its ignore entry"
"$KEYGATE" history --repo "$r" --no-progress rewrite > "$TMP/out" || { cat "$TMP/out"; fail "fingerprint did not survive the rewrite"; }
"$KEYGATE" scan "$r" > /dev/null 2>&1 || true
(cd "$r" && "$KEYGATE" scan fixture.py > "$TMP/out") || { cat "$TMP/out"; fail "scan reports the ignored key"; }
# The same key in another file is a different finding.
printf 'KEY=%s\n' "$k" > "$r/app.env"
(cd "$r" && "$KEYGATE" scan app.env > "$TMP/out") && fail "the key in another file was ignored too"
exit 0
