#!/usr/bin/env bash
# Issue #22, one pipeline: the same content under the same config gets the same verdict from `scan`,
# `history`, `staged` (a real `git commit`), pre-push and pre-receive (real pushes): a low-confidence
# generic password in a test fixture passes every one of them, a Together key blocks every one.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/push/server.sh"
KEY=$(fake_key 2201)
# A generic password in a test fixture: found at low confidence, below the default minimum everywhere.
pw=$(awk 'BEGIN { srand(2202); a = "abcdefghijklmnopqrstuvwxyz0123456789"; s = "";
  for (i = 0; i < 14; i++) s = s substr(a, int(rand() * 36) + 1, 1); print s }')

# verdicts NAME FILE CONTENT EXPECT: EXPECT is "pass" or "block", checked in every mode.
verdicts() {
  local name=$1 file=$2 content=$3 expect=$4 d="$TMP/$1"
  mkdir -p "$d"
  new_server "$d/srv.git"
  new_client "$d/c" "file://$d/srv.git"
  "$KEYGATE" install --repo "$d/c" >/dev/null
  "$KEYGATE" install --repo "$d/c" --hook pre-push >/dev/null
  mkdir -p "$d/c/$(dirname "$file")"
  printf '%s\n' "$content" >"$d/c/$file"
  git -C "$d/c" add -A
  local got
  # scan (of the work tree) and staged (the real pre-commit hook)
  if (cd "$d/c" && "$KEYGATE" scan "$file" >/dev/null 2>&1); then got=pass; else got=block; fi
  [ "$got" = "$expect" ] || fail "$name: scan: $got, expected $expect"
  if git -C "$d/c" commit -q -m "$name" >"$TMP/out" 2>&1; then got=pass; else got=block; fi
  [ "$got" = "$expect" ] || { cat "$TMP/out"; fail "$name: staged: $got, expected $expect"; }
  [ "$got" = pass ] || git -C "$d/c" commit -q --no-verify -m "$name"
  # history
  if (cd "$d/c" && "$KEYGATE" history >/dev/null 2>&1); then got=pass; else got=block; fi
  [ "$got" = "$expect" ] || fail "$name: history: $got, expected $expect"
  # pre-push (the client's hook), then pre-receive alone (the client's hook skipped)
  if git -C "$d/c" push origin main >"$TMP/out" 2>&1; then got=pass; else got=block; fi
  [ "$got" = "$expect" ] || { cat "$TMP/out"; fail "$name: pre-push: $got, expected $expect"; }
  if [ "$got" = block ]; then
    if git -C "$d/c" push --no-verify origin main >"$TMP/out" 2>&1; then got=pass; else got=block; fi
    [ "$got" = "$expect" ] || { cat "$TMP/out"; fail "$name: pre-receive: $got, expected $expect"; }
    grep -q "pre-receive hook declined" "$TMP/out" || { cat "$TMP/out"; fail "$name: not the server that blocked"; }
  fi
}

verdicts fixture-password tests/fixtures/db.py "password = \"$pw\"" pass
# The same password is found at low confidence by every mode when asked: it is the threshold that passes it.
(cd "$TMP/fixture-password/c" && "$KEYGATE" scan --min-confidence low tests/fixtures/db.py >/dev/null 2>&1) &&
  fail "the fixture password is not found at all: this test no longer tests a threshold"
verdicts together-key src/settings.env "TOGETHER_API_KEY=$KEY" block
echo "keygate-e2e: verdict_same_in_every_mode ok"
