#!/usr/bin/env bash
# Builds keygate (Release), installs it, and wires its git hooks (pre-commit, pre-merge-commit, commit-msg)
# into the git repository you run it from. On a fresh Debian 12 machine it first installs what the build and the tests need, with apt.
#
#   ./install.sh [--prefix DIR] [--repo DIR] [--no-hook]
#
#   --prefix DIR   install to DIR/bin (default /usr/local)
#   --repo DIR     wire the hooks into this repository (default: the current directory, if it is one)
#   --no-hook      install the binary only (no hooks)
set -euo pipefail

prefix=/usr/local
repo=""
hook=1
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) prefix=${2:?--prefix needs a directory}; shift 2 ;;
    --prefix=*) prefix=${1#*=}; shift ;;
    --repo) repo=${2:?--repo needs a directory}; shift 2 ;;
    --repo=*) repo=${1#*=}; shift ;;
    --no-hook) hook=0; shift ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

here=$(cd "$(dirname "$0")" && pwd)
caller=$(pwd)

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "install.sh: need root for: $*" >&2; exit 2
  fi
}

# Build dependencies (libcurl4-openssl-dev: HTTP/TLS for --verify; libarchive-dev: reading zip, tar, 7z and compressed
# files, a library made for exactly that, with the format bugs of twenty years fixed; libssl-dev: OpenSSL's libcrypto
# headers, for the RS256 signature that checks a Google service-account key, a well-kept library made for the job,
# loaded with dlopen like libcurl), plus what the test command
# needs: Catch2, the pre-commit framework, python3, clang with its sanitizer/fuzzer runtime for the libFuzzer
# targets, and the real programs the end-to-end tests drive (zip/7z/bsdtar to build archives, chromium for the HTML
# viewer, neovim for the language server, slurm-wlm and munge for the sharded audit, git-filter-repo for purge).
packages=(cmake g++ make pkg-config git libgit2-dev libdeflate-dev libre2-dev libtoml11-dev libfmt-dev libcurl4-openssl-dev libssl-dev
          libarchive-dev openssl catch2 pre-commit python3 clang libclang-rt-14-dev scdoc groff-base man-db bash-completion
          zsh fish zip p7zip-full libarchive-tools zstd chromium chromium-driver neovim slurm-wlm munge git-filter-repo)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install.sh: installing ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

cmake -S "$here" -B "$here/build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$here/build" -j"$(nproc)" --target keygate keygate_man
if [ -w "$prefix" ] || { [ ! -e "$prefix" ] && [ -w "$(dirname "$prefix")" ]; }; then
  cmake --install "$here/build" --prefix "$prefix" >/dev/null
else
  as_root cmake --install "$here/build" --prefix "$prefix" >/dev/null
fi
echo "install.sh: installed $prefix/bin/keygate ($("$prefix/bin/keygate" version))"

if [ "$hook" -eq 1 ]; then
  target=${repo:-$caller}
  if git -C "$target" rev-parse --git-dir >/dev/null 2>&1; then
    if [ "$(git -C "$target" rev-parse --is-bare-repository)" = "true" ]; then
      echo "install.sh: $target is a bare repository: no commits are made there, no hooks installed (on a server: keygate install --hook pre-receive)"
    else
      "$prefix/bin/keygate" install --repo "$target"
    fi
  elif [ -n "$repo" ]; then
    echo "install.sh: $repo is not a git repository" >&2
    exit 2
  else
    echo "install.sh: not inside a git repository: no hooks installed (run 'keygate install' in one)"
  fi
fi
