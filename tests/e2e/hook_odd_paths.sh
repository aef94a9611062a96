# Paths with spaces, unicode, quotes and a leading dash are reported exactly as they are, never quoted.
source "$(dirname "$0")/lib.sh"
r="$TMP/repo"; new_repo "$r"
p=$'dir with space/\xc3\xa9t\xc3\xa9 "q" -x.txt'
mkdir -p "$r/dir with space"
printf 'k=%s\n' "$(fake_key 4)" > "$r/$p"
git -C "$r" add -A
commit_blocked "$r" "odd"
grep -qF "$p:1:3: together-api-key" "$TMP/out" || { cat "$TMP/out"; fail "path not reported exactly"; }
"$KEYGATE" staged --repo "$r" --format json > "$TMP/json" && fail "json run passed"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d[0]["file"]==sys.argv[2], d' "$TMP/json" "$p"
