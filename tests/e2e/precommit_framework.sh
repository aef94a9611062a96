# The real pre-commit framework, with this repository as a hook repository: the "keygate" hook builds on
# first use and reuses the build; it blocks a commit that adds a key; `pre-commit run --all-files` really
# scans every file; the "keygate-system" hook uses an installed binary.
source "$(dirname "$0")/lib.sh"
command -v pre-commit >/dev/null || fail "pre-commit is not installed (apt-get install pre-commit)"
export PRE_COMMIT_HOME="$TMP/pre-commit-cache"

# This source tree as a hook repository (its committed files, plus any local changes to them).
hooks="$TMP/hook-repo"
mkdir -p "$hooks"
(cd "$KEYGATE_SOURCE" && git ls-files -z --cached --others --exclude-standard | xargs -0 tar cf - ) | tar xf - -C "$hooks"
git -C "$hooks" init -q && git -C "$hooks" add -A && git -C "$hooks" commit -q --no-verify -m hooks
rev=$(git -C "$hooks" rev-parse HEAD)

r="$TMP/project"; git init -q "$r"
cat > "$r/.pre-commit-config.yaml" <<YAML
repos:
  - repo: $hooks
    rev: $rev
    hooks:
      - id: keygate
YAML
git -C "$r" add .pre-commit-config.yaml
(cd "$r" && pre-commit install >/dev/null)

# First use: builds, then blocks the key.
printf 'TOGETHER_API_KEY=%s\n' "$(fake_key 20)" > "$r/.env"
git -C "$r" add .env
if git -C "$r" commit -q -m key > "$TMP/out" 2>&1; then cat "$TMP/out"; fail "pre-commit let the key through"; fi
grep -q "first use: building" "$TMP/out" || { cat "$TMP/out"; fail "no build on first use"; }
grep -q ".env:1:18: together-api-key" "$TMP/out" || { cat "$TMP/out"; fail "finding not reported"; }

# Second use: no rebuild; a clean commit passes.
echo 'TOGETHER_API_KEY=${TOGETHER_API_KEY}' > "$r/.env"; git -C "$r" add .env
git -C "$r" commit -q -m clean > "$TMP/out" 2>&1 || { cat "$TMP/out"; fail "clean commit blocked"; }
grep -q "building" "$TMP/out" && fail "rebuilt on second use"

# --all-files scans what is already committed.
printf 'key = "%s"\n' "$(fake_key 21)" > "$r/old.py"; git -C "$r" add old.py
git -C "$r" commit -q --no-verify -m "sneaked in"
if (cd "$r" && pre-commit run --all-files > "$TMP/out" 2>&1); then cat "$TMP/out"; fail "--all-files passed"; fi
grep -q "old.py:1:8: together-api-key" "$TMP/out" || { cat "$TMP/out"; fail "--all-files did not report old.py"; }

# The system variant uses the installed binary.
mkdir -p "$TMP/bin" && ln -s "$KEYGATE" "$TMP/bin/keygate"
sed -i 's/id: keygate$/id: keygate-system/' "$r/.pre-commit-config.yaml"
if (cd "$r" && PATH="$TMP/bin:$PATH" pre-commit run --all-files > "$TMP/out" 2>&1); then cat "$TMP/out"; fail "system hook passed"; fi
grep -q "old.py:1:8: together-api-key" "$TMP/out" || { cat "$TMP/out"; fail "system hook did not report"; }
