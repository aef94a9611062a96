#!/usr/bin/env bash
# Issue #25: an archive holding a key is caught in every mode: the pre-commit hook (the staged blob is
# opened from the index), `history` (an archive committed long ago, attributed to its commit), pre-push,
# pre-receive (a bare server); a finding inside an archive is suppressible by its fingerprint in
# .keygateignore and by keygate:allow in the entry; `redact` refuses an archive and writes nothing.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/push/server.sh"
KEY=$(fake_key 2531)
OTHER=$(fake_key 2532)
mkzip() {  # mkzip ZIP ENTRY TEXT: a deflated zip of one entry
  python3 -c 'import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z: z.writestr(sys.argv[2], sys.argv[3])' "$@"
}

# The hook: a staged zip with a key is blocked, placed at the zip and the entry.
r="$TMP/r"
new_repo "$r"
echo hello >"$r/README" && git -C "$r" add README && commit_ok "$r" first
mkzip "$r/release.zip" "app/.env" "$(printf 'A=1\nTOGETHER_API_KEY=%s\n' "$KEY")"
git -C "$r" add release.zip
commit_blocked "$r" "add release"
grep -qF "release.zip!app/.env:2:" "$TMP/out" || { cat "$TMP/out"; fail "hook: not placed at release.zip!app/.env:2"; }
assert_no_key "$TMP/out" "$KEY"

# Accepted through .keygateignore (its fingerprint covers release.zip!app/.env): the commit goes through.
"$KEYGATE" staged --repo "$r" --format json >"$TMP/j" 2>/dev/null || true
fp=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["fingerprint"])' "$TMP/j")
case "$fp" in *"release.zip!app/.env"*) ;; *) fail "fingerprint $fp lacks the inner path" ;; esac
echo "$fp" >"$r/.keygateignore" && git -C "$r" add .keygateignore
commit_ok "$r" "release, key accepted"
# An inline allow inside an entry works as in any file.
mkzip "$r/allowed.zip" "conf.txt" "token=$OTHER # keygate:allow"
git -C "$r" add allowed.zip && commit_ok "$r" "allowed"

# history: the archive committed (with --no-verify) two commits ago is found and attributed.
mkzip "$r/old.jar" "application.properties" "together.key=$OTHER"
git -C "$r" add old.jar && git -C "$r" commit -q --no-verify -m "old jar"
added=$(git -C "$r" rev-parse HEAD)
echo more >>"$r/README" && git -C "$r" commit -q -am later
set +e
"$KEYGATE" history --repo "$r" >"$TMP/h" 2>&1
rc=$?
set -e
[ "$rc" = 1 ] || { cat "$TMP/h"; fail "history exit $rc"; }
grep -qF "old.jar!application.properties:1:" "$TMP/h" || { cat "$TMP/h"; fail "history: not placed"; }
grep -qF "${added:0:12}" "$TMP/h" || { cat "$TMP/h"; fail "history: not attributed to the commit that added it"; }
grep -qF "release.zip" "$TMP/h" && { cat "$TMP/h"; fail "history: the accepted finding came back"; }

# pre-receive: a bare server refuses a push that brings a tar.gz with a key; pre-push refuses it too.
new_server "$TMP/srv.git"
new_client "$TMP/c" "file://$TMP/srv.git"
c="$TMP/c"
mkdir -p "$TMP/t/etc" && printf 'TOGETHER_API_KEY=%s\n' "$KEY" >"$TMP/t/etc/app.env"
tar -czf "$c/backup.tar.gz" -C "$TMP/t" etc
git -C "$c" add backup.tar.gz && git -C "$c" commit -q -m backup
push_rejected "$c" origin main
grep -qF "backup.tar.gz!etc/app.env:1" "$TMP/out" || { cat "$TMP/out"; fail "pre-receive: not placed"; }
server_lacks "$TMP/srv.git" "$(git -C "$c" rev-parse HEAD)"
"$KEYGATE" install --repo "$c" --hook pre-push >/dev/null
if git -C "$c" push origin main >"$TMP/out" 2>&1; then fail "pre-push let the archive through"; fi
grep -qF "backup.tar.gz!etc/app.env:1" "$TMP/out" || { cat "$TMP/out"; fail "pre-push: not placed"; }

# redact refuses an archive, says why, and leaves it as it was.
cp "$r/release.zip" "$TMP/copy.zip"
set +e
"$KEYGATE" redact --in-place "$TMP/copy.zip" 2>"$TMP/err"
rc=$?
set -e
[ "$rc" != 0 ] || fail "redact accepted an archive"
grep -q "zip archive: redact does not rewrite archives" "$TMP/err" || { cat "$TMP/err"; fail "redact: no clear note"; }
cmp -s "$r/release.zip" "$TMP/copy.zip" || fail "redact changed the archive"
"$KEYGATE" redact <"$r/release.zip" >"$TMP/red.out" 2>"$TMP/err" && fail "redact from stdin accepted an archive"
[ ! -s "$TMP/red.out" ] || fail "redact wrote part of an archive"
