# fish completion for keygate(1): commands, each command's options, option values, paths.
# tests/cli/test_help.cpp checks these lists against the command table (src/cli/commands.cpp).

set -l commands staged scan history commit-msg ignore pre-push pre-receive redact install uninstall rules verify revoke help version
complete -c keygate -f
complete -c keygate -n "not __fish_seen_subcommand_from $commands" -a staged -d 'check the staged changes'
complete -c keygate -n "not __fish_seen_subcommand_from $commands" -a scan -d 'scan files and directories'
complete -c keygate -n "not __fish_seen_subcommand_from $commands" -a history -d 'scan every commit'
complete -c keygate -n "not __fish_seen_subcommand_from $commands" -a commit-msg -d 'check a commit message file'
complete -c keygate -n "not __fish_seen_subcommand_from $commands" -a ignore -d 'add fingerprints to .keygateignore'
complete -c keygate -n "not __fish_seen_subcommand_from $commands" -a pre-push -d 'check what a push sends (client hook)'
complete -c keygate -n "not __fish_seen_subcommand_from $commands" -a pre-receive -d 'check what a push brings (server hook)'
complete -c keygate -n "not __fish_seen_subcommand_from $commands" -a redact -d 'copy text with secrets redacted'
complete -c keygate -n "not __fish_seen_subcommand_from $commands" -a install -d 'install the git hooks'
complete -c keygate -n "not __fish_seen_subcommand_from $commands" -a uninstall -d 'remove the hooks'
complete -c keygate -n "not __fish_seen_subcommand_from $commands" -a rules -d 'list or test the rules'
complete -c keygate -n "not __fish_seen_subcommand_from $commands" -a verify -d "ask a key's provider whether it works"
complete -c keygate -n "not __fish_seen_subcommand_from $commands" -a revoke -d 'switch a leaked key off'
complete -c keygate -n "not __fish_seen_subcommand_from $commands" -a help -d 'show help for a command'
complete -c keygate -n "not __fish_seen_subcommand_from $commands" -a version -d 'print the version'

complete -c keygate -n '__fish_seen_subcommand_from staged history ignore install uninstall pre-push pre-receive' -l repo -x -a '(__fish_complete_directories)' -d 'the repository to read'
complete -c keygate -n '__fish_seen_subcommand_from install uninstall' -l hook -x -a 'pre-commit pre-merge-commit commit-msg pre-push pre-receive' -d 'only this hook'
complete -c keygate -n '__fish_seen_subcommand_from staged scan history commit-msg ignore rules redact pre-push pre-receive verify revoke' -l config -r -F -d 'use these rules'
complete -c keygate -n '__fish_seen_subcommand_from staged scan history ignore rules redact' -l rules -x -a 'pii' -d 'add a rule pack'
complete -c keygate -n '__fish_seen_subcommand_from staged scan history commit-msg' -l format -x -a 'text json sarif gitlab' -d 'report format'
complete -c keygate -n '__fish_seen_subcommand_from redact' -l format -x -a 'text json jsonl' -d "the input's format"
complete -c keygate -n '__fish_seen_subcommand_from verify' -l format -x -a 'text json' -d 'output format'
complete -c keygate -n '__fish_seen_subcommand_from staged scan history' -l explain -d 'say why each generic finding got its confidence'
complete -c keygate -n '__fish_seen_subcommand_from staged scan history commit-msg' -l color -x -a 'auto always never' -d 'colour in text output'
complete -c keygate -n '__fish_seen_subcommand_from staged scan history ignore' -l baseline -r -F -d 'report only new findings'
complete -c keygate -n '__fish_seen_subcommand_from history ignore' -l since-commit -x -d 'only the commits after SHA'
complete -c keygate -n '__fish_seen_subcommand_from staged scan history commit-msg ignore pre-push pre-receive' -l min-confidence -x -a 'high medium low' -d 'report findings this sure or surer'
complete -c keygate -n '__fish_seen_subcommand_from staged scan history commit-msg ignore redact' -l max-decode-depth -x -d 'decode up to N layers deep'
complete -c keygate -n '__fish_seen_subcommand_from staged scan history commit-msg pre-push pre-receive' -l show-secrets -d 'print secrets whole'
complete -c keygate -n '__fish_seen_subcommand_from staged scan history' -l verify -d "ask each key's provider (nothing is sent without it)"
complete -c keygate -n '__fish_seen_subcommand_from staged scan history' -l only-verified -d 'report only live keys'
complete -c keygate -n '__fish_seen_subcommand_from staged scan history verify revoke' -l verify-concurrency -x -d 'requests at a time'
complete -c keygate -n '__fish_seen_subcommand_from staged scan history verify revoke' -l verify-timeout -x -d 'seconds a request may take'
complete -c keygate -n '__fish_seen_subcommand_from staged scan history verify revoke' -l verify-ca -r -F -d 'trust this CA bundle'
complete -c keygate -n '__fish_seen_subcommand_from staged scan history ignore pre-push pre-receive' -l jobs -x -d 'threads'
complete -c keygate -n '__fish_seen_subcommand_from staged scan history ignore pre-push pre-receive' -l max-file-size -x -d 'skip larger files'
complete -c keygate -n '__fish_seen_subcommand_from pre-push pre-receive' -l timeout -x -d 'time budget in seconds'
complete -c keygate -n '__fish_seen_subcommand_from pre-push pre-receive' -l on-timeout -x -a 'reject accept' -d 'when the budget runs out'
complete -c keygate -n '__fish_seen_subcommand_from pre-push pre-receive' -l no-repo-config -d 'ignore the pushed .keygate.toml'
complete -c keygate -n '__fish_seen_subcommand_from redact' -l in-place -d 'rewrite the files'
complete -c keygate -n '__fish_seen_subcommand_from redact' -l mask -x -d 'replace each secret by this text'
complete -c keygate -n '__fish_seen_subcommand_from redact' -l fail-on-secret -d 'exit 1 when something was redacted'
complete -c keygate -n '__fish_seen_subcommand_from scan history ignore' -l progress -d 'draw a progress line'
complete -c keygate -n '__fish_seen_subcommand_from scan history ignore' -l no-progress -d 'no progress line'
complete -c keygate -n '__fish_seen_subcommand_from staged scan history commit-msg ignore redact pre-push pre-receive verify revoke' -l verbose -d 'say what was skipped'
complete -c keygate -n '__fish_seen_subcommand_from rules' -l test -d 'check every rule against its examples'
complete -c keygate -n '__fish_seen_subcommand_from verify revoke' -l rule -x -d 'each input line is a key of this rule'
complete -c keygate -n '__fish_seen_subcommand_from revoke' -l report -r -F -d 'revoke the keys of this JSON report'
complete -c keygate -n '__fish_seen_subcommand_from revoke' -l yes -d 'do not ask for confirmation'
complete -c keygate -n '__fish_seen_subcommand_from history' -l not -d 'revision: exclude what the next revisions reach'
complete -c keygate -n '__fish_seen_subcommand_from history' -l all -d 'revision: every ref'
complete -c keygate -n '__fish_seen_subcommand_from history' -l branches -d 'revision: every branch'
complete -c keygate -n '__fish_seen_subcommand_from history' -l remotes -d 'revision: every remote-tracking branch'
complete -c keygate -n '__fish_seen_subcommand_from history' -l tags -d 'revision: every tag'
complete -c keygate -n "__fish_seen_subcommand_from $commands" -l help -d "show this command's help"
complete -c keygate -n '__fish_seen_subcommand_from scan commit-msg redact' -F
complete -c keygate -n '__fish_seen_subcommand_from help' -x -a "$commands"
