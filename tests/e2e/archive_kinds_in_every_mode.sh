#!/usr/bin/env bash
# Issue #25, table-driven: every container kind (the zip family: zip, jar, war, ear, apk, aab, whl, nupkg,
# vsix, xpi, crx after its header, epub, a notebook inside a zip; tar, .tar.gz, .tgz, .tar.bz2, .tar.xz,
# .tar.zst; single .gz, .bz2, .xz, .zst; 7z; Office and OpenDocument files; a zip nested four deep) holds a
# key of its own, built at run time, and each is found and placed outer!inner in every mode: `scan` of the
# directory, of each file, of each file on stdin; the pre-commit hook (staged blobs), `history`, pre-push
# and pre-receive; `redact` refuses each, in place and on stdin, writing nothing.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/push/server.sh"
k="$TMP/kinds" && mkdir -p "$k"
keys=()
for i in $(seq 1 40); do keys+=("$(fake_key $((2600 + i)))"); done
python3 - "$k" "${keys[@]}" <<'PY'
import bz2, gzip, io, json, lzma, sys, tarfile, zipfile
d, *keys = sys.argv[1:]
places = []
def env(i): return f"A=1\nTOGETHER_API_KEY={keys[i]}\n".encode()
def zipped(entries):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries: z.writestr(name, data)
    return b.getvalue()
def tarred(name, data):
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode="w") as t:
        info = tarfile.TarInfo(name); info.size = len(data); t.addfile(info, io.BytesIO(data))
    return b.getvalue()
def put(name, data, inner):
    open(f"{d}/{name}", "wb").write(data)
    places.append(f"{name}!{inner}")
i = 0
for name, inner in [("release.zip", "app/.env"), ("app.jar", "BOOT-INF/classes/.env"), ("web.war", "WEB-INF/.env"),
                    ("suite.ear", "META-INF/.env"), ("app.apk", "assets/.env"), ("bundle.aab", "base/assets/.env"),
                    ("lib-1.0-py3-none-any.whl", "lib/.env"), ("pkg.1.0.nupkg", "content/.env"),
                    ("ext.vsix", "extension/.env"), ("addon.xpi", "defaults/.env"), ("book.epub", "OEBPS/.env")]:
    put(name, zipped([("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n"), (inner, env(i))]), inner + ":2"); i += 1
nb = {"cells": [{"cell_type": "code", "source": ["import os\n", f"key = \"{keys[i]}\"\n"]}], "nbformat": 4}
put("notebooks.zip", zipped([("analysis.ipynb", json.dumps(nb, indent=1))]), "analysis.ipynb:"); i += 1
crx_zip = zipped([("background.js", f'const key = "{keys[i]}";\n')]); i += 1
header = b"\x12\x00fake-header"
put("ext.crx", b"Cr24" + (3).to_bytes(4, "little") + len(header).to_bytes(4, "little") + header + crx_zip, "background.js:1")
put("plain.tar", tarred("etc/.env", env(i)), "etc/.env:2"); i += 1
put("backup.tar.gz", gzip.compress(tarred("etc/.env", env(i))), "etc/.env:2"); i += 1
put("backup.tgz", gzip.compress(tarred("etc/.env", env(i))), "etc/.env:2"); i += 1
put("backup.tar.bz2", bz2.compress(tarred("etc/.env", env(i))), "etc/.env:2"); i += 1
put("backup.tar.xz", lzma.compress(tarred("etc/.env", env(i))), "etc/.env:2"); i += 1
open(f"{d}/zst.tar", "wb").write(tarred("etc/.env", env(i))); places.append("backup.tar.zst!etc/.env:2"); i += 1
put("app.env.gz", gzip.compress(env(i)), "app.env:2"); i += 1
put("app.env.bz2", bz2.compress(env(i)), "app.env:2"); i += 1
put("app.env.xz", lzma.compress(env(i)), "app.env:2"); i += 1
open(f"{d}/zst.env", "wb").write(env(i)); places.append("app.env.zst!app.env:2"); i += 1
open(f"{d}/7z.env", "wb").write(env(i)); places.append("secrets.7z!7z.env:2"); i += 1
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
k = keys[i]; i += 1
put("runbook.docx", zipped([("word/document.xml", f'<w:document {W}><w:body><w:p><w:r><w:t>{k[:7]}</w:t></w:r><w:r><w:t>{k[7:]}</w:t></w:r></w:p></w:body></w:document>')]),
    "word/document.xml:1")
put("inventory.xlsx", zipped([("xl/workbook.xml", '<workbook><sheets><sheet name="Keys" r:id="rId1"/></sheets></workbook>'),
                              ("xl/_rels/workbook.xml.rels", '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>'),
                              ("xl/worksheets/sheet1.xml", '<worksheet><sheetData><row r="7"><c r="B7" t="s"><v>0</v></c></row></sheetData></worksheet>'),
                              ("xl/sharedStrings.xml", f'<sst><si><t>{keys[i]}</t></si></sst>')]), "Keys!B7:7"); i += 1
put("deck.pptx", zipped([("ppt/slides/slide1.xml", "<p:sld><a:p><a:r><a:t>Hi</a:t></a:r></a:p></p:sld>"),
                         ("ppt/notesSlides/notesSlide1.xml", f"<p:notes><a:p><a:r><a:t>{keys[i]}</a:t></a:r></a:p></p:notes>")]),
    "ppt/notesSlides/notesSlide1.xml:1"); i += 1
