#!/usr/bin/env bash
# Issue #25: the [archive] table of .keygate.toml sets the archive limits (max_depth, max_expanded_bytes,
# max_ratio, max_entries, max_path_length) and whether an archive that cannot be read whole fails the run
# (unreadable = "fail" | "pass"); --max-archive-depth overrides max_depth (0 turns archives off); a bad
# value is a one-line error naming file:line, exit 2; a pushed .keygate.toml may tighten the server's
# limits but not weaken them (a shallower depth, 0, higher limits, unreadable = "pass" are refused).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/push/server.sh"
KEY=$(fake_key 2561)
w="$TMP/w" && mkdir -p "$w"
python3 - "$w" "$KEY" <<'PY'
import gzip, io, sys, zipfile
w, key = sys.argv[1:]
inner = io.BytesIO()
with zipfile.ZipFile(inner, "w") as z: z.writestr("conf/.env", f"TOGETHER_API_KEY={key}\n")
with zipfile.ZipFile(f"{w}/nested.zip", "w") as z: z.writestr("inner.zip", inner.getvalue())
with zipfile.ZipFile(f"{w}/many.zip", "w") as z:
    for i in range(5): z.writestr(f"f{i}.txt", "plain\n" * 400)
    z.writestr("a/" * 20 + "deep.txt", "x\n")
with zipfile.ZipFile(f"{w}/zeros.zip", "w", zipfile.ZIP_DEFLATED) as z: z.writestr("zeros.txt", b"0" * (20 << 20))
b = bytearray(gzip.compress(b"nothing secret\n" * 100)); b[-8] ^= 1
open(f"{w}/corrupt.log.gz", "wb").write(bytes(b))
PY
scan() {  # scan CONFIG-TEXT FILE [OPTION...]: in $w with that .keygate.toml; exit code in $rc
  printf '%s\n' "$1" >"$w/.keygate.toml"
  local file=$2
  shift 2
  set +e
  (cd "$w" && "$KEYGATE" scan "$@" "$file") >"$TMP/out" 2>"$TMP/err"
  rc=$?
  set -e
}
said() { grep -qF -- "$1" "$TMP/err" || { cat "$TMP/out" "$TMP/err"; fail "not said: $1"; }; }

scan '' nested.zip
[ "$rc" = 1 ] || fail "defaults: exit $rc, not 1"
scan $'[archive]\nmax_depth = 1' nested.zip
[ "$rc" = 2 ] || fail "max_depth = 1: exit $rc, not 2"
said "nested.zip!inner.zip: zip archive not opened: it is 2 levels deep (archive depth limit 1)"
scan $'[archive]\nmax_depth = 1' nested.zip --max-archive-depth 2
[ "$rc" = 1 ] || { cat "$TMP/err"; fail "--max-archive-depth 2 over max_depth = 1: exit $rc, not 1"; }
scan $'[archive]\nmax_depth = 0' nested.zip
[ "$rc" = 0 ] || fail "max_depth = 0 still opened archives: exit $rc"
scan $'[archive]\nmax_entries = 3' many.zip
[ "$rc" = 2 ] && said "many.zip: more than 3 entries; the rest is not scanned (archive entry limit)"
scan $'[archive]\nmax_expanded_bytes = 3000' many.zip
[ "$rc" = 2 ] && said "the archive expands to over 3000 bytes; the rest is not scanned (archive size limit)"
scan $'[archive]\nmax_path_length = 30' many.zip
[ "$rc" = 2 ] && said "its path is 48 bytes long (limit 30)"
scan $'[archive]\nmax_ratio = 50' zeros.zip
[ "$rc" = 2 ] && said "zeros.zip!zeros.txt: stopped: it expands to over 50 times its size"
scan '' zeros.zip
[ "$rc" = 2 ] && said "expands to over 100 times its size"
scan $'[archive]\nmax_ratio = 1000' zeros.zip
[ "$rc" = 0 ] || { cat "$TMP/err"; fail "zeros.zip under max_ratio = 1000: exit $rc"; }

# unreadable: "fail" (the default) makes a corrupt archive an incomplete scan; "pass" says it and goes on.
scan '' corrupt.log.gz
[ "$rc" = 2 ] && said "warning: corrupt.log.gz!corrupt.log: truncated or corrupt entry"
scan $'[archive]\nunreadable = "pass"' corrupt.log.gz
[ "$rc" = 0 ] || { cat "$TMP/err"; fail "unreadable = pass: exit $rc, not 0"; }
said 'keygate: note: corrupt.log.gz!corrupt.log: truncated or corrupt entry, read only in part: gzip CRC-32 mismatch'

# Bad values: one line each, naming the file and line, exit 2.
for bad in 'max_depth = 17' 'max_ratio = 0' 'max_entries = "many"' 'unreadable = "maybe"' 'depth = 3'; do
  scan $'# limits\n[archive]\n'"$bad" nested.zip
  [ "$rc" = 2 ] || fail "$bad: exit $rc, not 2"
  [ "$(wc -l <"$TMP/err")" = 1 ] && grep -q '^keygate: .*\.keygate\.toml:3: \[archive\]: ' "$TMP/err" ||
    { cat "$TMP/err"; fail "$bad: not one line naming .keygate.toml:3"; }
done

# The hook: a staged corrupt gzip blocks the commit unless the staged config says unreadable = "pass".
r="$TMP/r"
new_repo "$r"
cp "$w/corrupt.log.gz" "$r/" && git -C "$r" add corrupt.log.gz
if git -C "$r" commit -q -m log >"$TMP/out" 2>&1; then fail "hook let a corrupt gzip through"; fi
printf '[archive]\nunreadable = "pass"\n' >"$r/.keygate.toml" && git -C "$r" add .keygate.toml
commit_ok "$r" "log, unreadable archives accepted"

# pre-receive: a pushed config cannot turn archives off or weaken the limits; it may tighten them.
new_server "$TMP/srv.git"
new_client "$TMP/c" "file://$TMP/srv.git"
c="$TMP/c"
cp "$w/nested.zip" "$w/corrupt.log.gz" "$c/"
printf '[archive]\nmax_depth = 0\nmax_expanded_bytes = 99999999999\nunreadable = "pass"\n' >"$c/.keygate.toml"
git -C "$c" add -A && git -C "$c" commit -q -m "archives, limits off"
push_rejected "$c" origin main
grep -qF "nested.zip!inner.zip!conf/.env:1" "$TMP/out" || { cat "$TMP/out"; fail "pushed max_depth = 0 turned the server's archive reading off"; }
for refused in "[archive] max_depth = 0 not applied" "[archive] max_expanded_bytes = 99999999999 not applied" \
  '[archive] unreadable = "pass" not applied'; do
  grep -qF "$refused" "$TMP/out" || { cat "$TMP/out"; fail "not said: $refused"; }
done
grep -q "corrupt.log.gz!corrupt.log: truncated or corrupt" "$TMP/out" || { cat "$TMP/out"; fail "corrupt gzip not said on the server"; }
# Tightening is applied: a pushed max_entries = 1 makes a two-entry zip incomplete on the server.
git -C "$c" reset -q --hard HEAD~1
python3 -c 'import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as z: z.writestr("a.txt", "a\n"); z.writestr("b.txt", "b\n")' "$c/two.zip"
printf '[archive]\nmax_entries = 1\n' >"$c/.keygate.toml"
git -C "$c" add -A && git -C "$c" commit -q -m "two entries, tighter limit"
push_rejected "$c" origin main
grep -qF "two.zip: more than 1 entries" "$TMP/out" || { cat "$TMP/out"; fail "pushed tightening not applied"; }
