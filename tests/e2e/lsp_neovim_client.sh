# keygate lsp under a real LSP client (issue 29): Debian's Neovim, headless, with no user config and its
# built-in client, opens a file of a repository, types keys into it, reads keygate's diagnostics, applies
# the environment-variable, keygate:allow and .keygateignore code actions, and checks the buffer, the
# diagnostics and the ignore file after each (tests/e2e/lsp/neovim.lua).
source "$(dirname "$0")/lib.sh"
command -v nvim >/dev/null || { echo "nvim missing: skipped"; exit 0; }
# Hermetic: Neovim's config, data, state, cache (its LSP log) and runtime directories are private.
export XDG_DATA_HOME="$TMP/xdg/data" XDG_STATE_HOME="$TMP/xdg/state" XDG_CACHE_HOME="$TMP/xdg/cache"
export XDG_RUNTIME_DIR="$TMP/xdg/run" XDG_CONFIG_DIRS="$TMP/xdg/none" XDG_DATA_DIRS="/usr/share"
mkdir -p "$XDG_DATA_HOME" "$XDG_STATE_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
git init -q "$TMP/repo"
printf 'import os\n' >"$TMP/repo/app.py"
export REPO="$TMP/repo" KEY=$(fake_key 101) KEY2=$(fake_key 102) KEY3=$(fake_key 103)
timeout 60 nvim --headless -u NONE -i NONE -n -c "luafile $KEYGATE_SOURCE/tests/e2e/lsp/neovim.lua" \
  >"$TMP/out" 2>"$TMP/err" </dev/null || { cat "$TMP/out" "$TMP/err" >&2; fail "the Neovim session failed"; }
grep -q "neovim: ok" "$TMP/out" "$TMP/err" || { cat "$TMP/out" "$TMP/err" >&2; fail "the Neovim session did not finish"; }
# The file on disk was never written by the server; the buffer was not saved.
[ "$(cat "$TMP/repo/app.py")" = "import os" ] || fail "app.py changed on disk"
echo ok
