# E15: a file name holding ANSI escape sequences or other control characters is printed escaped in text
# output (scan, staged, history) and in .keygateignore comments, never raw.
source "$(dirname "$0")/lib.sh"
cd "$TMP"
new_repo r && cd r
k=$(fake_key 71)
name=$'evil\e]0;owned\a\e[2J\x9b1m.env'
printf 'token = "%s"\n' "$k" > "$name"
printf 'bin\0ary' > "bin-$name"
"$KEYGATE" scan --verbose . > "$TMP/scan.out" 2>&1 || true
grep -qF 'bin-evil\x1b]0;owned' "$TMP/scan.out" || { cat -v "$TMP/scan.out"; fail "verbose note not escaped"; }
git add -A
"$KEYGATE" staged > "$TMP/staged.out" 2>&1 || true
git commit -q --no-verify -m add
"$KEYGATE" history > "$TMP/history.out" 2>&1 || true
"$KEYGATE" ignore scan . > /dev/null
for out in "$TMP/scan.out" "$TMP/staged.out" "$TMP/history.out" .keygateignore; do
  if LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]' "$out"; then fail "$out holds a raw control character"; fi
  if LC_ALL=C grep -q $'\x9b' "$out"; then fail "$out holds a raw C1 byte"; fi
done
grep -qF 'evil\x1b]0;owned\x07\x1b[2J\x9b1m.env:1:' "$TMP/scan.out" || { cat -v "$TMP/scan.out"; fail "escaped name missing"; }
echo ok
