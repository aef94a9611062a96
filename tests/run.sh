#!/usr/bin/env bash
# Checks formatting, then builds and runs every test: the Release build (unit and end-to-end tests, including
# the real pre-commit framework) with no user git config and with a hostile one, then the whole suite again
# under AddressSanitizer and UndefinedBehaviorSanitizer, a short run of each fuzz target, the rule examples
# (`keygate rules --test`) and keygate's own scan of this repository.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

echo "== clang-format (the repository's .clang-format)"
git ls-files -z 'src/*.cpp' 'src/*.hpp' 'tests/*.cpp' 'tests/*.hpp' 'fuzz/*.cpp' 'tools/*.cpp' |
  xargs -0 clang-format --dry-run -Werror

echo "== Release build and tests, hermetic"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DKEYGATE_BUILD_TESTS=ON >/dev/null
cmake --build build -j"$jobs"
# The suite runs twice: as on a fresh machine (an empty HOME, no user git config: git's default branch is
# then "master"), and for a user whose exported GIT_CONFIG_GLOBAL asks for another default branch, signed
# commits and a global hooks folder. Both runs must pass, and the user's HOME, config file and hooks folder
# must not change by a single byte. The slow pre-commit framework test runs in the first one only.
hermetic=$(mktemp -d "${TMPDIR:-/tmp}/keygate-hermetic-XXXXXX")
mkdir -p "$hermetic/empty" "$hermetic/hostile" "$hermetic/userhooks"
printf '[init]\n\tdefaultBranch = trunk\n[commit]\n\tgpgsign = true\n[core]\n\thooksPath = %s\n' \
  "$hermetic/userhooks" >"$hermetic/user.gitconfig"
cp "$hermetic/user.gitconfig" "$hermetic/hostile/.gitconfig"
cp "$hermetic/user.gitconfig" "$hermetic/user.gitconfig.orig"
printf '#!/bin/sh\nexit 0\n' >"$hermetic/userhooks/post-commit"
chmod +x "$hermetic/userhooks/post-commit"
ls -lA --time-style=full-iso "$hermetic/userhooks" >"$hermetic/userhooks.orig"
HOME="$hermetic/empty" XDG_CONFIG_HOME="$hermetic/empty/.config" \
  ctest --test-dir build --output-on-failure -j"$jobs"
HOME="$hermetic/hostile" GIT_CONFIG_GLOBAL="$hermetic/user.gitconfig" \
  ctest --test-dir build --output-on-failure -j"$jobs" -E 'e2e_precommit_framework$'
cmp "$hermetic/user.gitconfig" "$hermetic/user.gitconfig.orig" ||
  { echo "the tests changed the user's git config (GIT_CONFIG_GLOBAL)"; exit 1; }
cmp "$hermetic/hostile/.gitconfig" "$hermetic/user.gitconfig.orig" ||
  { echo "the tests changed the user's ~/.gitconfig"; exit 1; }
ls -lA --time-style=full-iso "$hermetic/userhooks" | cmp - "$hermetic/userhooks.orig" ||
  { echo "the tests changed the user's global hooks folder: $(ls -A "$hermetic/userhooks" | tr '\n' ' ')"; exit 1; }
[ -z "$(ls -A "$hermetic/empty")" ] || { echo "the tests wrote into the user's HOME: $(ls -A "$hermetic/empty")"; exit 1; }
rm -rf "$hermetic"

echo "== ASan+UBSan build (clang, with the libFuzzer targets) and tests"
# One instrumented tree serves both: the suite runs on its keygate and unit binary, then each fuzz target
# for a short run. (libFuzzer's coverage instrumentation in the library does not change what it does.)
CC=clang CXX=clang++ cmake -S . -B build-san -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKEYGATE_FUZZ=ON \
  -DKEYGATE_BUILD_TESTS=ON >/dev/null
cmake --build build-san -j"$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-san --output-on-failure -j"$jobs" -E 'e2e_precommit_framework$'

