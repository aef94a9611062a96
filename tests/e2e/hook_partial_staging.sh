# Only the index counts: a key staged and then removed from the work tree is blocked; a key only in the
# work tree (not staged) passes. Both with `git add -p`-style partial staging of one file.
source "$(dirname "$0")/lib.sh"
r="$TMP/repo"; new_repo "$r"
printf 'a\nb\nc\n' > "$r/f.py"; git -C "$r" add f.py; commit_ok "$r" base
k=$(fake_key 2)
# Staged, then removed from the work tree.
printf 'a\nkey = "%s"\nb\nc\n' "$k" > "$r/f.py"; git -C "$r" add f.py
printf 'a\nb\nc\n' > "$r/f.py"
commit_blocked "$r" "staged key"
grep -q "f.py:2:" "$TMP/out" || fail "wrong line"
# Now stage only the clean part: the key stays in the work tree.
git -C "$r" reset -q
printf 'a\nb\nc\nd\n' > "$r/f.py"; git -C "$r" add f.py
printf 'a\nb\nc\nd\nkey = "%s"\n' "$k" > "$r/f.py"
commit_ok "$r" "clean part only"
git -C "$r" show HEAD:f.py | grep -q tgp_ && fail "the key was committed"
exit 0
