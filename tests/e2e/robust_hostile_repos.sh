# Hostile repositories: bare, shallow, a submodule entry, GIT_DIR/GIT_WORK_TREE from the caller, a path
# with spaces and unicode, a held index.lock, a missing object, LFS pointers. A clear error or the right
# answer, never a crash.
source "$(dirname "$0")/lib.sh"
k=$(fake_key 70)
r="$TMP/repo with space é"; git init -q "$r"
printf 'k=%s\n' "$k" > "$r/a.env"; git -C "$r" add a.env; git -C "$r" commit -q --no-verify -m one
echo two > "$r/b"; git -C "$r" add b; git -C "$r" commit -q -m two
# History through a path with spaces and unicode.
"$KEYGATE" history --repo "$r" --no-progress > "$TMP/out" && fail "history missed the key"
grep -q "a.env:1:3" "$TMP/out" || fail "history place"
# Bare: history works, staged says why it cannot.
git clone -q --bare "$r" "$TMP/bare.git"
"$KEYGATE" history --repo "$TMP/bare.git" --no-progress > /dev/null && fail "bare history missed the key"
set +e; "$KEYGATE" staged --repo "$TMP/bare.git" 2> "$TMP/err"; s=$?; set -e
[ $s -eq 2 ] && grep -q "bare repository" "$TMP/err" || fail "bare staged: exit $s $(cat "$TMP/err")"
# Shallow clone: the boundary commit is where history starts.
git clone -q --depth 1 "file://$r" "$TMP/shallow"
set +e; "$KEYGATE" history --repo "$TMP/shallow" --no-progress > "$TMP/out" 2> "$TMP/err"; s=$?; set -e
[ $s -le 2 ] || fail "shallow history crashed ($s)"
[ $s -eq 1 ] && grep -q "a.env" "$TMP/out" || { cat "$TMP/err"; fail "shallow history: exit $s"; }
# A submodule (gitlink) entry in the index is skipped.
git -C "$r" update-index --add --cacheinfo 160000,"$(git -C "$r" rev-parse HEAD)",vendor/sub
"$KEYGATE" staged --repo "$r" > /dev/null || fail "gitlink entry broke the staged check"
git -C "$r" rm -q --cached vendor/sub
# GIT_DIR and GIT_WORK_TREE set by the caller (no --repo): they are honoured.
printf 'new=%s\n' "$(fake_key 71)" > "$r/c.env"; git -C "$r" add c.env
( cd "$TMP" && GIT_DIR="$r/.git" GIT_WORK_TREE="$r" "$KEYGATE" staged > "$TMP/out" ) && fail "GIT_DIR ignored"
grep -q "c.env:1:5" "$TMP/out" || fail "GIT_DIR place"
# An index.lock held by another process does not matter: the index itself is read.
touch "$r/.git/index.lock"
"$KEYGATE" staged --repo "$r" > /dev/null && fail "index.lock: key missed"
rm "$r/.git/index.lock"
git -C "$r" reset -q
# LFS pointer files are text and are scanned like any other file.
printf 'version https://git-lfs.github.com/spec/v1\noid sha256:%s\nsize 12\n' "$(printf %064d 0)" > "$r/model.bin"
git -C "$r" add model.bin; "$KEYGATE" staged --repo "$r" > /dev/null || fail "LFS pointer flagged"
git -C "$r" commit -q -m lfs
# A missing object: history says which one and exits 2, without crashing.
blob=$(git -C "$r" rev-parse HEAD:b)
rm -f "$r/.git/objects/${blob:0:2}/${blob:2}"
set +e; "$KEYGATE" history --repo "$r" --no-progress > /dev/null 2> "$TMP/err"; s=$?; set -e
[ $s -eq 2 ] || fail "missing object: exit $s"
grep -q "$blob" "$TMP/err" || { cat "$TMP/err"; fail "missing object not named"; }
# Not a repository at all.
set +e; "$KEYGATE" history --repo "$TMP/nowhere" 2> "$TMP/err"; s=$?; set -e
[ $s -eq 2 ] && [ "$(wc -l < "$TMP/err")" -eq 1 ] || fail "not a repository: exit $s"
