#!/usr/bin/env bash
# Instruction counts (valgrind --tool=callgrind) of golayout's main commands on
# fixed inputs: stable under load, so a regression shows even on a busy machine.
#
#   usage: bench/callgrind.sh [COMPILE]      (default: `$GO env GOTOOLDIR`/compile)
#
# Inputs: the committed fixture fixtures/bin/go1.27-linux-amd64 (symbols + DWARF)
# and Go's compile. Prints one Markdown table of Ir (instructions executed) per
# command; the profiles stay in bench/out/callgrind/ for callgrind_annotate.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
GO=${GO:-go}
OUT=${OUT:-$HERE/out}/callgrind
COMPILE=${1:-$("$GO" env GOTOOLDIR 2>/dev/null)/compile}
FIXTURE=$ROOT/fixtures/bin/go1.27-linux-amd64
command -v valgrind >/dev/null || { echo "callgrind.sh: valgrind not found (apt-get install -y valgrind)" >&2; exit 2; }
[ -f "$COMPILE" ] || { echo "callgrind.sh: $COMPILE not found (set GO or pass the path)" >&2; exit 2; }
mkdir -p "$OUT"
(cd "$ROOT" && cargo build --release --quiet)
GL=$ROOT/target/release/golayout

echo "| input | command | Ir (instructions) |"
echo "| --- | --- | ---: |"
for input in fixture compile; do
  f=$FIXTURE
  [ "$input" = compile ] && f=$COMPILE
  for cmd in info vars packages; do
    prof=$OUT/$input-$cmd.out
    valgrind --tool=callgrind --callgrind-out-file="$prof" "$GL" "$cmd" --json "$f" >/dev/null 2>"$prof.log"
    ir=$(grep -m1 -E '^(summary|totals):' "$prof" | awk '{print $2}')
    printf '| %s | `golayout %s --json` | %s |\n' "$input" "$cmd" "$(echo "$ir" | sed -E ':a;s/([0-9])([0-9]{3})($|,)/\1,\2\3/;ta')"
  done
done
