# git commit --no-verify bypasses the hook, as the message says.
source "$(dirname "$0")/lib.sh"
r="$TMP/repo"; new_repo "$r"
printf '%s\n' "$(fake_key 9)" > "$r/k"; git -C "$r" add k
commit_blocked "$r" "blocked"
git -C "$r" commit -q --no-verify -m "bypassed" || fail "--no-verify did not bypass"
