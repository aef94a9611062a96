# The man page renders without warnings; each completion script passes its shell's syntax check and offers
# the commands, the options of a command and the --format values. The commands are those `keygate --help`
# lists, which is the command table (tests/cli/test_help.cpp checks each command's options and values).
source "$(dirname "$0")/lib.sh"
src=$KEYGATE_SOURCE
man=$(dirname "$KEYGATE")/keygate.1
[ -f "$man" ] || fail "the build made no man page ($man)"
groff -man -Tutf8 -ww -z "$man" 2>"$TMP/groff.err"
[ ! -s "$TMP/groff.err" ] || { cat "$TMP/groff.err" >&2; fail "groff warnings"; }
MANWIDTH=100 man -l "$man" 2>/dev/null | grep -q -- '--since-commit' || fail "man -l shows no options"

commands=$("$KEYGATE" --help | sed -n '/^commands:$/,/^$/s/^  \([a-z-]*\) .*/\1/p' | tr '\n' ' ')
[ "$(wc -w <<<"$commands")" -ge 13 ] || fail "keygate --help lists too few commands: $commands"
for c in $commands; do grep -q "^\*$c\*" "$src/docs/keygate.1.scd" || fail "the man page has no entry for $c"; done
bash -n "$src/completions/keygate.bash" || fail "bash -n"
got=$(bash -c 'source "$1"; COMP_WORDS=(keygate ""); COMP_CWORD=1; _keygate; echo "${COMPREPLY[*]}"' _ "$src/completions/keygate.bash")
for c in $commands; do [[ " $got " == *" $c "* ]] || fail "bash does not offer $c: $got"; done
got=$(bash -c 'source "$1"; COMP_WORDS=(keygate scan --format ""); COMP_CWORD=3; _keygate; echo "${COMPREPLY[*]}"' _ "$src/completions/keygate.bash")
[ "$got" = "text json sarif gitlab html" ] || fail "bash --format values: $got"
got=$(bash -c 'source "$1"; COMP_WORDS=(keygate history --sin); COMP_CWORD=2; _keygate; echo "${COMPREPLY[*]}"' _ "$src/completions/keygate.bash")
[ "$got" = "--since-commit" ] || fail "bash history option: $got"

if command -v zsh >/dev/null; then
  zsh -n "$src/completions/_keygate" || fail "zsh -n"
  for c in $commands; do grep -q "'$c:" "$src/completions/_keygate" || fail "zsh lists no $c"; done
fi
if command -v fish >/dev/null; then
  fish -n "$src/completions/keygate.fish" || fail "fish -n"
  got=$(fish -c "source $src/completions/keygate.fish; complete -C 'keygate '" | cut -f1)
  for c in $commands; do grep -qx "$c" <<<"$got" || fail "fish does not offer $c"; done
  got=$(fish -c "source $src/completions/keygate.fish; complete -C 'keygate scan --format '" | cut -f1 | sort | tr '\n' ' ')
  [ "$got" = "gitlab html json sarif text " ] || fail "fish --format values: $got"
fi
echo ok
