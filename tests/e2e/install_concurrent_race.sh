# D11: concurrent `keygate install` runs (and uninstalls) in one repository never lose the user's own hook
# and never leave no hook while saying "installed": a lock file serialises them and every step is atomic.
# 50 rounds of a 4-way race; each round's user hook is different, so a chained keygate hook or an older
# round's hook shows up.
source "$(dirname "$0")/lib.sh"
r="$TMP/repo"; git init -q "$r"
hooks="$r/.git/hooks"
for round in $(seq 1 50); do
  printf '#!/bin/sh\n# the user'"'"'s own hook, round %s\nexit 0\n' "$round" > "$TMP/user-hook"
  cp "$TMP/user-hook" "$hooks/pre-commit"; chmod +x "$hooks/pre-commit"
  pids=()
  for i in 1 2 3 4; do "$KEYGATE" install --repo "$r" >"$TMP/out.$i" 2>&1 & pids+=($!); done
  for i in 1 2 3 4; do wait "${pids[$((i - 1))]}" || { cat "$TMP/out.$i" >&2; fail "round $round: install $i failed"; }; done
  grep -q "installed by keygate" "$hooks/pre-commit" || fail "round $round: no keygate hook after 4 installs"
  [ -x "$hooks/pre-commit" ] || fail "round $round: the hook is not executable"
  cmp -s "$hooks/pre-commit.keygate-chained" "$TMP/user-hook" || fail "round $round: the chained hook is not the user's"
  [ "$(grep -c 'still runs' "$TMP"/out.* | awk -F: '{s += $2} END {print s}')" = 1 ] ||
    { cat "$TMP"/out.* >&2; fail "round $round: the user's hook was chained more or less than once"; }
  [ ! -e "$hooks/keygate-install.lock" ] || fail "round $round: the lock file was left behind"
  pids=()
  for i in 1 2 3 4; do "$KEYGATE" uninstall --repo "$r" >"$TMP/out.$i" 2>&1 & pids+=($!); done
  for i in 1 2 3 4; do wait "${pids[$((i - 1))]}" || { cat "$TMP/out.$i" >&2; fail "round $round: uninstall $i failed"; }; done
  cmp -s "$hooks/pre-commit" "$TMP/user-hook" || fail "round $round: uninstall did not give the user's hook back"
  [ ! -e "$hooks/pre-commit.keygate-chained" ] || fail "round $round: a chained hook is left"
  rm "$hooks/pre-commit"
done
echo ok
