#!/bin/sh
# Installs the sheaf binary from a GitHub release, no Rust toolchain needed:
#
#   curl -fsSL https://github.com/sheaf-ssg/sheaf/releases/latest/download/install.sh | sh
#   curl -fsSL .../install.sh | sh -s -- --version 0.2.0 --to /usr/local/bin
#
# Options (or environment variables):
#   --version V  (SHEAF_VERSION)       a release such as 0.2.0 or v0.2.0; default: latest
#   --to DIR     (SHEAF_INSTALL_DIR)   where to put `sheaf`; default: ~/.local/bin
#   --from URL   (SHEAF_DOWNLOAD_URL)  a folder holding a release's assets (a mirror, or a
#                                      local server in tests); overrides --version
#
# What it does: picks the asset for this system (sheaf-<target>.tar.gz), downloads it and
# the release's SHA256SUMS, refuses the asset unless its SHA-256 is the one listed, checks
# that the binary runs, and moves it into place in one step (a temp file, then mv). It
# changes nothing outside the install folder and never asks for root.
set -eu

REPO_URL="https://github.com/sheaf-ssg/sheaf"

say() { printf 'sheaf install: %s\n' "$*"; }
fail() {
  printf 'sheaf install: error: %s\n' "$*" >&2
  exit 1
}

version="${SHEAF_VERSION:-latest}"
dest="${SHEAF_INSTALL_DIR:-}"
from="${SHEAF_DOWNLOAD_URL:-}"
while [ $# -gt 0 ]; do
  case "$1" in
    --version) [ $# -ge 2 ] || fail "--version needs a value"; version="$2"; shift 2 ;;
    --version=*) version="${1#*=}"; shift ;;
    --to) [ $# -ge 2 ] || fail "--to needs a folder"; dest="$2"; shift 2 ;;
    --to=*) dest="${1#*=}"; shift ;;
    --from) [ $# -ge 2 ] || fail "--from needs a URL"; from="$2"; shift 2 ;;
    --from=*) from="${1#*=}"; shift ;;
    -h | --help)
      sed -n '2,16p' "$0" 2>/dev/null | sed 's/^# \{0,1\}//' || true
      exit 0
      ;;
    *) fail "unknown option '$1' (see --help)" ;;
  esac
done
if [ -z "$dest" ]; then
  [ -n "${HOME:-}" ] || fail "HOME is not set: choose a folder with --to DIR"
  dest="$HOME/.local/bin"
fi

# The release target for this system. Linux binaries are static (musl): any distribution.
os="$(uname -s)"
arch="$(uname -m)"
case "$arch" in
  x86_64 | amd64) arch=x86_64 ;;
  aarch64 | arm64) arch=aarch64 ;;
  *) fail "no sheaf binary for the processor '$arch' (builds exist for x86_64 and aarch64/arm64); build from source instead: cargo install sheaf-ssg" ;;
esac
case "$os" in
  Linux) target="$arch-unknown-linux-musl" ;;
  Darwin) target="$arch-apple-darwin" ;;
  MINGW* | MSYS* | CYGWIN* | Windows_NT)
    fail "on Windows, download sheaf-x86_64-pc-windows-msvc.zip from $REPO_URL/releases (or run: cargo binstall sheaf-ssg)" ;;
  *) fail "no sheaf binary for the system '$os' (builds exist for Linux, macOS and Windows); build from source instead: cargo install sheaf-ssg" ;;
esac
asset="sheaf-$target.tar.gz"

if [ -n "$from" ]; then
  base="${from%/}"
elif [ "$version" = latest ]; then
  base="$REPO_URL/releases/latest/download"
else
  base="$REPO_URL/releases/download/v${version#v}"
fi

if command -v curl >/dev/null 2>&1; then
  fetch() { curl -fsSL --retry 2 -o "$2" "$1"; }
elif command -v wget >/dev/null 2>&1; then
  fetch() { wget -q -O "$2" "$1"; }
else
  fail "neither curl nor wget is installed"
fi
if command -v sha256sum >/dev/null 2>&1; then
  sha256() { sha256sum "$1" | cut -d ' ' -f 1; }
elif command -v shasum >/dev/null 2>&1; then
  sha256() { shasum -a 256 "$1" | cut -d ' ' -f 1; }
else
  fail "neither sha256sum nor shasum is installed, so the download cannot be verified"
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/sheaf-install.XXXXXX")" || fail "cannot create a temporary folder"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

say "downloading $base/$asset"
fetch "$base/$asset" "$tmp/$asset" || fail "cannot download $base/$asset"
fetch "$base/SHA256SUMS" "$tmp/SHA256SUMS" || fail "cannot download $base/SHA256SUMS"

expected="$(awk -v name="$asset" '$2 == name || $2 == "*" name { print $1; exit }' "$tmp/SHA256SUMS")"
[ -n "$expected" ] || fail "SHA256SUMS does not list $asset"
actual="$(sha256 "$tmp/$asset")"
if [ "$actual" != "$expected" ]; then
  fail "checksum mismatch for $asset: expected $expected, got $actual. The download is damaged or was tampered with; nothing was installed."
fi
say "checksum verified (SHA-256 $actual)"

mkdir "$tmp/unpacked"
tar -xzf "$tmp/$asset" -C "$tmp/unpacked" || fail "cannot unpack $asset"
[ -f "$tmp/unpacked/sheaf" ] || fail "$asset holds no sheaf binary"
chmod 755 "$tmp/unpacked/sheaf"
installed_version="$("$tmp/unpacked/sheaf" --version 2>/dev/null)" ||
  fail "the downloaded binary does not run on this system ($target); nothing was installed"

mkdir -p "$dest" || fail "cannot create $dest"
# Copied beside its final place, then renamed over it: a running sheaf, or one half
# copied, is never what `sheaf` names.
part="$dest/.sheaf.install-$$"
cp "$tmp/unpacked/sheaf" "$part" || fail "cannot write to $dest"
chmod 755 "$part"
mv -f "$part" "$dest/sheaf" || {
  rm -f "$part"
  fail "cannot write $dest/sheaf"
}

say "installed $installed_version at $dest/sheaf"
case ":${PATH:-}:" in
  *":$dest:"*) say "$dest is on your PATH: run 'sheaf --help' to start" ;;
  *)
    say "$dest is not on your PATH; add it, e.g. in ~/.profile:"
    say "  export PATH=\"$dest:\$PATH\""
    ;;
esac
