# Help: `keygate help COMMAND` and `keygate COMMAND --help` print the command's description, options and
# examples; an unknown option or command suggests the nearest one; bare `keygate` prints usage, exit 2.
source "$(dirname "$0")/lib.sh"
commands=$("$KEYGATE" --help | sed -n '/^commands:$/,/^$/s/^  \([a-z-]*\) .*/\1/p')
[ "$(wc -w <<<"$commands")" -ge 13 ] || fail "keygate --help lists too few commands: $commands"
for c in $commands; do
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
# An option of another command is refused, by name, in one line.
"$KEYGATE" install --format json 2>"$TMP/err"; [ $? -eq 2 ] || fail "an option of another command should exit 2"
[ "$(cat "$TMP/err")" = 'keygate: error: option "--format" does not apply to install (see keygate help install)' ] ||
  fail "option of another command: $(cat "$TMP/err")"
set -e
echo ok
