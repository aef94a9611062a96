# Shared by the end-to-end tests: a private HOME and git config, a temp directory, fake keys made at run
# time, and assertions. Each test sources this, then drives the real keygate binary ($KEYGATE) and git.
set -euo pipefail
: "${KEYGATE:?KEYGATE must point at the keygate binary}"
KEYGATE_SOURCE=${KEYGATE_SOURCE:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/keygate-e2e-XXXXXX")
trap 'rm -rf "$TMP"' EXIT
# Hermetic: nothing of the user's git environment or configuration is read, and nothing of it is written.
# Every GIT_* variable (GIT_DIR, GIT_CONFIG_COUNT/KEY/VALUE, GIT_CONFIG_PARAMETERS, GIT_TEMPLATE_DIR, ...)
# is dropped; the global config is a private file (GIT_CONFIG_GLOBAL wins over HOME), the system one is off.
while read -r name; do unset "$name"; done < <(compgen -e | grep '^GIT_' || true)
export HOME="$TMP/home" XDG_CONFIG_HOME="$TMP/home/.config"
export GIT_CONFIG_GLOBAL="$TMP/home/.gitconfig" GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_SYSTEM=/dev/null
mkdir -p "$HOME"
: >"$GIT_CONFIG_GLOBAL"
git config --global user.name "E2E Test"
git config --global user.email "e2e@example.invalid"
git config --global init.defaultBranch main
git config --global advice.detachedHead false

# fake_key SEED: a Together-shaped key, different per seed, the same on every run.
fake_key() {
  awk -v seed="$1" 'BEGIN { srand(seed); a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
    s = "tgp_" "v1_"; for (i = 0; i < 43; i++) s = s substr(a, int(rand() * 64) + 1, 1); print s }'
}

fail() { echo "FAIL: $*" >&2; exit 1; }

# new_repo DIR: an empty repository with keygate's hook installed.
new_repo() {
  git init -q "$1"
  "$KEYGATE" install --repo "$1" >/dev/null
}

# commit_ok DIR MESSAGE / commit_blocked DIR MESSAGE: run a real `git commit` through the hook.
commit_ok() {
  git -C "$1" commit -q -m "$2" >"$TMP/out" 2>&1 || { cat "$TMP/out" >&2; fail "commit '$2' was blocked"; }
}
commit_blocked() {
  if git -C "$1" commit -q -m "$2" >"$TMP/out" 2>&1; then cat "$TMP/out" >&2; fail "commit '$2' went through"; fi
  grep -q "no-verify" "$TMP/out" || { cat "$TMP/out" >&2; fail "blocked without saying how to bypass"; }
}

# assert_no_key FILE KEY: the output never shows the whole key.
assert_no_key() { if grep -qF -- "$2" "$1"; then fail "$1 shows a whole secret"; fi; }

# as_unprivileged DIR...: for permission tests. Root ignores file modes, so when the tests run as root,
# DIR... are given to the user nobody and "${unprivileged[@]}" runs a command as nobody (it stays empty
# otherwise). Exits 0 (skipped) when that is impossible.
unprivileged=()
as_unprivileged() {
  [ "$(id -u)" -eq 0 ] || return 0
  command -v runuser >/dev/null || { echo "runuser missing: skipped"; exit 0; }
  chmod 755 "$TMP" "$HOME"
  chmod 644 "$GIT_CONFIG_GLOBAL"
  chown -R nobody "$@"
  unprivileged=(runuser -u nobody --)
}

# local_network: for tests that talk to their own server on 127.0.0.1: no proxy from the environment, and
# every server whose pid is added to `servers` is stopped on exit.
local_network() {
  unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
  export NO_PROXY=127.0.0.1,localhost
  servers=()
  trap 'kill "${servers[@]}" 2>/dev/null || true; rm -rf "$TMP"' EXIT
}

# wait_for FILE: waits until a server started in the background has written FILE (its port, a scenario
# list), up to 60 s: on a loaded machine (the sanitizer run, every test at once) a Python server can take
# several seconds to start, and a test that went on without it would blame keygate.
wait_for() {
  for _ in $(seq 1200); do [ -s "$1" ] && return 0; sleep 0.05; done
  fail "$1 was not written within 60 s: the test's server did not start"
}
