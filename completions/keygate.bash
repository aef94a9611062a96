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

  local commands="staged scan history commit-msg ignore pre-push pre-receive redact lsp agent-hook install uninstall rules audit report help version purge import verify revoke"
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
      elif [[ ${words[1]} == verify ]]; then
        COMPREPLY=($(compgen -W "text json" -- "$cur"))
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
    --agent) COMPREPLY=($(compgen -W "claude-code cursor copilot codex" -- "$cur")); return ;;
    --scope) COMPREPLY=($(compgen -W "user project" -- "$cur")); return ;;
    --event) COMPREPLY=($(compgen -W "preToolUse userPromptSubmitted" -- "$cur")); return ;;
    --repo) COMPREPLY=($(compgen -d -- "$cur")); return ;;
    --config | --baseline | --verify-ca | --list | --triage | --from | --output | --report) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    --out | --cache) COMPREPLY=($(compgen -d -- "$cur")); return ;;
    --github-org | --gitlab-group | --api-url | --shard | --shards | --max-repo-size | --repo-timeout) return ;;
    --jobs | --max-file-size | --since-commit | --max-decode-depth | --max-archive-depth | --verify-concurrency | --verify-timeout | --timeout | --mask | --rule) return ;;
  esac

  local report="--format --color --show-secrets"
  local detect="--config --min-confidence --max-decode-depth --verbose --help"
  local verify="--verify --only-verified --verify-concurrency --verify-timeout --verify-ca"
  local push="--repo --config --min-confidence --max-archive-depth --show-secrets --jobs --max-file-size --timeout --on-timeout --no-repo-config --verbose --help"
  local options
  case ${words[1]} in
    staged) options="--repo $detect --max-archive-depth $report --explain --rules --baseline $verify --jobs --max-file-size" ;;
    scan) options="$detect --max-archive-depth $report --explain --rules --baseline $verify --jobs --max-file-size --progress --no-progress" ;;
    history) options="--repo $detect --max-archive-depth $report --explain --rules --baseline --since-commit $verify --jobs --max-file-size --progress --no-progress --not --all --branches --remotes --tags" ;;
    commit-msg) options="$detect $report" ;;
    ignore) options="--repo $detect --max-archive-depth --rules --baseline --since-commit --jobs --max-file-size --progress --no-progress" ;;
    pre-push | pre-receive) options="$push" ;;
    redact) options="--config --rules --format --max-decode-depth --in-place --mask --fail-on-secret --verbose --help" ;;
    lsp) options="--config --rules --baseline --min-confidence --stdio --help" ;;
    agent-hook) options="--agent --event --config --rules --min-confidence --max-decode-depth --help" ;;
    install | uninstall) options="--repo --hook --agent --scope --help" ;;
    rules) options="--config --rules --test --help" ;;
    audit) options="--out --list --cache --github-org --gitlab-group --api-url --shard --shards --max-repo-size --repo-timeout --config --rules --min-confidence --max-decode-depth --jobs --max-file-size --progress --no-progress --verbose --help" ;;
    report) options="--format --triage --help" ;;
    verify) options="--rule --format --config --verify-concurrency --verify-timeout --verify-ca --verbose --help" ;;
    revoke) options="--rule --report --yes --config --verify-concurrency --verify-timeout --verify-ca --verbose --help" ;;
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
