# bash completion for keygate(1): commands, each command's options, option values, paths.
# tests/cli/test_help.cpp checks these lists against the command table (src/cli/commands.cpp).

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

  local commands="staged scan history commit-msg ignore pre-push pre-receive redact lsp install uninstall rules audit report help version purge import"
  if [[ $cword -eq 1 ]]; then
    COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
    return
  fi

  case $prev in
    --format)
      if [[ ${words[1]} == redact ]]; then
        COMPREPLY=($(compgen -W "text json jsonl" -- "$cur"))
      elif [[ ${words[1]} == report ]]; then
        COMPREPLY=($(compgen -W "text json sarif gitlab html" -- "$cur"))
      else
        COMPREPLY=($(compgen -W "text json sarif gitlab html" -- "$cur"))
      fi
      return
      ;;
    --color) COMPREPLY=($(compgen -W "auto always never" -- "$cur")); return ;;
    --min-confidence) COMPREPLY=($(compgen -W "high medium low" -- "$cur")); return ;;
    --on-timeout) COMPREPLY=($(compgen -W "reject accept" -- "$cur")); return ;;
    --rules) COMPREPLY=($(compgen -W "pii" -- "$cur")); return ;;
    --hook) COMPREPLY=($(compgen -W "pre-commit pre-merge-commit commit-msg pre-push pre-receive" -- "$cur")); return ;;
    --repo) COMPREPLY=($(compgen -d -- "$cur")); return ;;
    --config | --baseline | --verify-ca | --list | --triage | --from | --output) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    --out | --cache) COMPREPLY=($(compgen -d -- "$cur")); return ;;
    --github-org | --gitlab-group | --api-url | --shard | --shards | --max-repo-size | --repo-timeout) return ;;
    --jobs | --max-file-size | --since-commit | --max-decode-depth | --verify-concurrency | --verify-timeout | --timeout | --mask) return ;;
  esac

  local report="--format --color --show-secrets"
  local detect="--config --min-confidence --max-decode-depth --verbose --help"
  local verify="--verify --only-verified --verify-concurrency --verify-timeout --verify-ca"
  local push="--repo --config --min-confidence --show-secrets --jobs --max-file-size --timeout --on-timeout --no-repo-config --verbose --help"
  local options
  case ${words[1]} in
    staged) options="--repo $detect $report --explain --rules --baseline $verify --jobs --max-file-size" ;;
    scan) options="$detect $report --explain --rules --baseline $verify --jobs --max-file-size --progress --no-progress" ;;
    history) options="--repo $detect $report --explain --rules --baseline --since-commit $verify --jobs --max-file-size --progress --no-progress --not --all --branches --remotes --tags" ;;
    commit-msg) options="$detect $report" ;;
    ignore) options="--repo $detect --rules --baseline --since-commit --jobs --max-file-size --progress --no-progress" ;;
    pre-push | pre-receive) options="$push" ;;
    redact) options="--config --rules --format --max-decode-depth --in-place --mask --fail-on-secret --verbose --help" ;;
    lsp) options="--config --rules --baseline --min-confidence --stdio --help" ;;
    install | uninstall) options="--repo --hook --help" ;;
    rules) options="--config --rules --test --help" ;;
    audit) options="--out --list --cache --github-org --gitlab-group --api-url --shard --shards --max-repo-size --repo-timeout --config --rules --min-confidence --max-decode-depth --jobs --max-file-size --progress --no-progress --verbose --help" ;;
    report) options="--format --triage --help" ;;
    version) options="--help" ;;
    purge) options="--repo --config --jobs --from --output --rewrite --check --help --not --all --branches --remotes --tags" ;;
    import) options="--repo --config --output --help" ;;
    help)
      options="--help"
      [[ $cur == -* ]] || { COMPREPLY=($(compgen -W "$commands" -- "$cur")); return; }
      ;;
    *) return ;;
  esac
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$options" -- "$cur"))
  elif [[ ${words[1]} == report && $cword -eq 2 ]]; then
    COMPREPLY=($(compgen -W "merge" -- "$cur"))
  elif [[ ${words[1]} == scan || ${words[1]} == commit-msg || ${words[1]} == redact || ${words[1]} == audit || ${words[1]} == report || ${words[1]} == import ]]; then
    COMPREPLY=($(compgen -f -- "$cur"))
  elif [[ ${words[1]} == ignore && $cword -eq 2 ]]; then
    COMPREPLY=($(compgen -W "staged scan history" -- "$cur"))
  elif [[ ${words[1]} == ignore && ${words[2]} == scan ]]; then
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
} && complete -o filenames -F _keygate keygate
