#!/usr/bin/env bash
# Issue #25: a key inside each kind of container is found by `keygate scan` (a directory, a file, stdin)
# and placed outer!inner:line; containers are recognised by content, not name; JSON keeps "file" (the
# outer path) and adds "inner"; SARIF names the entry as a logical location; --max-archive-depth 0 is off.
source "$(dirname "$0")/lib.sh"
d="$TMP/d" && mkdir -p "$d/src/app" "$TMP/w"
cd "$TMP/w"
k() { fake_key "$1"; }
printf 'A=1\nTOGETHER_API_KEY=%s\n' "$(k 2511)" >"$TMP/w/.env"
python3 - "$d" "$(k 2512)" "$(k 2513)" "$(k 2514)" <<'PY'
import io, sys, tarfile, zipfile
d, k1, k2, k3 = sys.argv[1:]
env = open(".env").read()
for name in ["release.zip", "app.jar", "web.war", "lib.whl", "pkg.nupkg", "ext.vsix", "addon.xpi", "book.epub", "app.apk", "noext"]:
    with zipfile.ZipFile(f"{d}/{name}", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("README.md", "# nothing\n")
        z.writestr("app/.env", env)
for mode, name in [("w", "b.tar"), ("w:gz", "b.tar.gz"), ("w:bz2", "b.tar.bz2"), ("w:xz", "b.tar.xz")]:
    with tarfile.open(f"{d}/{name}", mode) as t:
        data = env.encode()
        info = tarfile.TarInfo("etc/app/.env"); info.size = len(data)
        t.addfile(info, io.BytesIO(data))
# A jar inside a tar.gz inside a zip: three levels.
jar = io.BytesIO()
with zipfile.ZipFile(jar, "w") as z:
    z.writestr("BOOT-INF/classes/application.properties", f"together.key={k1}\n")
tgz = io.BytesIO()
with tarfile.open(fileobj=tgz, mode="w:gz") as t:
    info = tarfile.TarInfo("lib/app.jar"); info.size = len(jar.getvalue())
    t.addfile(info, io.BytesIO(jar.getvalue()))
with zipfile.ZipFile(f"{d}/bundle.zip", "w") as z:
    z.writestr("dist/backup.tgz", tgz.getvalue())
# A CRX 3 file: "Cr24", version 3, header length, header, then the zip.
crx_zip = io.BytesIO()
with zipfile.ZipFile(crx_zip, "w") as z:
    z.writestr("config.js", f'const key = "{k2}";\n')
header = b"\x12\x00fake-header-bytes"
open(f"{d}/ext.crx", "wb").write(b"Cr24" + (3).to_bytes(4, "little") + len(header).to_bytes(4, "little") + header + crx_zip.getvalue())
open(f"{d}/src/app/settings.py", "w").write("DEBUG = True\n")
PY
gzip -c "$TMP/w/.env" >"$d/app.env.gz"
bzip2 -c "$TMP/w/.env" >"$d/app.env.bz2"
xz -c "$TMP/w/.env" >"$d/app.env.xz"
zstd -q -c "$TMP/w/.env" >"$d/app.env.zst"
tar -cf - -C "$TMP/w" .env | zstd -q -c >"$d/b.tar.zst"
(cd "$TMP/w" && 7z a -bd -y "$d/b.7z" .env >/dev/null)
printf 'token = "%s"\n' "$(k 2514)" >"$TMP/w/nested.txt"
(cd "$TMP/w" && zip -q inner.zip nested.txt && zip -q outer.zip inner.zip && mv outer.zip "$d/outer.zip")

set +e
"$KEYGATE" scan "$d" >"$TMP/out" 2>"$TMP/err"
rc=$?
set -e
[ "$rc" = 1 ] || { cat "$TMP/out" "$TMP/err"; fail "scan exit $rc, not 1"; }
[ -s "$TMP/err" ] && { cat "$TMP/err"; fail "warnings for well-formed archives"; }
for place in release.zip app.jar web.war lib.whl pkg.nupkg ext.vsix addon.xpi book.epub app.apk noext; do
  grep -qF "$d/$place!app/.env:2:" "$TMP/out" || { cat "$TMP/out"; fail "$place: key not placed at $place!app/.env:2"; }
done
for place in b.tar b.tar.gz b.tar.bz2 b.tar.xz; do
  grep -qF "$d/$place!etc/app/.env:2:" "$TMP/out" || { cat "$TMP/out"; fail "$place: key not placed"; }
done
for place in "app.env.gz!app.env" "app.env.bz2!app.env" "app.env.xz!app.env" "app.env.zst!app.env" \
  "b.tar.zst!.env" "b.7z!.env" "bundle.zip!dist/backup.tgz!lib/app.jar!BOOT-INF/classes/application.properties:1" \
  "ext.crx!config.js:1" "outer.zip!inner.zip!nested.txt:1"; do
  grep -qF "$d/$place" "$TMP/out" || { cat "$TMP/out"; fail "not placed at $place"; }
done
assert_no_key "$TMP/out" "$(k 2511)"

# JSON: "file" is the outer path, "inner" the path at each level; SARIF: a logical location per entry.
"$KEYGATE" scan --format json "$d/bundle.zip" >"$TMP/j" 2>&1 || true
python3 - "$TMP/j" "$d/bundle.zip" <<'PY'
import json, sys
f = json.load(open(sys.argv[1]))
assert len(f) == 1, f
assert f[0]["file"] == sys.argv[2], f[0]
assert f[0]["inner"] == ["dist/backup.tgz", "lib/app.jar", "BOOT-INF/classes/application.properties"], f[0]
assert f[0]["line"] == 1 and f[0]["fingerprint"], f[0]
PY
"$KEYGATE" scan --format sarif "$d/bundle.zip" >"$TMP/s" 2>&1 || true
python3 - "$TMP/s" <<'PY'
import json, sys
loc = json.load(open(sys.argv[1]))["runs"][0]["results"][0]["locations"][0]
assert loc["physicalLocation"]["artifactLocation"]["uri"].endswith("bundle.zip"), loc
assert loc["logicalLocations"][0]["fullyQualifiedName"].endswith("bundle.zip!dist/backup.tgz!lib/app.jar!BOOT-INF/classes/application.properties"), loc
PY
"$KEYGATE" scan --format gitlab "$d/ext.crx" >"$TMP/g" 2>&1 || true
grep -qF 'in '"$d"'/ext.crx!config.js' "$TMP/g" || { cat "$TMP/g"; fail "GitLab report does not name the entry"; }

# stdin: a tar.gz piped in is read as an archive.
set +e
"$KEYGATE" scan - <"$d/b.tar.gz" >"$TMP/in" 2>&1
rc=$?
set -e
[ "$rc" = 1 ] && grep -qF "(stdin)!etc/app/.env:2:" "$TMP/in" || { cat "$TMP/in"; fail "stdin archive: rc $rc"; }

# --max-archive-depth 0: archives are binary files again; 1: the jar inside the tar.gz is not opened.
"$KEYGATE" scan --max-archive-depth 0 "$d" >"$TMP/off" 2>&1 || { cat "$TMP/off"; fail "depth 0 still found something"; }
set +e
"$KEYGATE" scan --max-archive-depth 2 "$d/bundle.zip" >"$TMP/two" 2>&1
rc=$?
set -e
[ "$rc" = 2 ] || { cat "$TMP/two"; fail "depth limit: exit $rc, not 2"; }
grep -qF "bundle.zip!dist/backup.tgz!lib/app.jar: zip archive not opened: it is 3 levels deep" "$TMP/two" ||
  { cat "$TMP/two"; fail "depth limit not said with its place"; }
