#!/usr/bin/env bash
# Issue #25: OOXML (docx, xlsx, pptx) and OpenDocument (odt, ods) files are scanned as the text a person
# sees: a key Word split across runs is found whole, on its paragraph's line; shared strings, sheet cells
# (line = row), comments, headers, speaker notes and document properties are read; the part is named.
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
  "inventory.xlsx!xl/worksheets/sheet1.xml:3:" "inventory.xlsx!xl/sharedStrings.xml:2:" \
  "deck.pptx!ppt/notesSlides/notesSlide1.xml:1:" "notes.odt!content.xml:2:"; do
  grep -qF "$d/$place" "$TMP/out" || { cat "$TMP/out"; fail "not found at $place"; }
done
n=$(grep -c '^.*docs/.*: together' "$TMP/out" || true)
[ "$n" = 8 ] || { cat "$TMP/out"; fail "$n findings, not 8"; }
