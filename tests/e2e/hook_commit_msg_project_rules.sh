#!/usr/bin/env bash
# A commit-msg run that finds no default keyword in the message skips loading the rules, but only when the
# project has none of its own: a rule of .keygate.toml (in the work tree, as keygate reads it for a message)
# that matches a word no default rule looks for still blocks; without it the same message commits.
source "$(dirname "$0")/lib.sh"
r="$TMP/r"; new_repo "$r"
"$KEYGATE" uninstall --repo "$r" --hook pre-commit >/dev/null  # only the commit-msg hook judges here
echo a >"$r/a.txt" && git -C "$r" add a.txt
commit_ok "$r" "mention the codeword zebrafish"
printf '[[rules]]\nid = "codeword"\nregex = %s\nkeywords = ["zebra"]\n' "'''zebra[a-z]+'''" >"$r/.keygate.toml"
echo b >"$r/b.txt" && git -C "$r" add b.txt .keygate.toml
commit_blocked "$r" "mention the codeword zebrafish again"
grep -q "codeword" "$TMP/out" || { cat "$TMP/out"; fail "the project's rule did not report"; }
# A .keygateignore that cannot be read is reported as before, not skipped.
rm "$r/.keygate.toml"; git -C "$r" rm -q --cached .keygate.toml
mkdir "$r/.keygateignore"
if git -C "$r" commit -q -m "a clean message" >"$TMP/out" 2>&1; then cat "$TMP/out"; fail "went through"; fi
grep -q "keygateignore" "$TMP/out" || { cat "$TMP/out"; fail "the unreadable .keygateignore was not named"; }
echo "keygate-e2e: hook_commit_msg_project_rules ok"
