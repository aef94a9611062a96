# Without a chained hook, the hook script hands over to keygate (exec, KEYGATE_HOOK); keygate then says
# itself how to bypass when it fails: on an error (exit 2) and when it dies of a fatal signal.
source "$(dirname "$0")/lib.sh"
r="$TMP/repo"; new_repo "$r"
grep -q 'exec "$KEYGATE"' "$r/.git/hooks/pre-commit" || fail "the hook does not hand over to keygate"
# An error: the advice is keygate's own, word for word what the script prints for a keygate it waits for.
printf '[[rules]]\nid = "x"\nregex = "(unclosed"\n' > "$r/.keygate.toml"
echo a > "$r/a"; git -C "$r" add a .keygate.toml
commit_blocked "$r" "bad config"
grep -q 'the check failed (exit 2), so git is stopped here (pre-commit) rather than let it through' "$TMP/out" ||
  { cat "$TMP/out"; fail "no advice after an error"; }
# A crash: keygate waiting for a pre-receive hook's input dies of SIGSEGV; the advice is printed, and the
# process still dies of that signal (git sees it as a failure).
mkfifo "$TMP/in"
# (Run in the repository as git runs a hook: a hook's keygate takes no options, only git's arguments.)
KEYGATE_HOOK=pre-receive env -C "$r" "$KEYGATE" pre-receive <"$TMP/in" 2>"$TMP/err" &
pid=$!
exec 3>"$TMP/in"  # the writer: keygate starts, then waits for input
# Wait until the process is keygate (not the shell before exec), asleep reading.
exe=$(readlink -f "$KEYGATE")
for _ in $(seq 200); do
  if [ "$(readlink -f "/proc/$pid/exe" 2>/dev/null)" = "$exe" ] &&
    [ "$(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null)" = S ]; then break; fi
  sleep 0.05
done
sleep 0.2
kill -SEGV "$pid"
status=0; wait "$pid" 2>/dev/null || status=$?
exec 3>&-
[ "$status" -eq $((128 + 11)) ] || { cat "$TMP/err"; fail "keygate did not die of SIGSEGV (status $status)"; }
grep -q 'the check failed (signal 11), so git is stopped here (pre-receive)' "$TMP/err" ||
  { cat "$TMP/err"; fail "no advice after a crash"; }
grep -q 'bypass once with: git push -o keygate.skip' "$TMP/err" || { cat "$TMP/err"; fail "no bypass named"; }
# Outside a hook (no KEYGATE_HOOK), an error prints no hook advice.
status=0; "$KEYGATE" staged --repo "$r" 2>"$TMP/err" >/dev/null || status=$?
[ "$status" -eq 2 ] || fail "expected exit 2, got $status"
if grep -q 'so git is stopped here' "$TMP/err"; then fail "hook advice outside a hook"; fi
echo ok