echo "== Fuzz targets, a short run each (longer runs: docs/RELIABILITY.md)"
# Corpora live outside the tree: a matcher corpus fills up with key-shaped strings.
fuzz_dir=$(mktemp -d "${TMPDIR:-/tmp}/keygate-fuzz-XXXXXX")
trap 'rm -rf "$fuzz_dir"' EXIT
for t in config index line_diff matcher repo json pack regex_starts push_input redact lsp peer_reports archive; do mkdir -p "$fuzz_dir/$t"; done
cp patterns.toml "$fuzz_dir/config/"
printf '(?i)\\b(?:key|tok(?:en)?)[=:]([a-f0-9]{4,})\0x KEY=beef tok:0123 token=cafe' > "$fuzz_dir/regex_starts/seed"
printf "%s %s refs/heads/main\n" "$(printf "%040d" 0)" "$(printf "%040d" 1)" > "$fuzz_dir/push_input/seed"
printf '\010\007a log line\n{"api_key": "x"}\n' > "$fuzz_dir/redact/seed"
lsp_message() { printf 'Content-Length: %d\r\n\r\n%s' "${#1}" "$1"; }
{ lsp_message '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}'
  lsp_message '{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"untitled:a","languageId":"python","version":1,"text":"k = \"x\"\n"}}}'
  lsp_message '{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"untitled:a","version":2},"contentChanges":[{"range":{"start":{"line":0,"character":5},"end":{"line":0,"character":6}},"text":"y"}]}}'
  lsp_message '{"jsonrpc":"2.0","id":2,"method":"textDocument/codeAction","params":{"textDocument":{"uri":"untitled:a"},"range":{"start":{"line":0,"character":0},"end":{"line":1,"character":0}}}}'
} > "$fuzz_dir/lsp/seed"
(cd "$fuzz_dir" && printf 'k = v\n' > e && printf '\000' > archive/seed && zip -q -X - e >> archive/seed && rm e)
printf '[{"RuleID":"generic-api-key","File":"a.env","StartLine":1,"Commit":"%040d","Secret":"x","Fingerprint":"%040d:a.env:generic-api-key:1"}]' 0 0 > "$fuzz_dir/peer_reports/seed"
git init -q "$fuzz_dir/repo" && echo x > "$fuzz_dir/repo/x" && git -C "$fuzz_dir/repo" add x && cp "$fuzz_dir/repo/.git/index" "$fuzz_dir/index/"
# One target per core at a time, each with its own artifact prefix: a failing input names its target.
fuzz_one() {
  build-san/fuzz_$1 -max_total_time="${KEYGATE_FUZZ_SECONDS:-10}" -seed=1 -artifact_prefix="$fuzz_dir/$1-" \
    "$fuzz_dir/$1" >"$fuzz_dir/$1.log" 2>&1 || true
}
export -f fuzz_one
export fuzz_dir
printf '%s\n' config index line_diff matcher repo json pack regex_starts push_input redact lsp peer_reports archive |
  xargs -P "$jobs" -I{} bash -c 'fuzz_one {}'
for t in config index line_diff matcher repo json pack regex_starts push_input redact lsp peer_reports archive; do
  grep -E '^#[0-9]+[[:space:]]+DONE|ERROR|SUMMARY' "$fuzz_dir/$t.log" | sed "s/^/fuzz_$t: /" || true
  # A target that did not run to its end and left no failing input (it could not start) is a failure too.
  grep -qE '^Done [0-9]+ runs' "$fuzz_dir/$t.log" || ls "$fuzz_dir" | grep -q -- "^$t-" ||
    { echo "fuzz_$t did not run:"; tail -n 5 "$fuzz_dir/$t.log"; exit 1; }
done
# (One ls of the four patterns would fail unless all four kinds of artifact existed.)
if ls "$fuzz_dir" | grep -qE -- '-(crash|leak|timeout|oom)-'; then
  echo "a fuzz target found a failing input:"; ls "$fuzz_dir" | grep -E -- '-(crash|leak|timeout|oom)-'
  exit 1
fi

echo "== Rule examples and self-scan"
build/keygate rules --test
build/keygate rules --test --rules pii
build/keygate scan .
echo "== All tests passed"
