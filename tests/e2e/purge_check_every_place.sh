#!/usr/bin/env bash
# Issue #26 (proof): `keygate purge --check` finds a purged secret wherever it survives, names the place and
# the command that removes it, and passes once that command ran: an object never committed (unreachable,
# loose), the stash and an older stash, notes, refs/original, refs/replace, the index (a linked worktree's
# too), a file git left in .git, an alternate object store; a partial clone's missing objects make it
# incomplete (exit 2), never clean. Also: `purge --rewrite` refuses a dirty work tree and otherwise runs git filter-repo.
source "$(dirname "$0")/lib.sh"
export LSAN_OPTIONS="suppressions=$KEYGATE_SOURCE/tests/e2e/push/libgit2-leaks.supp"
export ASAN_OPTIONS="${ASAN_OPTIONS:-}${ASAN_OPTIONS:+:}fast_unwind_on_malloc=0"
r="$TMP/r"
git init -q "$r"
key=$(fake_key 2611)
echo "hello" >"$r/README" && git -C "$r" add README && git -C "$r" commit -q -m start
printf 'literal:%s==>REDACTED-BY-KEYGATE\n' "$key" >"$TMP/expr.txt"
chmod 600 "$TMP/expr.txt"

# check EXPECTED-EXIT PATTERN...: runs purge --check; each pattern must be in its output.
check() {
  local want=$1; shift
  set +e; "$KEYGATE" purge --check --repo "$r" --from "$TMP/expr.txt" >"$TMP/check" 2>&1; local rc=$?; set -e
  [ "$rc" = "$want" ] || { cat "$TMP/check"; fail "purge --check: exit $rc, not $want"; }
  for p in "$@"; do grep -qF -- "$p" "$TMP/check" || { cat "$TMP/check"; fail "purge --check did not say: $p"; }; done
  assert_no_key "$TMP/check" "$key"
}
check 0 "none of 1 form"

# purge_check_unreachable_loose: written to the object database, never committed.
printf 'KEY=%s\n' "$key" | git -C "$r" hash-object -w --stdin >/dev/null
check 1 "unreachable, loose" "git gc --prune=now"
git -C "$r" gc -q --prune=now
check 0

# purge_check_stash: a stash and an older stash (the reflog of refs/stash).
printf 'KEY=%s\n' "$key" >>"$r/README" && git -C "$r" stash -q
echo "other" >>"$r/README" && git -C "$r" stash -q
check 1 "reachable from an older stash" "git stash clear"
git -C "$r" stash clear
git -C "$r" reflog expire --expire=now --all && git -C "$r" gc -q --prune=now
check 0

# purge_check_notes: a note on a commit.
git -C "$r" notes add -m "deploy with $key" HEAD
check 1 "reachable from refs/notes/commits"
git -C "$r" update-ref -d refs/notes/commits
git -C "$r" reflog expire --expire=now --all && git -C "$r" gc -q --prune=now
check 0

# purge_check_refs_original_and_replace: what filter-branch keeps, and a replace ref.
echo "y" >>"$r/README" && printf 'KEY=%s\n' "$key" >"$r/old.env" && git -C "$r" add old.env README
git -C "$r" commit -q -m "old"
git -C "$r" update-ref refs/original/refs/heads/main HEAD
git -C "$r" reset -q --hard HEAD~1
check 1 "reachable from refs/original/refs/heads/main" "git update-ref -d refs/original/refs/heads/main"
old=$(git -C "$r" rev-parse refs/original/refs/heads/main)
git -C "$r" update-ref -d refs/original/refs/heads/main
head=$(git -C "$r" rev-parse HEAD)
git -C "$r" replace "$head" "$old"
check 1 "reachable from refs/replace/$head" "git replace -d $head"
git -C "$r" replace -d "$head" >/dev/null
git -C "$r" reflog expire --expire=now --all && git -C "$r" gc -q --prune=now
check 0

# purge_check_index: staged, never committed.
printf 'KEY=%s\n' "$key" >"$r/staged.env" && git -C "$r" add staged.env
check 1 "in the index (staged as staged.env)" "git rm --cached"
git -C "$r" rm -q --cached staged.env && rm "$r/staged.env"
git -C "$r" gc -q --prune=now
check 0

