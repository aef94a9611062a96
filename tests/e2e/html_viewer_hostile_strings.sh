# Hostile text in a report stays text (issue #28): file names, author, e-mail, commit message and lines
# holding markup, script, a javascript: link, an HTML comment opener and an RTL override run nothing in
# headless Chromium (a sentinel global stays unset, no dialog opens, no CSP violation, no request) and are
# shown as written.
source "$(dirname "$0")/lib.sh"
git init -q "$TMP/repo" && cd "$TMP/repo"
rtl=$(printf '\xe2\x80\xae')
name1='<img src=x onerror="window.__kg=1;alert(1)">.yaml'
name2="notes${rtl}lmth.js"
name3='javascript:window.__kg=3;alert(3)'
printf 'key: "%s" # </script><script>window.__kg=2;alert(2)</script><!--\n' "$(fake_key 41)" > "$name1"
printf 'key = "%s" // <svg onload=window.__kg=4>\n' "$(fake_key 42)" > "$name2"
printf 'token: "%s"\n' "$(fake_key 43)" > "$name3"
git add -A
git -c user.name='"onmouseover=window.__kg=5 x=' -c user.email='javascript:window.__kg=6' \
  commit -qm '<iframe src="javascript:alert(7)"></iframe>'
"$KEYGATE" history --format html > "$TMP/history.html" || true
"$KEYGATE" scan --format html . > "$TMP/scan.html" || true
for k in 41 42 43; do assert_no_key "$TMP/history.html" "$(fake_key $k)"; assert_no_key "$TMP/scan.html" "$(fake_key $k)"; done

NAME1=$name1 PYTHONPATH="$KEYGATE_SOURCE/tests/browser" python3 - "$TMP/history.html" "$TMP/scan.html" <<'PY'
import os, sys
from cdp import Browser, open_report, assert_quiet, counts
with Browser() as b:
    for report in sys.argv[1:]:
        url = open_report(b, report)
        assert counts(b)[0] == 3, counts(b)
        b.js("document.getElementById('expand').click()")
        text = ""
        for i in range(3):  # every incident's detail pane, places and all
            b.js(f"document.querySelectorAll('#spacer .row:not(.place)')[{i}].click()")
            text += b.js("document.body.textContent")
        assert os.environ["NAME1"] in text, "the hostile file name is not shown as written"
        assert "notes\\u202elmth.js" in text, "the RTL override is not shown as a visible escape"
        assert "</script><script>window.__kg=2;alert(2)</script><!--" in text, "the line is not shown"
        if report.endswith("history.html"):
            assert "<javascript:window.__kg=6>" in text, "the author is not shown"  # (git drops < > in names)
        assert b.js("typeof window.__kg") == "undefined", "hostile text ran"
        assert b.js("document.querySelectorAll('img,iframe,object,embed,a[href],[onerror],[onload],svg script').length") == 0
        assert b.js("document.scripts.length") == 2
        assert_quiet(b, url)
PY
