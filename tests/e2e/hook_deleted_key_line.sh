# Removing a line that holds a key is exactly what we want people to do: it passes.
source "$(dirname "$0")/lib.sh"
r="$TMP/repo"; git init -q "$r"
k=$(fake_key 3)
printf 'one\nkey=%s\nthree\n' "$k" > "$r/a.txt"; git -C "$r" add a.txt
git -C "$r" commit -q -m "before keygate" >/dev/null
"$KEYGATE" install --repo "$r" >/dev/null
printf 'one\nthree\n' > "$r/a.txt"; git -C "$r" add a.txt
commit_ok "$r" "remove the key"
# Editing another line of a file that still holds an old key passes too (only added lines count).
printf 'one\nkey=%s\nthree\n' "$k" > "$r/b.txt"; git -C "$r" add b.txt
git -C "$r" commit -q --no-verify -m "old key" >/dev/null
printf 'zero\none\nkey=%s\nthree\n' "$k" > "$r/b.txt"; git -C "$r" add b.txt
commit_ok "$r" "edit elsewhere"
