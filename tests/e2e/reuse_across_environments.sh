# Issue 26: the same key in files for different environments (.env.dev / .env.production, config/staging.yml
# / config/prod.yml, k8s overlays) is reported once as reuse, naming the places: JSON "reuse" on one finding,
# a "reuse" line in text. A key in one environment only, or in files of no environment, is not reuse.
source "$(dirname "$0")/lib.sh"
cd "$TMP"
shared=$(fake_key 901) single=$(fake_key 902)
mkdir -p app/config k8s/overlays/staging
printf 'TOGETHER_API_KEY=%s\n' "$shared" > app/.env.dev
printf '# prod\nTOGETHER_API_KEY=%s\n' "$shared" > app/.env.production
printf 'together:\n  api_key: "%s"\n' "$shared" > k8s/overlays/staging/secret.yaml
printf 'TOGETHER_API_KEY=%s\n' "$single" > app/config/prod.env
printf 'TOGETHER_API_KEY=%s\n' "$single" > app/settings.env

"$KEYGATE" scan --format json app k8s > out.json && fail "exit 0 with findings"
python3 - out.json <<'PY' || { cat out.json >&2; fail "reuse not reported once with its places"; }
import json, sys
findings = json.load(open(sys.argv[1]))
reused = [f for f in findings if "reuse" in f]
assert len(reused) == 1, reused
assert reused[0]["reuse"] == ["development: app/.env.dev:1", "production: app/.env.production:2",
                              "staging: k8s/overlays/staging/secret.yaml:2"], reused[0]["reuse"]
PY
"$KEYGATE" scan app k8s > out.txt && fail "exit 0 with findings"
[ "$(grep -c '^    reuse ' out.txt)" -eq 1 ] || { cat out.txt >&2; fail "text: not one reuse line"; }
grep -q "reuse        the same key in several environments (development: app/.env.dev:1; production: app/.env.production:2; staging: k8s/overlays/staging/secret.yaml:2)" out.txt || { cat out.txt >&2; fail "text reuse line"; }
for k in "$shared" "$single"; do assert_no_key out.json "$k"; assert_no_key out.txt "$k"; done
echo ok
