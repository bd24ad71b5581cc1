#!/bin/sh
# Installs the mooncake binary for this machine.
#
#   curl -fsSL https://RELEASES/install.sh | sh                      # newest release
#   curl -fsSL https://RELEASES/install.sh | sh -s -- --version 0.1.0
#   sh install.sh --from /media/usb/mooncake/                        # air-gapped: a copy of dist/
#   sh install.sh --from ./mooncake-linux-x64                        # one binary
#
# Environment:
#   MOONCAKE_BASE_URL     where the release files are: BASE/mooncake-<os>-<arch> and
#                         BASE/SHA256SUMS; with --version V, BASE/V/... instead
#   MOONCAKE_INSTALL_DIR  where `mooncake` goes (default /usr/local/bin as root, else ~/.local/bin)
#
# It picks the binary for this OS, CPU and libc, checks its SHA-256 against SHA256SUMS, checks
# that it runs here, and only then moves it into place in one rename. On any error nothing is
# installed. Running it again with the same binary changes nothing.
set -eu

# Filled in by `make dist` from MOONCAKE_RELEASE_URL (scripts/release_installer.ts).
default_base_url=""

say() { printf 'mooncake-install: %s\n' "$*"; }
die() {
  printf 'mooncake-install: error: %s\n' "$*" >&2
  exit 1
}
usage() {
  printf '%s\n' "usage: install.sh [--from DIR_OR_FILE] [--version VERSION]" \
    "  --from DIR_OR_FILE  install from a local copy of the release files, with no network" \
    "  --version VERSION   install this version (checked against the binary's own --version)" >&2
  exit 2
}
have() { command -v "$1" >/dev/null 2>&1; }

from=""
version=""
while [ $# -gt 0 ]; do
  case "$1" in
    --from) [ $# -ge 2 ] || usage; from=$2; shift 2 ;;
    --from=*) from=${1#--from=}; shift ;;
    --version) [ $# -ge 2 ] || usage; version=${2#v}; shift 2 ;;
    --version=*) version=${1#--version=}; version=${version#v}; shift ;;
    -h | --help) usage ;;
    *) printf 'mooncake-install: error: unknown option "%s"\n' "$1" >&2; usage ;;
  esac
done

# --- which binary this machine needs -------------------------------------------------------
kernel=$(uname -s)
machine=$(uname -m)
case "$kernel" in
  Linux) os=linux ;;
  Darwin) os=darwin ;;
  MINGW* | MSYS* | CYGWIN* | Windows*)
    die "Windows is not supported by this installer: download mooncake-windows-x64.exe (or -arm64.exe) and SHA256SUMS from the release and check it with certutil -hashfile FILE SHA256" ;;
  *) die "unsupported operating system \"$kernel\": mooncake is built for Linux and macOS (and Windows, without this installer)" ;;
esac
case "$machine" in
  x86_64 | amd64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) die "unsupported CPU \"$machine\" on $kernel: mooncake is built for x86_64 and arm64" ;;
esac
# An x64 shell under Rosetta on Apple silicon still wants the native arm64 binary.
if [ "$os" = darwin ] && [ "$arch" = x64 ] && [ "$(sysctl -n sysctl.proc_translated 2>/dev/null || true)" = 1 ]; then
  arch=arm64
fi
suffix=""
if [ "$os" = linux ]; then
  # musl's ldd names itself; without ldd, a musl loader alone says the same.
  case "$(ldd --version 2>&1 || true)" in
    *musl*) suffix=-musl ;;
  esac
  if [ -z "$suffix" ] && ! have ldd && ls /lib/ld-musl-*.so.1 >/dev/null 2>&1; then suffix=-musl; fi
fi
target="$os-$arch$suffix"
file="mooncake-$target"

if [ -n "${MOONCAKE_INSTALL_DIR:-}" ]; then
  install_dir=$MOONCAKE_INSTALL_DIR
elif [ "$(id -u)" = 0 ]; then
  install_dir=/usr/local/bin
else
  [ -n "${HOME:-}" ] || die "HOME is not set: set MOONCAKE_INSTALL_DIR to choose where mooncake goes"
  install_dir=$HOME/.local/bin
fi
dest=$install_dir/mooncake

