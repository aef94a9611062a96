#!/usr/bin/env bash
# purge --check benchmark (docs/BENCHMARKS.md, "purge --check"): keygate reading every object of a
# repository the size of git/git and looking for a purge file's literals, against
# `git cat-file --batch-all-objects --batch --unordered` (every object inflated, no search). Runs
# alternate, best of RUNS each. The literals are made here and occur nowhere in the repository.
#   bench/purge-check.sh KEYGATE [REPO] [RUNS]
set -euo pipefail
KEYGATE=$(readlink -f "$1")
REPO=${2:-/work/.mirror/git+git/repo}
RUNS=${3:-3}
W=$(mktemp -d "${TMPDIR:-/tmp}/keygate-purge-bench-XXXXXX")
trap 'rm -rf "$W"' EXIT
# 40 literals, 40 to 90 bytes, of a seeded generator (the shape of a purge file for a handful of keys).
awk 'BEGIN { srand(26); a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
  for (k = 0; k < 40; k++) { n = 40 + int(rand() * 50); s = "";
    for (i = 0; i < n; i++) s = s substr(a, int(rand() * 64) + 1, 1);
    print "literal:" s "==>REDACTED-BY-KEYGATE" } }' >"$W/expressions.txt"
ms() { local t0 t1; t0=$(date +%s%N); "$@" >/dev/null 2>&1 || true; t1=$(date +%s%N); echo $(((t1 - t0) / 1000000)); }
best_git=0 best_kg=0
for run in $(seq "$RUNS"); do
  g=$(ms git -C "$REPO" cat-file --batch-all-objects --batch --unordered)
  k=$(ms "$KEYGATE" purge --check --repo "$REPO" --from "$W/expressions.txt")
  echo "run $run: git cat-file ${g} ms, keygate purge --check ${k} ms"
  if [ "$best_git" -eq 0 ] || [ "$g" -lt "$best_git" ]; then best_git=$g; fi
  if [ "$best_kg" -eq 0 ] || [ "$k" -lt "$best_kg" ]; then best_kg=$k; fi
done
"$KEYGATE" purge --check --repo "$REPO" --from "$W/expressions.txt" 2>&1 | tail -4 || true
awk -v g="$best_git" -v k="$best_kg" 'BEGIN { printf "best: git cat-file %d ms, keygate %d ms, ratio %.2f\n", g, k, k / g }'
