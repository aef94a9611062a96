# An audit in the HTML report (issue #28): `report merge --format html` over two repositories' results
# shows per-repository bars and the failed/complete state; a mark made in the page, downloaded as the
# triage file, is read back by `report merge --triage` (marks survive the next audit).
source "$(dirname "$0")/lib.sh"
for r in alpha beta; do
  git init -q "$TMP/$r"
  printf 'key = "%s"\n' "$(fake_key 71)" > "$TMP/$r/shared.py"  # one secret in both repositories
  printf 'key = "%s"\n' "$(fake_key "$([ $r = alpha ] && echo 72 || echo 73)")" > "$TMP/$r/own.py"
  git -C "$TMP/$r" add -A && git -C "$TMP/$r" commit -qm "keys in $r"
done
KEYGATE_AUDIT_KEY=$(printf '%064d' 7) "$KEYGATE" audit --out "$TMP/results" --no-progress "$TMP/alpha" "$TMP/beta" \
  >"$TMP/audit.out" 2>&1 || true
status=0; "$KEYGATE" report --format html merge "$TMP/results" > "$TMP/audit.html" || status=$?
[ "$status" -eq 1 ] || { cat "$TMP/audit.out" >&2; fail "report merge --format html exited $status"; }
for k in 71 72 73; do assert_no_key "$TMP/audit.html" "$(fake_key $k)"; done
mkdir -p "$TMP/downloads"

PYTHONPATH="$KEYGATE_SOURCE/tests/browser" python3 - "$TMP/audit.html" "$TMP/downloads" <<'PY'
import json, sys
from cdp import Browser, open_report, assert_quiet, counts, download
report, downloads = sys.argv[1:]
with Browser() as b:
    b.allow_downloads(downloads)
    url = open_report(b, report)
    assert counts(b) == (3, 4), counts(b)  # the shared key is one incident with two places
    bars = b.js("[...document.querySelectorAll('#by-repository .bar')].map(x => x.textContent)")
    assert len(bars) == 2 and all(t.endswith("2") for t in bars), bars
    assert "merged report" in b.js("document.querySelector('h1').textContent")
    b.js("[...document.querySelectorAll('#spacer .row:not(.place)')].find(r => r.querySelector('.c-n').textContent === '2').click()")
    b.js("document.querySelector('#detail button[data-mark=revoked]').click()")
    download(b, "dl-triage", downloads, "keygate-triage.json")
    assert_quiet(b, url)
PY
"$KEYGATE" report --format json --triage "$TMP/downloads/keygate-triage.json" merge "$TMP/results" > "$TMP/merged.json" || true
python3 - "$TMP/merged.json" <<'PY' || fail "report merge did not take the page's mark"
import json, sys
incidents = json.load(open(sys.argv[1]))["incidents"]
marked = [i for i in incidents if i["triage"]]
assert len(marked) == 1 and marked[0]["triage"] == "revoked" and len(marked[0]["places"]) == 2, marked
PY
