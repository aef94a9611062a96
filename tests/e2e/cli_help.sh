# Help: `keygate help COMMAND` and `keygate COMMAND --help` print the command's description, options and
# examples; an unknown option or command suggests the nearest one; bare `keygate` prints usage, exit 2.
source "$(dirname "$0")/lib.sh"
for c in staged scan history commit-msg ignore pre-push pre-receive redact install uninstall rules version; do
  "$KEYGATE" help "$c" >"$TMP/a" || fail "help $c"
  "$KEYGATE" "$c" --help >"$TMP/b" || fail "$c --help"
  cmp -s "$TMP/a" "$TMP/b" || fail "help $c and $c --help differ"
  grep -q "^usage: keygate $c" "$TMP/a" || fail "help $c: no usage line"
  grep -q "^examples:" "$TMP/a" || fail "help $c: no examples"
done
grep -q -- "--since-commit" <("$KEYGATE" help history) || fail "history help lacks --since-commit"
"$KEYGATE" --help | grep -q "^commands:" || fail "--help"
set +e
"$KEYGATE" >/dev/null; [ $? -eq 2 ] || fail "bare keygate should exit 2"
"$KEYGATE" scan --sho-secrets . 2>"$TMP/err"; [ $? -eq 2 ] || fail "typo option should exit 2"
grep -q 'did you mean "--show-secrets"' "$TMP/err" || fail "no suggestion: $(cat "$TMP/err")"
"$KEYGATE" histroy 2>"$TMP/err"; grep -q 'did you mean "history"' "$TMP/err" || fail "no command suggestion"
"$KEYGATE" help nosuch 2>"$TMP/err"; [ $? -eq 2 ] || fail "help of an unknown command should exit 2"
"$KEYGATE" scan --zzzzzzzzzz 2>"$TMP/err"; grep -q "did you mean" "$TMP/err" && fail "suggested a far name"
set -e
echo ok