work=$(mktemp -d 2>/dev/null || mktemp -d -t mooncake) || die "cannot create a temporary directory"
staged=""
cleanup() {
  rm -rf "$work"
  if [ -n "$staged" ]; then rm -f "$staged"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- fetch the binary and SHA256SUMS into $work ----------------------------------------------
sums=""
if [ -n "$from" ]; then
  if [ -d "$from" ]; then
    [ -f "$from/$file" ] || die "no $file in \"$from\" (this machine is $target)"
    [ -f "$from/SHA256SUMS" ] || die "no SHA256SUMS in \"$from\": copy it with the binaries"
    cp "$from/$file" "$work/$file"
    cp "$from/SHA256SUMS" "$work/SHA256SUMS"
    sums=$work/SHA256SUMS
    say "using $from/$file (offline)"
  elif [ -f "$from" ]; then
    file=${from##*/}
    cp "$from" "$work/$file"
    case "$from" in */*) beside=${from%/*}/SHA256SUMS ;; *) beside=SHA256SUMS ;; esac
    if [ -f "$beside" ]; then
      cp "$beside" "$work/SHA256SUMS"
      sums=$work/SHA256SUMS
    fi
    say "using $from (offline)"
  else
    die "--from \"$from\": no such file or directory"
  fi
else
  base=${MOONCAKE_BASE_URL:-$default_base_url}
  [ -n "$base" ] || die "no download address: set MOONCAKE_BASE_URL to where the release files are, or install offline with --from"
  base=${base%/}
  if [ -n "$version" ]; then base=$base/$version; fi
  if have curl; then
    fetch() { curl -fsSL --retry 2 -o "$2" "$1"; }
  elif have wget; then
    fetch() { wget -q -O "$2" "$1"; }
  else
    die "curl or wget is needed to download mooncake: install one, or copy the release files here and use --from"
  fi
  say "downloading $base/$file"
  fetch "$base/$file" "$work/$file" || die "cannot download $base/$file (is $target published there?)"
  fetch "$base/SHA256SUMS" "$work/SHA256SUMS" || die "cannot download $base/SHA256SUMS"
  sums=$work/SHA256SUMS
fi

# --- verify: checksum, then that it runs here ------------------------------------------------
if [ -n "$sums" ]; then
  expected=""
  while read -r hash name; do
    if [ "$name" = "$file" ] || [ "$name" = "*$file" ]; then expected=$hash; fi
  done <"$sums"
  [ -n "$expected" ] || die "SHA256SUMS has no line for $file"
  if have sha256sum; then
    actual=$(sha256sum "$work/$file")
  elif have shasum; then
    actual=$(shasum -a 256 "$work/$file")
  else
    die "sha256sum or shasum is needed to verify the download: install coreutils (or perl's shasum)"
  fi
  actual=${actual%% *}
  [ "$actual" = "$expected" ] || die "checksum mismatch for $file: SHA256SUMS says $expected, the file is $actual; nothing was installed"
  say "verified sha256 $actual"
else
  say "warning: no SHA256SUMS beside \"$from\": its checksum was not verified"
fi

chmod 755 "$work/$file"
got=$("$work/$file" --version 2>&1) || die "$file does not run on this machine ($kernel $machine): $got"
if [ -n "$version" ] && [ "$got" != "$version" ]; then
  die "$file is version $got, not the $version asked for; nothing was installed"
fi

# --- install: one rename, so `mooncake` is never half written --------------------------------
if [ -f "$dest" ] && cmp -s "$work/$file" "$dest"; then
  say "mooncake $got ($target) is already installed at $dest; nothing to do"
  exit 0
fi
mkdir -p "$install_dir" || die "cannot create $install_dir (set MOONCAKE_INSTALL_DIR to a directory you can write)"
staged=$install_dir/.mooncake.install.$$
cp "$work/$file" "$staged" || die "cannot write to $install_dir (set MOONCAKE_INSTALL_DIR to a directory you can write)"
chmod 755 "$staged"
mv -f "$staged" "$dest"
staged=""
say "installed mooncake $got ($target) at $dest"
case ":${PATH:-}:" in
  *":$install_dir:"*) ;;
  *) say "$install_dir is not on your PATH: add it, or run $dest" ;;
esac
