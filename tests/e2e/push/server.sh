# Helpers for the push-check tests (sourced after lib.sh; not a test itself: CTest registers e2e/*.sh only).
# A bare "server" repository whose pre-receive hook runs keygate, and a client clone that pushes to it.

# new_server DIR [KEYGATE-OPTIONS...]: a bare repository with a pre-receive hook calling keygate.
new_server() {
  local dir=$1
  shift
  git init -q --bare "$dir"
  {
    echo '#!/bin/sh'
    printf 'exec %q pre-receive' "$KEYGATE"
    for a in "$@"; do printf ' %q' "$a"; done
    echo
  } >"$dir/hooks/pre-receive"
  chmod +x "$dir/hooks/pre-receive"
}

# new_client DIR SERVER: a clone with one clean commit on main, pushed.
new_client() {
  git init -q "$1"
  echo "hello" >"$1/README"
  git -C "$1" add README
  git -C "$1" commit -q -m "first"
  git -C "$1" remote add origin "$2"
  git -C "$1" push -q origin main 2>"$TMP/out" || { cat "$TMP/out" >&2; fail "first push rejected"; }
}

# push_ok DIR ARGS... / push_rejected DIR ARGS...: a real `git push`, its output in $TMP/out.
push_ok() {
  local dir=$1
  shift
  git -C "$dir" push "$@" >"$TMP/out" 2>&1 || { cat "$TMP/out" >&2; fail "push $* was rejected"; }
}
push_rejected() {
  local dir=$1
  shift
  if git -C "$dir" push "$@" >"$TMP/out" 2>&1; then cat "$TMP/out" >&2; fail "push $* went through"; fi
  grep -q "pre-receive hook declined\|pre-push hook\|failed to push" "$TMP/out" || { cat "$TMP/out" >&2; fail "push $* failed for another reason"; }
}

# server_has SERVER OID / server_lacks SERVER OID
server_has() { git -C "$1" cat-file -e "$2" 2>/dev/null || fail "$1 lacks $2"; }
server_lacks() { if git -C "$1" cat-file -e "$2" 2>/dev/null; then fail "$1 holds $2 after a rejected push"; fi; }
