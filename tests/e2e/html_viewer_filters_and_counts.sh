# The HTML report (issue #28) in headless Chromium: a history report opens, shows its totals and timeline,
# and its filters (rule, path, search, confidence) and sorting give the right counts; the page
# makes no request and runs nothing else. Saves a screenshot, html-viewer-history.png, in $KEYGATE_SCREENSHOTS
# (KEYGATE_SCREENSHOTS=docs/img to refresh README's) or else in the test's temporary folder.
source "$(dirname "$0")/lib.sh"
git init -q "$TMP/repo" && cd "$TMP/repo"
printf 'key = "%s"\n' "$(fake_key 1)" > a.py
printf 'password = "%s"\n' "$(fake_key 5 | cut -c8-22)" > settings.env  # made here: no literal in the tree
GIT_AUTHOR_DATE="2023-03-01T10:00:00+02:00" git add -A && GIT_AUTHOR_DATE="2023-03-01T10:00:00+02:00" \
  git commit -qm one
printf 'key = "%s"\n' "$(fake_key 2)" > c.py
cp a.py d.py
git add -A && GIT_AUTHOR_DATE="2024-06-15T09:00:00Z" git commit -qm two
second=$(git rev-parse HEAD)
status=0; "$KEYGATE" history --format html > "$TMP/report.html" || status=$?
[ "$status" -eq 1 ] || fail "history --format html exited $status, not 1 (findings)"
assert_no_key "$TMP/report.html" "$(fake_key 1)"; assert_no_key "$TMP/report.html" "$(fake_key 2)"

SECOND=$second SHOTS=${KEYGATE_SCREENSHOTS:-$TMP} PYTHONPATH="$KEYGATE_SOURCE/tests/browser" \
  python3 - "$TMP/report.html" <<'PY'
import os, sys
from cdp import Browser, open_report, assert_quiet, set_value, set_checked, counts
with Browser() as b:
    url = open_report(b, sys.argv[1])
    assert counts(b) == (3, 4), counts(b)  # key 1 twice (a.py, d.py), key 2, the password
    cards = b.js("[...document.querySelectorAll('.card')].map(c => c.textContent)")
    assert cards[0].startswith("3"), cards
    assert b.js("document.querySelectorAll('#timeline svg rect').length") == 2  # 2023-03, 2024-06
    assert b.js("document.querySelectorAll('#by-rule .bar').length") == 2
    assert set_value(b, "f-rule", str(b.js("[...document.getElementById('f-rule').options].find(o => o.textContent.startsWith('together-api-key')).value"))) == (2, 3)
    assert set_value(b, "f-rule", "") == (3, 4)
    assert set_value(b, "f-path", "d.py")[0] == 1
    assert set_value(b, "f-path", "") == (3, 4)
    assert set_value(b, "f-search", "settings")[0] == 1
    assert set_value(b, "f-search", os.environ["SECOND"][:10]) == (2, 3)  # by commit: key 2 and d.py's copy
    assert set_value(b, "f-search", "") == (3, 4)
    assert set_checked(b, "f-conf-high", False) == (0, 0)
    assert set_checked(b, "f-conf-high", True) == (3, 4)
    # Sorting: most places first puts key 1 (two places) on top.
    set_value(b, "f-sort", "places")
    assert b.js("document.querySelector('#spacer .row .c-n').textContent") == "2"
    # Selecting a row fills the detail pane; a second click shows its places underneath.
    b.js("document.querySelector('#spacer .row').click()")
    b.js("document.querySelector('#spacer .row').click()")
    assert b.js("document.querySelectorAll('#spacer .row.place').length") == 2
    detail = b.js("document.getElementById('detail').textContent")
    assert "fingerprint" in detail and "api.together.ai" in detail and "d.py" in detail, detail
    # The line from each place's commit, the secret redacted.
    assert b.js("[...document.querySelectorAll('#detail pre')].map(p => p.textContent).join('|')").startswith('key = "tgp_v1_\u2026')
    set_value(b, "f-sort", "first")
    b.screenshot(os.path.join(os.environ["SHOTS"], "html-viewer-history.png"))
    assert_quiet(b, url)
PY

# An incomplete scan (a truncated .gz) is said on the page, as an audit's incomplete repository is.
mkdir "$TMP/cut" && printf 'key = "%s"\n' "$(fake_key 3)" | gzip -c | head -c 30 > "$TMP/cut/notes.gz"
status=0; "$KEYGATE" scan --format html "$TMP/cut" > "$TMP/cut.html" 2>/dev/null || status=$?
[ "$status" -eq 2 ] || fail "an incomplete scan --format html exited $status, not 2"
PYTHONPATH="$KEYGATE_SOURCE/tests/browser" python3 - "$TMP/cut.html" <<'PY'
import sys
from cdp import Browser, open_report, assert_quiet
with Browser() as b:
    url = open_report(b, sys.argv[1])
    failed = b.js("document.getElementById('failed').textContent")
    assert "Not fully scanned" in failed and "notes.gz" in failed, failed
    assert "repositor" not in b.js("document.getElementById('meta').textContent")
    assert_quiet(b, url)
PY
echo "keygate-e2e: html_viewer_filters_and_counts ok"