# purge_check_worktree_index: staged in a linked worktree's index (git gc keeps it: not "unreachable").
git -C "$r" worktree add -q "$TMP/wt" -b side
printf 'KEY=%s\n' "$key" >"$TMP/wt/wt.env" && git -C "$TMP/wt" add wt.env
check 1 "in the index of worktree wt (staged as wt.env)"
git -C "$TMP/wt" rm -q --cached wt.env && rm "$TMP/wt/wt.env"
git -C "$r" gc -q --prune=now
check 0
git -C "$r" worktree remove "$TMP/wt" && git -C "$r" branch -q -D side

# purge_check_git_dir_files: a commit message git keeps in .git/COMMIT_EDITMSG after the commit is gone.
echo "x" >>"$r/README" && git -C "$r" commit -q -am "rotate $key"
git -C "$r" reset -q --hard HEAD~1
check 1 "reachable only from the reflog of" "file $r/.git/COMMIT_EDITMSG"
git -C "$r" reflog expire --expire=now --all && git -C "$r" gc -q --prune=now && rm "$r/.git/COMMIT_EDITMSG"
check 0

# purge_check_partial_clone: missing objects make the proof incomplete.
git -C "$r" config uploadpack.allowFilter true
echo "v2" >"$r/README" && git -C "$r" commit -q -am v2
git clone -q --no-checkout --filter=blob:none "file://$r" "$TMP/partial"
set +e; "$KEYGATE" purge --check --repo "$TMP/partial" --from "$TMP/expr.txt" >"$TMP/out" 2>&1; rc=$?; set -e
[ "$rc" = 2 ] || { cat "$TMP/out"; fail "partial clone: exit $rc, not 2"; }
grep -q "incomplete" "$TMP/out" && grep -q "partial clone" "$TMP/out" || { cat "$TMP/out"; fail "missing not named"; }

# purge_check_alternates: a clone that borrows objects (objects/info/alternates) is checked with them.
printf 'KEY=%s\n' "$key" | git -C "$r" hash-object -w --stdin >/dev/null
git clone -q --shared "$r" "$TMP/shared"
set +e; "$KEYGATE" purge --check --repo "$TMP/shared" --from "$TMP/expr.txt" >"$TMP/out" 2>&1; rc=$?; set -e
[ "$rc" = 1 ] && grep -q "unreachable, in an alternate object store" "$TMP/out" ||
  { cat "$TMP/out"; fail "alternates: exit $rc"; }
git -C "$r" gc -q --prune=now
"$KEYGATE" purge --check --repo "$TMP/shared" --from "$TMP/expr.txt" >"$TMP/out" 2>&1 || { cat "$TMP/out"; fail "alternates after gc"; }

# purge_rewrite_refuses_dirty_tree, then rewrites with git filter-repo.
command -v git-filter-repo >/dev/null || { echo "git-filter-repo missing: rest skipped"; exit 0; }
printf 'KEY=%s\n' "$key" >"$r/leak.env" && git -C "$r" add leak.env && git -C "$r" commit -q -m leak
echo "edit" >>"$r/README"
set +e; (cd "$r" && "$KEYGATE" purge --rewrite) >"$TMP/out" 2>&1; rc=$?; set -e
[ "$rc" = 2 ] && grep -q "work tree has changes" "$TMP/out" || { cat "$TMP/out"; fail "--rewrite on a dirty tree: exit $rc"; }
git -C "$r" checkout -q README
(cd "$r" && "$KEYGATE" purge --rewrite) >"$TMP/out" 2>&1 || { cat "$TMP/out"; fail "purge --rewrite failed"; }
git -C "$r" show HEAD:leak.env | grep -q "REDACTED-BY-KEYGATE" || fail "--rewrite did not replace the key"
"$KEYGATE" purge --check --repo "$r" >"$TMP/out" 2>&1 || { cat "$TMP/out"; fail "check after --rewrite"; }
echo "keygate-e2e: purge_check_every_place ok"
