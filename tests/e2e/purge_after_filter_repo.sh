#!/usr/bin/env bash
# Issue #26 (purge and proof): leak -> `keygate history` finds -> `keygate purge` plans (0600 files, every
# encoding) -> the real `git filter-repo --replace-text` rewrites -> `purge --check` says what is left
# (reflogs, old objects: filter-repo --partial skips its own clean-up) and exits 1 -> the clean-up commands it
# names -> `purge --check` exits 0, `keygate history` is clean, and the triage (.keygateignore, a --baseline
# report made before the rewrite) still holds although every commit id changed.
source "$(dirname "$0")/lib.sh"
command -v git-filter-repo >/dev/null || { echo "git-filter-repo missing: skipped"; exit 0; }
r="$TMP/r"
git init -q "$r"
key=$(fake_key 2601)
encoded_key=$(fake_key 2602)
accepted=$(fake_key 2603)
message_key=$(fake_key 2604)
echo "hello" >"$r/README" && git -C "$r" add README && git -C "$r" commit -q -m start
printf 'TOGETHER_API_KEY=%s\n' "$key" >"$r/.env"
printf 'blob: %s\n' "$(printf 'TOGETHER_API_KEY=%s' "$encoded_key" | base64 -w0)" >"$r/config.yml"
printf 'EXAMPLE_KEY=%s\n' "$accepted" >"$r/example.env"
git -C "$r" add .env config.yml example.env && git -C "$r" commit -q -m "add config"
git -C "$r" rm -q .env config.yml && git -C "$r" commit -q -m "remove the keys"
git -C "$r" tag -a v1 -m "release (deploy key $message_key)"
# The triage a team made before: a baseline report of every finding, and one accepted in .keygateignore.
set +e; "$KEYGATE" history --repo "$r" --format json >"$TMP/baseline.json"; rc=$?; set -e
[ "$rc" = 1 ] || fail "history before the purge: exit $rc, not 1"
(cd "$r" && "$KEYGATE" ignore history >/dev/null)
grep -q "example.env" "$r/.keygateignore" || { cat "$r/.keygateignore"; fail "ignore did not record example.env"; }
grep "example.env" "$r/.keygateignore" >"$TMP/keep" && mv "$TMP/keep" "$r/.keygateignore"
git -C "$r" add .keygateignore && git -C "$r" commit -q -m "accept the example key"

# purge_plan: three secrets (the accepted one is not purged), the base64 form and the tag message's
# included; files 0600.
(cd "$r" && "$KEYGATE" purge) >"$TMP/plan" 2>&1 || { cat "$TMP/plan"; fail "purge failed"; }
expr="$r/.git/keygate/purge-expressions.txt"
grep -q "3 secrets" "$TMP/plan" || { cat "$TMP/plan"; fail "purge did not plan three secrets"; }
grep -q "0600" "$TMP/plan" || fail "purge did not say the files are private"
grep -q "reflog expire --expire=now --all" "$TMP/plan" || fail "no checklist"
grep -q "push --force" "$TMP/plan" || fail "checklist without the force-push"
assert_no_key "$TMP/plan" "$key"
[ "$(stat -c %a "$expr")" = 600 ] || fail "expressions file is not 0600"
[ "$(stat -c %a "$r/.git/keygate/purge-bfg.txt")" = 600 ] || fail "BFG file is not 0600"
grep -qF "literal:$key==>" "$expr" || fail "the raw key is not in the expressions"
grep -qF "$(printf 'TOGETHER_API_KEY=%s' "$encoded_key" | base64 -w0)" "$expr" || fail "the base64 form is missing"
if grep -qF "$accepted" "$expr"; then fail "the accepted finding was planned for purging"; fi

# purge_check_before: everything is still there.
set +e; "$KEYGATE" purge --check --repo "$r" >"$TMP/check" 2>&1; rc=$?; set -e
[ "$rc" = 1 ] || { cat "$TMP/check"; fail "check before the rewrite: exit $rc, not 1"; }
grep -q "reachable from refs/heads/main" "$TMP/check" || { cat "$TMP/check"; fail "check did not name the branch"; }
assert_no_key "$TMP/check" "$key"

# purge_rewrite: the real git filter-repo, without its own clean-up (--partial), leaves the old objects.
git -C "$r" filter-repo --partial --force --replace-text "$expr" --replace-message "$expr" >"$TMP/fr" 2>&1 ||
  { cat "$TMP/fr"; fail "git filter-repo failed"; }
set +e; "$KEYGATE" purge --check --repo "$r" >"$TMP/check" 2>&1; rc=$?; set -e
[ "$rc" = 1 ] || { cat "$TMP/check"; fail "check after a partial rewrite: exit $rc, not 1"; }
grep -q "reflog" "$TMP/check" || { cat "$TMP/check"; fail "check did not name the reflog"; }
grep -q "git reflog expire --expire=now --all" "$TMP/check" || { cat "$TMP/check"; fail "no remedy named"; }
if grep -q "reachable from refs/heads/main" "$TMP/check"; then cat "$TMP/check"; fail "main still holds it"; fi

# purge_cleanup: the commands it named, then the proof.
git -C "$r" reflog expire --expire=now --all
git -C "$r" gc -q --prune=now 2>"$TMP/gc"  # git warns about filter-repo's replace ref of the tag
"$KEYGATE" purge --check --repo "$r" >"$TMP/check" 2>&1 || { cat "$TMP/check"; fail "check after clean-up failed"; }
grep -q "none of" "$TMP/check" || fail "no verdict printed"

# purge_keeps_triage: history is clean (the replacement is no finding, the accepted key still accepted),
# and the report made before the rewrite still works as a baseline.
"$KEYGATE" history --repo "$r" >"$TMP/out" 2>&1 || { cat "$TMP/out"; fail "history after the purge is not clean"; }
git -C "$r" rm -q .keygateignore && git -C "$r" commit -q -m "triage by the baseline alone"
"$KEYGATE" history --repo "$r" --baseline "$TMP/baseline.json" >"$TMP/out" 2>&1 ||
  { cat "$TMP/out"; fail "the baseline made before the rewrite no longer matches"; }
printf 'EXAMPLE_KEY=%s\n' "$accepted" >"$r/example2.env"
git -C "$r" add example2.env && git -C "$r" commit -q -m "the accepted key elsewhere"
set +e; "$KEYGATE" history --repo "$r" --baseline "$TMP/baseline.json" >"$TMP/out" 2>&1; rc=$?; set -e
[ "$rc" = 1 ] || { cat "$TMP/out"; fail "a new place of a key must still be reported (exit $rc)"; }
grep -q "example2.env" "$TMP/out" || { cat "$TMP/out"; fail "the new place was not the finding"; }
if grep -q "example.env:" "$TMP/out"; then cat "$TMP/out"; fail "the baselined finding came back after the rewrite"; fi
echo "keygate-e2e: purge_after_filter_repo ok"
