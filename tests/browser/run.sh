#!/usr/bin/env bash
# Browser test of `golayout report`: builds reports of fixtures (and, when
# given, of one large binary) with the release binary, loads each in headless
# Chromium and checks it (report.test.js). Screenshots and load times go to
# ARTIFACT_DIR.
#
# usage: tests/browser/run.sh [ARTIFACT_DIR] [LARGE_BINARY]
#   ARTIFACT_DIR  default: target/browser-artifacts
#   LARGE_BINARY  default: $GOLAYOUT_LARGE_BINARY, else Go's compile if found
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
art="$(mkdir -p "${1:-$root/target/browser-artifacts}" && cd "${1:-$root/target/browser-artifacts}" && pwd)"
large="${2:-${GOLAYOUT_LARGE_BINARY:-}}"
if [ -z "$large" ]; then
  # Go's own compiler (~25 MB, symbols and DWARF): the newest toolchain found.
  for c in "$(go env GOTOOLDIR 2>/dev/null || true)/compile" $(ls -d /opt/gotc/*/go/pkg/tool/linux_amd64/compile 2>/dev/null | sort -V); do
    if [ -f "$c" ]; then large="$c"; fi
  done
fi
chromium="${CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  echo "notice: $chromium not found; skipping the browser test" >&2
  exit 0
fi
if [ ! -d "$here/node_modules/playwright-core" ]; then
  (cd "$here" && npm ci --no-audit --no-fund)
fi
bin="${GOLAYOUT_BIN:-}"  # a golayout binary to use instead of building one
if [ -z "$bin" ]; then
  (cd "$root" && cargo build --release --quiet)
  bin="${CARGO_TARGET_DIR:-$root/target}/release/golayout"
fi
fx="$root/fixtures"
out="$art/reports"
mkdir -p "$out"

"$bin" report -q "$fx/bin/go1.27-linux-amd64" -o "$out/single.html"
"$bin" report -q "$fx/bin/go1.27-windows-amd64.exe" -o "$out/windows.html"
"$bin" report -q "$fx/bin/go1.27-darwin-arm64" -o "$out/darwin.html"
"$bin" report -q "$fx/bin/go1.27-linux-amd64-stripped" -o "$out/stripped.html"
"$bin" report -q --baseline "$fx/bin/go1.19-linux-amd64" "$fx/bin/go1.27-linux-amd64" -o "$out/diff.html"

cases="$out/cases.json"
{
  echo '['
  echo "{\"name\":\"single\",\"html\":\"$out/single.html\",\"oracle\":\"$fx/truth/go1.27-linux-amd64/oracle.json\",\"search\":\"main.BigZero\",\"zoom\":[\"LOAD #2 rw-\",\"bss\"]},"
  echo "{\"name\":\"windows\",\"html\":\"$out/windows.html\",\"oracle\":\"$fx/truth/go1.27-windows-amd64.exe/oracle.json\",\"search\":\"main.BigZero\"},"
  echo "{\"name\":\"darwin\",\"html\":\"$out/darwin.html\",\"oracle\":\"$fx/truth/go1.27-darwin-arm64/oracle.json\",\"search\":\"main.BigZero\"},"
  echo "{\"name\":\"stripped\",\"html\":\"$out/stripped.html\",\"oracle\":\"$fx/truth/go1.27-linux-amd64/oracle.json\",\"search\":\"runtime.mallocgc\"},"
  echo -n "{\"name\":\"diff\",\"html\":\"$out/diff.html\",\"oracle\":\"$fx/truth/go1.27-linux-amd64/oracle.json\",\"search\":\"main.BigZero\"}"
  if [ -n "$large" ] && [ -f "$large" ]; then
    "$bin" report -q "$large" -o "$out/large.html"
    echo ","
    echo -n "{\"name\":\"large\",\"html\":\"$out/large.html\",\"search\":\"runtime.mallocgc\",\"large\":true}"
  else
    echo "notice: no large binary found; only fixtures are tested" >&2
  fi
  echo
  echo ']'
} > "$cases"
node "$here/report.test.js" "$art" "$cases"
