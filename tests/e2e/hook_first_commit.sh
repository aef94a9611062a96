# The very first commit (no HEAD yet) is checked against the empty tree.
source "$(dirname "$0")/lib.sh"
r="$TMP/repo"; new_repo "$r"
k=$(fake_key 1)
printf 'TOGETHER_API_KEY=%s\n' "$k" > "$r/.env"
git -C "$r" add .env
commit_blocked "$r" "first"
grep -q ".env:1:18: together-api-key" "$TMP/out" || fail "finding not reported with its place"
assert_no_key "$TMP/out" "$k"
git -C "$r" rev-parse -q --verify HEAD >/dev/null && fail "a commit was created"
echo "TOGETHER_API_KEY=\${TOGETHER_API_KEY}" > "$r/.env"
git -C "$r" add .env
commit_ok "$r" "first, clean"
