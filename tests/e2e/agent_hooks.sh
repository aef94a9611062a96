# Issue 29: `keygate install --agent NAME` merges keygate into each coding agent's settings (a private
# HOME), and the command it installs, run as the agent runs it (sh -c, the event's JSON on stdin), blocks a
# key in a prompt, a file write or a command, in that agent's answer form; the project's .keygateignore
# applies; uninstall gives back the settings as they were.
source "$(dirname "$0")/lib.sh"
export CODEX_HOME="$TMP/codex"  # never the user's own
cd "$TMP"
k=$(fake_key 2929)
git init -q proj
mkdir -p proj/src "$HOME/.claude"
cat > "$HOME/.claude/settings.json" <<'JSON'
{"model": "opus", "hooks": {"PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "my-check"}]}]}, "x": 1.0e2}
JSON
cp "$HOME/.claude/settings.json" before.json
"$KEYGATE" install --agent claude-code > out || fail "install --agent claude-code: $(cat out)"
"$KEYGATE" install --agent claude-code | grep -q "already installed" || fail "second install changed something"
# command_of FILE EVENT: the command keygate installed for EVENT (Claude/Codex groups, Cursor, Copilot).
command_of() {
  python3 - "$1" "$2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for item in d["hooks"][sys.argv[2]]:
    for h in item.get("hooks", [item]):
        c = h.get("command") or h.get("bash") or ""
        if "agent-hook" in c:
            print(c)
            raise SystemExit
raise SystemExit("no keygate hook for " + sys.argv[2])
PY
}
# run_hook COMMAND EVENT_JSON: runs it as the agent does; sets status, out, err.
run_hook() {
  status=0
  printf '%s' "$2" | (cd proj/src && sh -c "$1") > hook.out 2> hook.err || status=$?
}
python3 - "$HOME/.claude/settings.json" <<'PY' || fail "the user's settings were not kept"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["model"] == "opus" and d["x"] == 100.0, d
assert d["hooks"]["PreToolUse"][0]["hooks"][0]["command"] == "my-check", d
PY
cmd=$(command_of "$HOME/.claude/settings.json" PreToolUse)
write='{"hook_event_name":"PreToolUse","cwd":"'$TMP'/proj/src","tool_name":"Write","tool_input":{"file_path":"'$TMP'/proj/config.env","content":"TOGETHER_API_KEY='$k'"}}'
run_hook "$cmd" "$write"
[ "$status" -eq 0 ] || fail "claude-code Write: exit $status"
grep -q '"permissionDecision": "deny"' hook.out || fail "claude-code Write not denied: $(cat hook.out)"
assert_no_key hook.out "$k"
grep -qF "tgp_v1_…${k: -4}" hook.out || fail "the reason does not name the redacted key: $(cat hook.out)"
# The project's .keygateignore applies, as in the git hook.
fp=$(sed -n 's/.*fingerprint \([^)]*\)).*/\1/p' hook.out)
echo "$fp" > proj/.keygateignore
run_hook "$cmd" "$write"
[ "$status" -eq 0 ] && [ ! -s hook.out ] || fail "an ignored finding still blocks: $(cat hook.out)"
rm proj/.keygateignore
run_hook "$(command_of "$HOME/.claude/settings.json" UserPromptSubmit)" '{"hook_event_name":"UserPromptSubmit","cwd":"'$TMP'/proj","prompt":"key '$k'"}'
grep -q '"decision": "block"' hook.out || fail "claude-code prompt not blocked: $(cat hook.out)"
run_hook "$cmd" 'garbage'
[ "$status" -eq 2 ] && grep -q "uninstall --agent claude-code" hook.err || fail "bad event: exit $status, $(cat hook.err)"
"$KEYGATE" uninstall --agent claude-code > /dev/null
python3 -c 'import json,sys; a,b=(json.load(open(p)) for p in sys.argv[1:]); assert a==b, (a,b)' before.json "$HOME/.claude/settings.json" \
  || fail "uninstall did not give back the settings"

# Cursor: exit 2 and a deny.
"$KEYGATE" install --agent cursor > /dev/null
run_hook "$(command_of "$HOME/.cursor/hooks.json" beforeShellExecution)" \
  '{"hook_event_name":"beforeShellExecution","command":"curl -H \"Authorization: Bearer '$k'\" x","cwd":"'$TMP'/proj","workspace_roots":["'$TMP'/proj"]}'
[ "$status" -eq 2 ] && grep -q '"permission": "deny"' hook.out || fail "cursor shell: exit $status, $(cat hook.out)"
assert_no_key hook.out "$k"; assert_no_key hook.err "$k"

# Copilot, in the project (.github/hooks), running keygate from PATH.
(cd proj && "$KEYGATE" install --agent copilot --scope project > /dev/null)
[ -f proj/.github/hooks/keygate.json ] || fail "no .github/hooks/keygate.json"
export PATH="$(dirname "$KEYGATE"):$PATH"
args=$(python3 -c 'import json,sys; print(json.dumps(json.dumps({"path": "src/a.py", "file_text": "K = \"" + sys.argv[1] + "\""})))' "$k")
run_hook "$(command_of proj/.github/hooks/keygate.json preToolUse)" '{"timestamp":1,"cwd":"'$TMP'/proj","toolName":"create","toolArgs":'"$args"'}'
[ "$status" -eq 0 ] && grep -q '"permissionDecision": "deny"' hook.out || fail "copilot create: exit $status, $(cat hook.out)"

# Codex under CODEX_HOME.
"$KEYGATE" install --agent codex > /dev/null
run_hook "$(command_of "$CODEX_HOME/hooks.json" UserPromptSubmit)" '{"hook_event_name":"UserPromptSubmit","cwd":"'$TMP'/proj","prompt":"'$k'"}'
grep -q '"decision": "block"' hook.out || fail "codex prompt not blocked: $(cat hook.out)"
echo ok
