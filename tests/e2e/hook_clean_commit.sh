# A commit without secrets goes through, and the hook says nothing.
source "$(dirname "$0")/lib.sh"
r="$TMP/repo"; new_repo "$r"
echo "hello" > "$r/a.txt"; git -C "$r" add a.txt; commit_ok "$r" one
printf 'sha256 = "%s"\n' "$(printf %064d 7 | tr 0 a)" > "$r/lock"; git -C "$r" add lock; commit_ok "$r" two
[ -s "$TMP/out" ] && { cat "$TMP/out"; fail "the hook printed something on a clean commit"; }
exit 0
