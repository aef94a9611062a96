# B1, B3 of issue 9: a key in a UTF-16 file (LE with a BOM, BE without) and a key in a symlink's target
# are blocked by a real `git commit` through the installed hook, and found by `history` once committed.
source "$(dirname "$0")/lib.sh"
r="$TMP/repo"; new_repo "$r"
echo hello > "$r/README"
git -C "$r" add README
commit_ok "$r" "first"

k1=$(fake_key 91)
{ printf '\xff\xfe'; printf 'Windows Registry Editor\r\n"Key"="%s"\r\n' "$k1" | iconv -f UTF-8 -t UTF-16LE; } \
  > "$r/export.reg"
git -C "$r" add export.reg
commit_blocked "$r" "utf-16 le with bom"
grep -q "export.reg:2:" "$TMP/out" || { cat "$TMP/out" >&2; fail "UTF-16 LE finding not at its decoded line"; }
assert_no_key "$TMP/out" "$k1"
git -C "$r" rm -q --cached export.reg

k2=$(fake_key 92)
printf 'line one\nTOKEN=%s\n' "$k2" | iconv -f UTF-8 -t UTF-16BE > "$r/out.txt"
git -C "$r" add out.txt
commit_blocked "$r" "utf-16 be without bom"
grep -q "out.txt:2:" "$TMP/out" || { cat "$TMP/out" >&2; fail "UTF-16 BE finding not at its decoded line"; }
assert_no_key "$TMP/out" "$k2"
git -C "$r" rm -q --cached out.txt

k3=$(fake_key 93)
ln -s "token=$k3" "$r/creds"
git -C "$r" add creds
commit_blocked "$r" "symlink"
grep -q "creds:1:" "$TMP/out" || { cat "$TMP/out" >&2; fail "symlink target finding not reported at creds:1"; }
assert_no_key "$TMP/out" "$k3"

# Committed anyway (--no-verify): history finds all three.
git -C "$r" add export.reg out.txt creds
git -C "$r" commit -q --no-verify -m "bypass"
set +e
(cd "$r" && "$KEYGATE" history) > "$TMP/history" 2>&1
rc=$?
set -e
[ "$rc" -eq 1 ] || { cat "$TMP/history" >&2; fail "history exited $rc, not 1"; }
for place in export.reg:2: out.txt:2: creds:1:; do
  grep -q "$place" "$TMP/history" || { cat "$TMP/history" >&2; fail "history missed $place"; }
done
echo ok
