# An internal error blocks the commit and says how to bypass: a broken config, a missing binary.
source "$(dirname "$0")/lib.sh"
r="$TMP/repo"; new_repo "$r"
printf '[[rules]]\nid = "x"\nregex = "(unclosed"\n' > "$r/.keygate.toml"
echo a > "$r/a"; git -C "$r" add a
commit_blocked "$r" "bad config"
grep -q 'keygate.toml:3: rule "x": invalid regex' "$TMP/out" || { cat "$TMP/out"; fail "error does not name the place"; }
rm "$r/.keygate.toml"
# The hook records the binary's path at install time; when it is gone (and none is on PATH) it blocks.
"$KEYGATE" uninstall --repo "$r" >/dev/null
cp "$KEYGATE" "$TMP/kg-copy"
"$TMP/kg-copy" install --repo "$r" >/dev/null
rm "$TMP/kg-copy"
PATH=/usr/bin:/bin commit_blocked "$r" "missing binary"
grep -q "binary is missing" "$TMP/out" || { cat "$TMP/out"; fail "missing binary not explained"; }
