# Inline keygate:allow / gitleaks:allow, and --baseline with an earlier JSON report.
source "$(dirname "$0")/lib.sh"
cd "$TMP"
printf 'a = "%s"  # keygate:allow\nb = "%s"  // gitleaks:allow\n' "$(fake_key 40)" "$(fake_key 41)" > allowed.py
"$KEYGATE" scan allowed.py > out || { cat out; fail "inline allow ignored"; }
printf 'old = "%s"\n' "$(fake_key 42)" > app.py
"$KEYGATE" scan --format json app.py > baseline.json && fail "no finding to baseline"
"$KEYGATE" scan --baseline baseline.json app.py > out || { cat out; fail "baseline finding reported"; }
printf 'new = "%s"\n' "$(fake_key 43)" >> app.py
"$KEYGATE" scan --baseline baseline.json --format json app.py > out && fail "new finding hidden by the baseline"
python3 -c 'import json,sys; d=json.load(open("out")); assert len(d)==1 and d[0]["line"]==2, d'
echo "not json" > broken.json
set +e; "$KEYGATE" scan --baseline broken.json app.py 2> err; s=$?; set -e
[ $s -eq 2 ] && grep -q "broken.json:1:2: not a keygate JSON report" err || { cat err; fail "bad baseline"; }
