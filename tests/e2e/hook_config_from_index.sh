# The staged check reads .keygate.toml and .keygateignore from the index when it has them: an
# allowlist edited in the work tree but not staged cannot wave a secret through; staged, it can (and is
# then part of the commit, for review).
source "$(dirname "$0")/lib.sh"
r="$TMP/repo"; new_repo "$r"
printf '# project config\n' > "$r/.keygate.toml"
git -C "$r" add .keygate.toml; commit_ok "$r" config
printf 'k=%s\n' "$(fake_key 100)" > "$r/fixture.env"; git -C "$r" add fixture.env
printf '[[allowlists]]\npaths = ["^fixture\\\\.env$"]\n' > "$r/.keygate.toml"
commit_blocked "$r" "allowlist only in the work tree"
git -C "$r" add .keygate.toml
commit_ok "$r" "allowlist staged with the fixture"
# The same for a tracked .keygateignore (an untracked one is read from the work tree).
printf '# accepted findings\n' > "$r/.keygateignore"; git -C "$r" add .keygateignore; commit_ok "$r" "ignore file"
printf 'k=%s\n' "$(fake_key 101)" > "$r/other.env"; git -C "$r" add other.env
"$KEYGATE" staged --repo "$r" --format json > "$TMP/json" && fail "other.env not found"
python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["fingerprint"])' "$TMP/json" >> "$r/.keygateignore"
commit_blocked "$r" "ignore entry only in the work tree"
git -C "$r" add .keygateignore
commit_ok "$r" "ignore entry staged"
