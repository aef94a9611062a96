#!/usr/bin/env bash
# Issue #23, item 2: `history` reads what refs name beyond commits: a key in a blob that only a tag (light
# or annotated) or a notes ref points at, in a tree that a tag points at, and in the message of an
# annotated tag of a blob, is found and named by its ref; --branches alone does not read them.
source "$(dirname "$0")/lib.sh"
r="$TMP/r"
git init -q "$r"
echo hello >"$r/README" && git -C "$r" add README && git -C "$r" commit -q -m first
k1=$(fake_key 2311) k2=$(fake_key 2312) k3=$(fake_key 2313) k4=$(fake_key 2314)
b1=$(printf 'TOGETHER_API_KEY=%s\n' "$k1" | git -C "$r" hash-object -w --stdin)
b2=$(printf 'TOGETHER_API_KEY=%s\n' "$k2" | git -C "$r" hash-object -w --stdin)
b3=$(printf 'TOGETHER_API_KEY=%s\n' "$k3" | git -C "$r" hash-object -w --stdin)
git -C "$r" tag light "$b1"
git -C "$r" update-ref refs/notes/blob "$b2"
sub=$(printf '100644 blob %s\tprod.env\n' "$b3" | git -C "$r" mktree)
tree=$(printf '040000 tree %s\tdeploy\n' "$sub" | git -C "$r" mktree)
git -C "$r" tag -a -m "keys for TOGETHER_API_KEY=$k4" tree-tag "$tree"
(cd "$r" && "$KEYGATE" history --format json >"$TMP/out.json" 2>"$TMP/err") && fail "history found nothing"
python3 - "$TMP/out.json" "$k1" "$k2" "$k3" "$k4" <<'PY'
import json, sys
found = json.load(open(sys.argv[1]))
places = sorted((f.get("file") or f.get("kind"), f["rule"]) for f in found)
assert len(found) == 4, places
files = {f.get("file") for f in found}
assert "refs/tags/light" in files, places
assert "refs/notes/blob" in files, places
assert "refs/tags/tree-tag:deploy/prod.env" in files, places
assert any(f.get("kind") == "tag-message" for f in found), places
PY
(cd "$r" && "$KEYGATE" history --branches >/dev/null 2>&1) || fail "--branches read the tags"
echo "keygate-e2e: history_refs_to_blobs_and_trees ok"
