#!/usr/bin/env bash
# Push-check benchmark (docs/BENCHMARKS.md, "Push checks"): keygate pre-receive on a server the size of
# git/git, against `git rev-list --objects NEW --not --all` run in the same hook environment (quarantine
# included). The hook rejects every push after timing both, so the server never changes and each push
# is measured alike.
#   bench/push-check.sh KEYGATE [SOURCE_REPO] [RUNS]
set -euo pipefail
KEYGATE=$(readlink -f "$1")
SOURCE=${2:-/work/.mirror/git+git/repo}
RUNS=${3:-5}
W=$(mktemp -d "${TMPDIR:-/tmp}/keygate-push-bench-XXXXXX")
trap 'rm -rf "$W"' EXIT
export HOME="$W/home" GIT_CONFIG_NOSYSTEM=1
mkdir -p "$HOME"
git config --global user.name Bench; git config --global user.email bench@example.invalid
git clone -q --mirror "$SOURCE" "$W/srv.git"          # hard links: seconds, not minutes
git clone -q --shared --no-checkout "$W/srv.git" "$W/cli"
cat >"$W/srv.git/hooks/pre-receive" <<HOOK
#!/bin/sh
input=\$(cat)
new=\$(printf '%s\n' "\$input" | awk '{print \$2}')
t0=\$(date +%s%N)
printf '%s\n' "\$input" | "$KEYGATE" pre-receive --timeout 60 >/dev/null 2>&1; rc=\$?
t1=\$(date +%s%N)
git rev-list --objects \$new --not --all >/dev/null
t2=\$(date +%s%N)
echo "\$(( (t1 - t0) / 1000000 )) \$(( (t2 - t1) / 1000000 )) \$rc" >>"$W/times"
exit 1
HOOK
chmod +x "$W/srv.git/hooks/pre-receive"

measure() {  # LABEL REF
  : >"$W/times"
  for _ in $(seq "$RUNS"); do git -C "$W/cli" push -q origin "$2:refs/heads/bench" 2>/dev/null || true; done
  sort -n "$W/times" | awk -v label="$1" '{k[NR]=$1; r[NR]=$2} END {m=int((NR+1)/2);
    printf "%-28s keygate %5d ms   rev-list --objects %5d ms   ratio %.2f\n", label, k[m], r[m], k[m]/(r[m]>0?r[m]:1)}'
}

# One commit on top of master changing a few files.
cd "$W/cli"
git checkout -q -b one origin/master 2>/dev/null || git checkout -q -b one master
for f in README.md Makefile diff.c; do echo "// bench $RANDOM" >>"$f"; done
git commit -qam "bench: one commit, three files"
measure "1 commit, 3 files" one
# 1,000 commits, each changing one of a few files.
git checkout -q -b thousand one
for i in $(seq 0 6); do echo "file $i" >"bench-$i.txt"; done
git add bench-*.txt && git commit -qm base
for i in $(seq 999); do echo "change $i" >>"bench-$((i % 7)).txt"; git commit -qam "bench $i"; done
measure "1,000 small commits" thousand

# Real history: a server that has git/git up to v2.54.0 (newer refs deleted) receives master, i.e.
# every commit of v2.54.0..master with its real changes.
git -C "$W/srv.git" tag --merged v2.54.0 | sed 's|^|refs/tags/|' | sort >"$W/keep"
git -C "$W/srv.git" for-each-ref --format='%(refname)' | sort | comm -23 - "$W/keep" | sed 's/^/delete /' |
  git -C "$W/srv.git" update-ref --stdin
echo "new commits: $(git -C "$W/cli" rev-list --count origin/master --not v2.54.0)"
measure "v2.54.0..master (real)" origin/master
