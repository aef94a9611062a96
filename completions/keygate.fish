# fish completion for keygate(1): commands, each command's options, --format/--color values, paths.
# tests/test_help.cpp checks these lists against src/help.cpp's table.

set -l commands staged scan history ignore install uninstall rules help version
complete -c keygate -f
complete -c keygate -n "not __fish_seen_subcommand_from $commands" -a staged -d 'check the staged changes'
complete -c keygate -n "not __fish_seen_subcommand_from $commands" -a scan -d 'scan files and directories'
complete -c keygate -n "not __fish_seen_subcommand_from $commands" -a history -d 'scan every commit'
complete -c keygate -n "not __fish_seen_subcommand_from $commands" -a ignore -d 'add fingerprints to .keygateignore'
complete -c keygate -n "not __fish_seen_subcommand_from $commands" -a install -d 'install the pre-commit hook'
complete -c keygate -n "not __fish_seen_subcommand_from $commands" -a uninstall -d 'remove the hook'
complete -c keygate -n "not __fish_seen_subcommand_from $commands" -a rules -d 'list or test the rules'
complete -c keygate -n "not __fish_seen_subcommand_from $commands" -a help -d 'show help for a command'
complete -c keygate -n "not __fish_seen_subcommand_from $commands" -a version -d 'print the version'

complete -c keygate -n '__fish_seen_subcommand_from staged history ignore install uninstall' -l repo -x -a '(__fish_complete_directories)' -d 'the repository to read'
complete -c keygate -n '__fish_seen_subcommand_from staged scan history ignore rules' -l config -r -F -d 'use these rules'
complete -c keygate -n '__fish_seen_subcommand_from staged scan history' -l format -x -a 'text json sarif gitlab' -d 'report format'
complete -c keygate -n '__fish_seen_subcommand_from staged scan history' -l color -x -a 'auto always never' -d 'colour in text output'
complete -c keygate -n '__fish_seen_subcommand_from staged scan history ignore' -l baseline -r -F -d 'report only new findings'
complete -c keygate -n '__fish_seen_subcommand_from history ignore' -l since-commit -x -d 'only the commits after SHA'
complete -c keygate -n '__fish_seen_subcommand_from staged scan history' -l show-secrets -d 'print secrets whole'
complete -c keygate -n '__fish_seen_subcommand_from staged scan history ignore' -l jobs -x -d 'threads'
complete -c keygate -n '__fish_seen_subcommand_from staged scan history ignore' -l max-file-size -x -d 'skip larger files'
complete -c keygate -n '__fish_seen_subcommand_from scan history ignore' -l progress -d 'draw a progress line'
complete -c keygate -n '__fish_seen_subcommand_from scan history ignore' -l no-progress -d 'no progress line'
complete -c keygate -n '__fish_seen_subcommand_from staged scan history ignore' -l verbose -d 'say what was skipped'
complete -c keygate -n '__fish_seen_subcommand_from rules' -l test -d 'check every rule against its examples'
complete -c keygate -n "__fish_seen_subcommand_from $commands" -l help -d "show this command's help"
complete -c keygate -n '__fish_seen_subcommand_from scan' -F
complete -c keygate -n '__fish_seen_subcommand_from help' -x -a "$commands"
