# bash completion for keygate(1): commands, each command's options, --format/--color values, paths.
# tests/test_help.cpp checks these lists against src/help.cpp's table.

_keygate() {
  local cur prev words cword
  if declare -F _init_completion >/dev/null; then
    _init_completion -s || return
  else
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD - 1]}
    words=("${COMP_WORDS[@]}")
    cword=$COMP_CWORD
  fi

  local commands="staged scan history ignore install uninstall rules help version"
  if [[ $cword -eq 1 ]]; then
    COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
    return
  fi

  case $prev in
    --format) COMPREPLY=($(compgen -W "text json sarif gitlab" -- "$cur")); return ;;
    --color) COMPREPLY=($(compgen -W "auto always never" -- "$cur")); return ;;
    --repo) COMPREPLY=($(compgen -d -- "$cur")); return ;;
    --config | --baseline) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    --jobs | --max-file-size | --since-commit) return ;;
  esac

  local options
  case ${words[1]} in
    staged) options="--repo --config --format --color --baseline --show-secrets --jobs --max-file-size --verbose --help" ;;
    scan) options="--config --format --color --baseline --show-secrets --jobs --max-file-size --progress --no-progress --verbose --help" ;;
    history) options="--repo --config --format --color --baseline --since-commit --show-secrets --jobs --max-file-size --progress --no-progress --verbose --help" ;;
    ignore) options="--repo --config --baseline --since-commit --jobs --max-file-size --progress --no-progress --verbose --help" ;;
    install | uninstall) options="--repo --help" ;;
    rules) options="--config --test --help" ;;
    help) COMPREPLY=($(compgen -W "$commands" -- "$cur")); return ;;
    *) return ;;
  esac
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$options" -- "$cur"))
  elif [[ ${words[1]} == scan ]]; then
    COMPREPLY=($(compgen -f -- "$cur"))
  elif [[ ${words[1]} == ignore && $cword -eq 2 ]]; then
    COMPREPLY=($(compgen -W "staged scan history" -- "$cur"))
  elif [[ ${words[1]} == ignore && ${words[2]} == scan ]]; then
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
} && complete -o filenames -F _keygate keygate
