# keygate audit draws a progress line on a terminal (issue #27): repositories done of the total, the one
# being read, and an ETA; nothing of it when stderr is not a terminal.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/audit/repos.sh"
make_repos "$TMP/repos" 3
"$KEYGATE" audit --out "$TMP/a" "$TMP"/repos/repo-* 2>"$TMP/err" >/dev/null || true
[ -s "$TMP/err" ] && { cat "$TMP/err"; fail "progress written to a non-terminal"; }
# script(1) gives keygate a terminal on stderr and keeps what it draws.
rc=0
script -q -e -c "$(printf '%q ' "$KEYGATE" audit --jobs 1 --out "$TMP/b" "$TMP"/repos/repo-*) 2>&1 >/dev/null" \
  "$TMP/terminal" >/dev/null || rc=$?
[ "$rc" -eq 1 ] || fail "audit on a terminal: exit $rc"
grep -aq "0/3 repositories, .*/repos/repo-.*ETA" "$TMP/terminal" || { cat -v "$TMP/terminal"; fail "no progress line"; }
grep -aq "3/3 repositories, done" "$TMP/terminal" || { cat -v "$TMP/terminal"; fail "no final progress line"; }
echo ok
