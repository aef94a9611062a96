#!/usr/bin/env bash
# Issue #25: OOXML (docx, xlsx, pptx) and OpenDocument (odt, ods) files are scanned as the text a person
# sees: a key Word split across runs is found whole, on its paragraph's line; comments, headers, speaker
# notes and document properties are read; the part is named. A spreadsheet's key is placed at its sheet
# and cell (inventory.xlsx!Sheet1!B3, line = row), a shared string at each cell that uses it; that place
# is what JSON's inner, SARIF's logical location, GitLab and the fingerprint say, and an allow comment in
# the cell or the fingerprint in .keygateignore suppresses it. (sheet_cells_are_placed below.)
source "$(dirname "$0")/lib.sh"
d="$TMP/docs" && mkdir -p "$d"
python3 - "$d" "$(fake_key 2521)" "$(fake_key 2522)" "$(fake_key 2523)" "$(fake_key 2524)" "$(fake_key 2525)" \
  "$(fake_key 2526)" "$(fake_key 2527)" "$(fake_key 2528)" <<'PY'
import sys, zipfile
d, *k = sys.argv[1:]
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
def doc(name, parts):
    with zipfile.ZipFile(f"{d}/{name}", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        for path, text in parts.items():
            z.writestr(path, text)
def runs(key):  # the key cut into three runs, the middle one bold
    return (f'<w:r><w:t>{key[:5]}</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">{key[5:20]}</w:t></w:r>'
            f'<w:r><w:t>{key[20:]}</w:t></w:r>')
doc("runbook.docx", {
    "word/document.xml": f'<w:document {W}><w:body><w:p><w:r><w:t>Runbook</w:t></w:r></w:p>\n'
                         f'<w:p><w:r><w:t>Step one</w:t></w:r></w:p>\n<w:p>{runs(k[0])}</w:p></w:body></w:document>',
    "word/header1.xml": f'<w:hdr {W}><w:p><w:r><w:t>key: {k[1]}</w:t></w:r></w:p></w:hdr>',
    "word/comments.xml": f'<w:comments {W}><w:comment><w:p><w:r><w:t>old one {k[2]}</w:t></w:r></w:p></w:comment></w:comments>',
    "docProps/core.xml": f'<cp:coreProperties><dc:title>Ops</dc:title><dc:description>{k[3]}</dc:description></cp:coreProperties>',
})
doc("inventory.xlsx", {
    "xl/worksheets/sheet1.xml": '<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row>'
                                f'<row r="3"><c r="A3" t="inlineStr"><is><t>api</t></is></c><c r="B3" t="inlineStr"><is><t>{k[4]}</t></is></c></row></sheetData></worksheet>',
    "xl/sharedStrings.xml": f'<sst><si><t>host</t></si><si><r><t>{k[5][:9]}</t></r><r><t>{k[5][9:]}</t></r></si></sst>',
})
doc("deck.pptx", {
    "ppt/slides/slide1.xml": '<p:sld><p:txBody><a:p><a:r><a:t>Welcome</a:t></a:r></a:p></p:txBody></p:sld>',
    "ppt/notesSlides/notesSlide1.xml": f'<p:notes><a:p><a:r><a:t>say {k[6][:12]}</a:t></a:r><a:r><a:t>{k[6][12:]}</a:t></a:r></a:p></p:notes>',
})
with zipfile.ZipFile(f"{d}/notes.odt", "w") as z:
    z.writestr("mimetype", "application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED)
    z.writestr("content.xml", '<office:document-content><office:body><office:text><text:h>Title</text:h>'
                              f'<text:p>the <text:span>{k[7][:10]}</text:span>{k[7][10:]}</text:p></office:text></office:body></office:document-content>')
    z.writestr("meta.xml", '<office:meta><meta:generator>x</meta:generator></office:meta>')
PY
set +e
"$KEYGATE" scan "$d" >"$TMP/out" 2>"$TMP/err"
rc=$?
set -e
[ "$rc" = 1 ] || { cat "$TMP/out" "$TMP/err"; fail "exit $rc, not 1"; }
for place in "runbook.docx!word/document.xml:3:" "runbook.docx!word/header1.xml:1:" \
  "runbook.docx!word/comments.xml:1:" "runbook.docx!docProps/core.xml:2:" \
  "inventory.xlsx!sheet1!B3:3:" "inventory.xlsx!xl/sharedStrings.xml:2:" \
  "deck.pptx!ppt/notesSlides/notesSlide1.xml:1:" "notes.odt!content.xml:2:"; do
  grep -qF "$d/$place" "$TMP/out" || { cat "$TMP/out"; fail "not found at $place"; }
done
n=$(grep -c '^.*docs/.*: together' "$TMP/out" || true)
[ "$n" = 8 ] || { cat "$TMP/out"; fail "$n findings, not 8"; }

# sheet_cells_are_placed: a workbook with named sheets (one needing quotes), rows and cells without r, a
# shared string used by two cells (found at each), a formula, an unused shared string; an .ods with
# repeated rows and cells; an allow comment in a cell; a cell's comment placed at that cell.
s="$TMP/sheets" && mkdir -p "$s"
python3 - "$s" "$(fake_key 2581)" "$(fake_key 2582)" "$(fake_key 2583)" "$(fake_key 2584)" "$(fake_key 2585)" "$(fake_key 2586)" \
  "$(fake_key 2587)" <<'PY'
import sys, zipfile
d, *k = sys.argv[1:]
R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
with zipfile.ZipFile(f"{d}/inventory.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("[Content_Types].xml", "<Types/>")
    z.writestr("xl/workbook.xml", f'<workbook {R}><sheets><sheet name="Hosts" sheetId="1" r:id="rId7"/>'
                                  f'<sheet name="Q1 &amp; Q2\'s keys" sheetId="2" r:id="rId3"/></sheets></workbook>')
    z.writestr("xl/_rels/workbook.xml.rels", '<Relationships><Relationship Id="rId3" Target="worksheets/sheet1.xml"/>'
                                             '<Relationship Id="rId7" Target="/xl/worksheets/sheet2.xml"/></Relationships>')
    # sheet1 is "Q1 & Q2's keys": B7 and D9 use shared string 1; C2 has an inline key; E4 a formula.
    z.writestr("xl/worksheets/sheet1.xml",
               '<worksheet><sheetData><row r="2"><c r="A2" t="s"><v>0</v></c>'
               f'<c r="C2" t="inlineStr"><is><r><t>{k[1][:6]}</t></r><r><t>{k[1][6:]}</t></r></is></c></row>'
               '<row r="4"><c r="E4" t="str"><f>CONCAT("tok=","' + k[2] + '")</f><v>x</v></c></row>'
               '<row r="7"><c r="A7"><v>1</v></c><c r="B7" t="s"><v>1</v></c></row>'
               '<row r="9"><c r="D9" t="s"><v>1</v></c></row></sheetData></worksheet>')
    # sheet2 is "Hosts": rows and cells without r count on; a cell allows its key inline.
    z.writestr("xl/worksheets/sheet2.xml",
               '<worksheet><sheetData><row><c t="inlineStr"><is><t>h</t></is></c></row>'
               f'<row><c><v>1</v></c><c t="inlineStr"><is><t>{k[3]}</t></is></c></row>'
               f'<row><c t="inlineStr"><is><t>{k[4]} keygate:allow</t></is></c></row></sheetData></worksheet>')
    z.writestr("xl/sharedStrings.xml", f'<sst><si><t>name</t></si><si><t>{k[0]}</t></si><si><t>spare {k[5]}</t></si></sst>')
    # A comment on Hosts!C3, tied to its sheet through the sheet's relationships.
    z.writestr("xl/worksheets/_rels/sheet2.xml.rels", '<Relationships><Relationship Id="rId1" Target="../comments1.xml"/></Relationships>')
    z.writestr("xl/comments1.xml", f'<comments><commentList><comment ref="C3"><text><r><t>rotate {k[6]}</t></r></text></comment></commentList></comments>')
with zipfile.ZipFile(f"{d}/budget.ods", "w") as z:
    z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
    z.writestr("content.xml",
               '<office:document-content><office:body><office:spreadsheet>'
               '<table:table table:name="Costs"><table:table-row table:number-rows-repeated="3"><table:table-cell/></table:table-row>'
               '<table:table-row><table:table-cell table:number-columns-repeated="2"/><table:covered-table-cell/>'
               f'<table:table-cell><text:p>key</text:p><text:p>{k[0]}</text:p></table:table-cell></table:table-row>'
               '</table:table></office:spreadsheet></office:body></office:document-content>')
PY
set +e
"$KEYGATE" scan "$s" >"$TMP/out" 2>"$TMP/err"
rc=$?
set -e
[ "$rc" = 1 ] && [ ! -s "$TMP/err" ] || { cat "$TMP/out" "$TMP/err"; fail "sheets: exit $rc, not 1"; }
for place in "inventory.xlsx!'Q1 & Q2''s keys'!B7:7:" "inventory.xlsx!'Q1 & Q2''s keys'!D9:9:" \
  "inventory.xlsx!'Q1 & Q2''s keys'!C2:2:" "inventory.xlsx!'Q1 & Q2''s keys'!E4:4:" "inventory.xlsx!Hosts!B2:2:1:" \
  "inventory.xlsx!xl/sharedStrings.xml:3:" "budget.ods!Costs!D4:4:" "inventory.xlsx!Hosts!C3:3:8:"; do
  grep -qF "$s/$place" "$TMP/out" || { cat "$TMP/out"; fail "not placed at $place"; }
done
n=$(grep -c ': together-api-key' "$TMP/out" || true)
[ "$n" = 8 ] || { cat "$TMP/out"; fail "$n findings in the sheets, not 8 (the allowed one must not be among them)"; }
# JSON, SARIF, GitLab name the cell; the fingerprint in .keygateignore suppresses that cell's finding only.
"$KEYGATE" scan --format json "$s/budget.ods" >"$TMP/j" || true
python3 - "$TMP/j" "$s/budget.ods" <<'PY'
import json, sys
f = json.load(open(sys.argv[1]))
assert len(f) == 1 and f[0]["file"] == sys.argv[2] and f[0]["inner"] == ["Costs!D4"] and f[0]["line"] == 4, f
assert f[0]["fingerprint"].startswith("together-api-key:" + sys.argv[2] + "!Costs!D4:"), f
PY
"$KEYGATE" scan --format sarif "$s/budget.ods" >"$TMP/sarif" || true
python3 - "$TMP/sarif" <<'PY'
import json, sys
loc = json.load(open(sys.argv[1]))["runs"][0]["results"][0]["locations"][0]["logicalLocations"][0]
assert loc["name"] == "Costs!D4" and loc["fullyQualifiedName"].endswith("budget.ods!Costs!D4"), loc
PY
"$KEYGATE" scan --format gitlab "$s/budget.ods" >"$TMP/g" || true
grep -qF "budget.ods!Costs!D4" "$TMP/g" || { cat "$TMP/g"; fail "GitLab report does not name the cell"; }
(cd "$s" && "$KEYGATE" scan --format json inventory.xlsx >"$TMP/j") || true
python3 -c 'import json,sys; [print(f["fingerprint"]) for f in json.load(open(sys.argv[1])) if f["inner"] == ["'"'"'Q1 & Q2'"''"'s keys'"'"'!B7"]]' "$TMP/j" >"$s/.keygateignore"
[ "$(wc -l <"$s/.keygateignore")" = 1 ] || { cat "$TMP/j"; fail "no single finding at B7"; }
(cd "$s" && "$KEYGATE" scan inventory.xlsx >"$TMP/out" 2>&1) || true
grep -qF "!B7:" "$TMP/out" && { cat "$TMP/out"; fail "the ignored cell came back"; }
grep -qF "!D9:" "$TMP/out" || { cat "$TMP/out"; fail "ignoring B7 hid D9 too"; }
