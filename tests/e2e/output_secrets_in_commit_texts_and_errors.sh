# E14: a key in a commit message, an author name or an e-mail is redacted in every history format (ordinary
# names stay as they are); `rules --test` shows a firing lookalike redacted; a bad regex holding a key is
# echoed redacted in the config error.
source "$(dirname "$0")/lib.sh"
cd "$TMP"
k=$(fake_key 61); m=$(fake_key 62); a=$(fake_key 63)
git init -q r && cd r
printf 'token = "%s"\n' "$k" > app.env; git add app.env
git -c user.name="Dev $a" -c user.email="dev@example.invalid" commit -qm "add config, key $m"
echo "x" > b.txt; git add b.txt
git -c user.name="Ordinary Person" -c user.email="op@example.invalid" commit -qm "second"
printf 'again = "%s"\n' "$k" > c.env; git add c.env
git -c user.name="Ordinary Person" -c user.email="op@example.invalid" commit -qm "copy $k"
for format in text json sarif gitlab; do
  "$KEYGATE" history --format $format > "$TMP/h.$format" 2>&1 && fail "history found nothing ($format)"
  for key in "$k" "$m" "$a"; do assert_no_key "$TMP/h.$format" "$key"; done
done
grep -q '"author": "Ordinary Person"' "$TMP/h.json" || fail "an ordinary author name was changed"
grep -qF '"message": "copy tgp_v1_…' "$TMP/h.json" || fail "the message's key is not shown redacted"
"$KEYGATE" history --format json --show-secrets > "$TMP/h.shown" || true
grep -qF -- "$m" "$TMP/h.shown" || fail "--show-secrets hid the message"
cd "$TMP"

# rules --test: a lookalike that fires is printed redacted.
cat > lookalike.toml <<TOML
[[rules]]
id = "loose-together"
description = "too loose"
regex = '''tgp_v1_[A-Za-z0-9_-]{43}'''
keywords = ["tgp_v1_"]
examples = ['''x = "$k"''']
lookalikes = ['''y = "$a"''']
TOML
if "$KEYGATE" rules --test --config lookalike.toml > test.out 2>&1; then fail "a firing lookalike passed"; fi
grep -q "lookalike reported" test.out || { cat test.out; fail "no lookalike message"; }
assert_no_key test.out "$a"

# A bad regex holding a key: the error names the place and shows the key redacted.
printf '[[rules]]\nid = "bad"\nregex = %s(%s%s\n' "'''" "$k" "'''" > bad.toml
set +e; "$KEYGATE" scan --config bad.toml . > bad.out 2>&1; s=$?; set -e
[ $s -eq 2 ] || fail "bad regex: status $s"
grep -q 'bad.toml:3: rule "bad": invalid regex' bad.out || { cat bad.out; fail "bad regex: no place"; }
assert_no_key bad.out "$k"
echo ok
