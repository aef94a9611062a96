# B2: install asks git where hooks go, so core.hooksPath set where libgit2 does not look is honoured:
# .git/config.worktree (extensions.worktreeConfig), includeIf "hasconfig:remote.*.url:...", an exported
# GIT_CONFIG_GLOBAL, and GIT_CONFIG_COUNT/KEY/VALUE. Each time a real commit with a key is blocked.
source "$(dirname "$0")/lib.sh"
key=$(fake_key 601)
try() {  # try NAME: install in $r, then a commit with a key must be blocked by the hook in $TMP/$1-hooks
  "$KEYGATE" install --repo "$r" >"$TMP/out" 2>&1 || { cat "$TMP/out" >&2; fail "$1: install failed"; }
  grep -q "$1-hooks/pre-commit" "$TMP/out" || { cat "$TMP/out" >&2; fail "$1: not installed where git looks"; }
  [ -e "$r/.git/hooks/pre-commit" ] && fail "$1: installed in .git/hooks, which git does not run"
  printf 'k=%s\n' "$key" > "$r/$1.env"; git -C "$r" add "$1.env"
  commit_blocked "$r" "$1"
  git -C "$r" rm -q --cached "$1.env"
}
r="$TMP/wt"; git init -q "$r"
git -C "$r" config extensions.worktreeConfig true
git -C "$r" config --worktree core.hooksPath "$TMP/worktree-hooks"
try worktree

r="$TMP/inc"; git init -q "$r"
printf '[core]\n\thooksPath = %s\n' "$TMP/include-hooks" > "$TMP/included.gitconfig"
git -C "$r" remote add origin https://example.invalid/team/project.git
git -C "$r" config 'includeIf.hasconfig:remote.*.url:https://example.invalid/**.path' "$TMP/included.gitconfig"
try include

r="$TMP/glob"; git init -q "$r"
cp "$GIT_CONFIG_GLOBAL" "$TMP/other.gitconfig"
printf '[core]\n\thooksPath = %s\n' "$TMP/global-hooks" >> "$TMP/other.gitconfig"
(export GIT_CONFIG_GLOBAL="$TMP/other.gitconfig"; try global)

r="$TMP/env"; git init -q "$r"
(export GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=core.hooksPath GIT_CONFIG_VALUE_0="$TMP/env-hooks"; try env)
echo ok
