# keygate lsp over real pipes, driven by a client of our own (tests/e2e/lsp/protocol.py; issue 29): the
# repository's config, .keygateignore and --baseline apply as in the hook, fingerprints are `keygate scan`'s,
# utf-8 positions are negotiated, malformed JSON is answered, bad framing and a truncated input end the
# process cleanly, and no message holds a whole key.
source "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || { echo "python3 missing: skipped"; exit 0; }
git init -q "$TMP/repo"
mkdir -p "$TMP/repo/src" "$TMP/repo/fixtures"
cat >"$TMP/repo/.keygate.toml" <<'TOML'
[[allowlists]]
description = "test fixtures"
paths = ['''^fixtures/''']
TOML
python3 "$KEYGATE_SOURCE/tests/e2e/lsp/protocol.py" "$KEYGATE" "$(cd "$TMP/repo" && pwd -P)" || fail "the protocol session"
