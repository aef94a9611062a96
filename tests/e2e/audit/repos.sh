# Shared by the audit end-to-end tests (sourced after lib.sh): throwaway repositories with fake keys.

# make_repos DIR N: N repositories DIR/repo-01 ... each with a few commits; every repository holds the key of
# seed 1000 (one secret in many places) and one key of its own (seed 1000+i), added in its second commit.
make_repos() {
  local dir=$1 n=$2 i r
  mkdir -p "$dir"
  for i in $(seq -w 1 "$n"); do
    r="$dir/repo-$i"
    git init -q "$r"
    echo "readme $i" >"$r/README"
    git -C "$r" add README && git -C "$r" commit -q -m "first"
    printf 'TOGETHER_API_KEY=%s\nother=%s\n' "$(fake_key 1000)" "$(fake_key $((1000 + 10#$i)))" >"$r/app.env"
    git -C "$r" add app.env && git -C "$r" commit -q -m "config"
    echo "more $i" >>"$r/README"
    git -C "$r" commit -q -am "more"
  done
}

# json_without_generated FILE: the file with its "generated" line taken out (two runs differ only there).
json_without_generated() { grep -v '"generated":' "$1"; }
