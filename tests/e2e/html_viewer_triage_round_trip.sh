# Triage flows back (issue #28): incidents marked in the HTML report (false positive, accepted risk,
# revoked) download as a .keygateignore, a baseline and a triage file; keygate reads the first two back and
# no longer reports the marked findings, and still reports the unmarked one.
source "$(dirname "$0")/lib.sh"
mkdir -p "$TMP/tree/src" "$TMP/downloads" && cd "$TMP/tree"
printf 'key = "%s"\n' "$(fake_key 61)" > src/one.py
printf 'key = "%s"\n' "$(fake_key 61)" > src/copy.py  # the same secret: one incident, two places
printf 'key = "%s"\n' "$(fake_key 62)" > two.yaml
printf 'key = "%s"\n' "$(fake_key 63)" > three.env
status=0; "$KEYGATE" scan --format html . > "$TMP/report.html" || status=$?
[ "$status" -eq 1 ] || fail "scan --format html exited $status"

KEEP=$(fake_key 63) PYTHONPATH="$KEYGATE_SOURCE/tests/browser" python3 - "$TMP/report.html" "$TMP/downloads" <<'PY'
import json, os, sys, time
from cdp import Browser, open_report, assert_quiet, counts, download, set_value
report, downloads = sys.argv[1:]
keep = os.environ["KEEP"]
with Browser() as b:
    b.allow_downloads(downloads)
    url = open_report(b, report)
    assert counts(b) == (3, 4), counts(b)
    assert b.js("document.getElementById('dl-ignore').disabled"), "nothing marked, yet downloads are on"
    rows = b.js("[...document.querySelectorAll('#spacer .row:not(.place)')].map(r => r.querySelector('.c-secret').textContent)")
    marks = {}
    for i, secret in enumerate(rows):
        if secret.endswith(keep[-4:]):
            continue  # three.env stays open
        mark = "false_positive" if not marks else "revoked"
        b.js(f"document.querySelectorAll('#spacer .row:not(.place)')[{i}].click()")
        b.js(f"document.querySelector('#detail button[data-mark={mark}]').click()")
        b.js("(() => { const n = document.querySelector('#detail .triage input'); n.value = 'test fixture'; n.dispatchEvent(new Event('change')); })()")
        marks[secret] = mark
    assert len(marks) == 2, rows
    assert b.js("document.getElementById('marked-count').textContent") == "2 marked"
    assert set_value(b, "f-triage", "open") == (1, 1)
    assert set_value(b, "f-triage", "marked") == (2, 3)
    set_value(b, "f-triage", "")
    ignore = download(b, "dl-ignore", downloads, "keygateignore.txt")
    baseline = download(b, "dl-baseline", downloads, "keygate-baseline.json")
    triage = json.loads(download(b, "dl-triage", downloads, "keygate-triage.json"))
    fingerprints = [line for line in ignore.splitlines() if line and not line.startswith("#")]
    assert len(fingerprints) == 3, ignore  # the two places of the first secret and the second secret
    assert all(f.startswith("together-api-key:") for f in fingerprints), ignore
    assert "three.env" not in ignore, ignore
    assert sorted(f["fingerprint"] for f in json.loads(baseline)) == sorted(fingerprints)
    assert triage["schema"] == "keygate-triage/1", triage
    assert sorted(m["mark"] for m in triage["marks"]) == ["false_positive", "revoked"], triage
    assert all(len(m["id"]) == 64 and m["note"] == "test fixture" for m in triage["marks"]), triage
    assert sorted(f for m in triage["marks"] for f in m["fingerprints"]) == sorted(fingerprints)
    # The marks outlive a reload of the page (the browser keeps them for this report). Chromium commits a
    # page's localStorage writes to its store in batches, up to a second later: a reload sooner may miss them.
    time.sleep(1.5)
    open_report(b, report)
    assert b.js("document.getElementById('marked-count').textContent") == "2 marked"
    assert_quiet(b, url)
PY
for k in 61 62 63; do assert_no_key "$TMP/downloads/keygateignore.txt" "$(fake_key $k)"; done
for k in 61 62 63; do assert_no_key "$TMP/downloads/keygate-baseline.json" "$(fake_key $k)"; done

# Fed back: only three.env is reported, through the ignore file and through the baseline.
cp "$TMP/downloads/keygateignore.txt" .keygateignore
status=0; "$KEYGATE" scan --format json . > "$TMP/after.json" || status=$?
[ "$status" -eq 1 ] || fail "scan with the downloaded .keygateignore exited $status"
python3 -c 'import json,sys; f=json.load(open(sys.argv[1])); assert [x["file"] for x in f] == ["three.env"], f' \
  "$TMP/after.json" || fail "the ignore file did not suppress exactly the marked findings"
rm .keygateignore
status=0; "$KEYGATE" scan --format json --baseline "$TMP/downloads/keygate-baseline.json" . > "$TMP/base.json" || status=$?
[ "$status" -eq 1 ] || fail "scan with the downloaded baseline exited $status"
python3 -c 'import json,sys; f=json.load(open(sys.argv[1])); assert [x["file"] for x in f] == ["three.env"], f' \
  "$TMP/base.json" || fail "the baseline did not suppress exactly the marked findings"