put("notes.odt", zipped([("mimetype", "application/vnd.oasis.opendocument.text"),
                         ("meta.xml", f"<office:meta><meta:user-defined meta:name=\"k\">{keys[i]}</meta:user-defined></office:meta>")]),
    "meta.xml:1"); i += 1
put("budget.ods", zipped([("content.xml", '<office:spreadsheet><table:table table:name="Costs"><table:table-row><table:table-cell/>'
                                          f'<table:table-cell><text:p>{keys[i]}</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet>')]),
    "Costs!B1:1"); i += 1
put("talk.odp", zipped([("content.xml", f"<office:presentation><draw:page><presentation:notes><text:p>{keys[i]}</text:p></presentation:notes></draw:page></office:presentation>")]),
    "content.xml:1"); i += 1
deep = zipped([("deep/.env", env(i))]); i += 1
for level in (3, 2, 1):
    deep = zipped([(f"level{level}.zip", deep)])
put("nested4.zip", deep, "level1.zip!level2.zip!level3.zip!deep/.env:2")
open(f"{d}/../places", "w").write("\n".join(places) + "\n")
PY
zstd -q --rm "$k/zst.tar" -o "$k/backup.tar.zst"
zstd -q --rm "$k/zst.env" -o "$k/app.env.zst"
(cd "$k" && 7z a -bd -y secrets.7z 7z.env >/dev/null && rm 7z.env)
mapfile -t places <"$TMP/places"
[ "${#places[@]}" -ge 30 ] || fail "only ${#places[@]} kinds built"

placed_all() {  # placed_all OUTPUT PREFIX WHAT: every kind's key placed at PREFIX<file>!<inner>
  for p in "${places[@]}"; do
    grep -qF -- "$2$p" "$1" || { cat "$1"; fail "$3: not placed at $2$p"; }
  done
}
assert_no_keys() { for key in "${keys[@]}"; do assert_no_key "$1" "$key"; done; }

# scan: the directory, then each file by its path and on stdin.
set +e
"$KEYGATE" scan "$k" >"$TMP/dir" 2>"$TMP/dir.err"
rc=$?
set -e
[ "$rc" = 1 ] && [ ! -s "$TMP/dir.err" ] || { cat "$TMP/dir" "$TMP/dir.err"; fail "scan of the directory: exit $rc"; }
placed_all "$TMP/dir" "$k/" "scan DIR"
assert_no_keys "$TMP/dir"
for p in "${places[@]}"; do
  f=${p%%!*}
  set +e
  "$KEYGATE" scan "$k/$f" >"$TMP/one" 2>&1
  a=$?
  "$KEYGATE" scan - <"$k/$f" >"$TMP/in" 2>&1
  b=$?
  set -e
  [ "$a" = 1 ] && grep -qF -- "$k/$p" "$TMP/one" || { cat "$TMP/one"; fail "scan FILE $f: exit $a"; }
  case $f in  # a single compressed file on stdin has no name to drop its suffix from
    *.env.*) want="(stdin)!(decompressed):2" ;;
    *) want="(stdin)!${p#*!}" ;;
  esac
  [ "$b" = 1 ] && grep -qF -- "$want" "$TMP/in" || { cat "$TMP/in"; fail "scan - <$f: exit $b"; }
  # redact refuses the archive, in place and from stdin, and writes nothing.
  cp "$k/$f" "$TMP/copy"
  if "$KEYGATE" redact --in-place "$TMP/copy" 2>"$TMP/err"; then fail "redact rewrote $f"; fi
  grep -q "redact does not rewrite archives" "$TMP/err" || { cat "$TMP/err"; fail "redact $f: no clear note"; }
  cmp -s "$k/$f" "$TMP/copy" || fail "redact changed $f"
  if "$KEYGATE" redact <"$k/$f" >"$TMP/red" 2>/dev/null; then fail "redact of $f on stdin went through"; fi
  [ ! -s "$TMP/red" ] || fail "redact wrote part of $f"
done

# The pre-commit hook: every staged archive is opened from the index.
r="$TMP/r"
new_repo "$r"
echo hi >"$r/README" && git -C "$r" add README && commit_ok "$r" first
cp -r "$k" "$r/kinds" && git -C "$r" add kinds
commit_blocked "$r" "all kinds"
placed_all "$TMP/out" "kinds/" "pre-commit"
assert_no_keys "$TMP/out"

# history: the same archives committed past the hook, two commits back.
git -C "$r" commit -q --no-verify -m "all kinds"
echo more >>"$r/README" && git -C "$r" commit -q --no-verify -am later
set +e
"$KEYGATE" history --repo "$r" >"$TMP/h" 2>&1
rc=$?
set -e
[ "$rc" = 1 ] || { cat "$TMP/h"; fail "history: exit $rc"; }
placed_all "$TMP/h" "kinds/" "history"

# pre-receive on a bare server, then pre-push on the client.
new_server "$TMP/srv.git"
new_client "$TMP/c" "file://$TMP/srv.git"
cp -r "$k" "$TMP/c/kinds" && git -C "$TMP/c" add kinds && git -C "$TMP/c" commit -q -m kinds
push_rejected "$TMP/c" origin main
placed_all "$TMP/out" "kinds/" "pre-receive"
assert_no_keys "$TMP/out"
"$KEYGATE" install --repo "$TMP/c" --hook pre-push >/dev/null
if git -C "$TMP/c" push origin main >"$TMP/out" 2>&1; then fail "pre-push let the archives through"; fi
placed_all "$TMP/out" "kinds/" "pre-push"
