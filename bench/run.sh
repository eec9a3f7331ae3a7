#!/usr/bin/env bash
# golayout side by side with its peers, in one run, on the same files.
#
#   usage: bench/run.sh [CORPUS_DIR]         (or GOLAYOUT_CORPUS=DIR bench/run.sh)
#
# Inputs (found, not built):
#   compile   Go's own compiler from the toolchain of $GO (`$GO env GOTOOLDIR`),
#             ~28 MB, with a symbol table and no DWARF
#   stripped  the largest ELF of the corpus with no symbol table, after the largest
#   largest   the largest file of the corpus
#   batch     every corpus binary + fixtures/bin + the binaries of every Go toolchain
#             under $GOTC_DIR (bin/* and pkg/tool/*/*), duplicates (same sha256) dropped
# Peers, installed into $PEERS_DIR/bin when missing (a peer that cannot be had is
# reported and skipped; the run goes on):
#   go tool nm -size -type   (and the nm binary itself, `go tool -n nm`)
#   GoReSym                  go install github.com/mandiant/GoReSym@$GORESYM_VERSION
#   gsa                      go install github.com/Zxilly/go-size-analyzer/cmd/gsa@$GSA_VERSION
#   unstrip                  cargo install --root $PEERS_DIR unstrip --version $UNSTRIP_VERSION
# Needs: cargo, go, hyperfine, GNU time (/usr/bin/time), python3, sha256sum.
#   apt-get install -y hyperfine time
#
# Output: bench/out/ (hyperfine JSON per input, rss.tsv, batch.txt, summary.md);
# the summary (medians, ratios, peak RSS) is printed at the end.
#
# Knobs (environment): GO (default go), GOTC_DIR (/opt/gotc), PEERS_DIR
# (bench/.peers), RUNS (10), WARMUP (3), BATCH_RUNS (3), SKIP_PEER_BATCH=1 (time
# only golayout on the batch), OUT (bench/out).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
CORPUS=${1:-${GOLAYOUT_CORPUS:-}}
GO=${GO:-go}
GOTC_DIR=${GOTC_DIR:-/opt/gotc}
PEERS_DIR=${PEERS_DIR:-$HERE/.peers}
OUT=${OUT:-$HERE/out}
RUNS=${RUNS:-10}
WARMUP=${WARMUP:-3}
BATCH_RUNS=${BATCH_RUNS:-3}
GORESYM_VERSION=${GORESYM_VERSION:-v2.7.4}
GSA_VERSION=${GSA_VERSION:-v1.9.0}
UNSTRIP_VERSION=${UNSTRIP_VERSION:-1.2.0}

log() { printf '\033[1m== %s\033[0m\n' "$*" >&2; }
note() { printf 'NOTICE: %s\n' "$*" >&2; echo "$*" >>"$OUT/notices.txt"; }
die() { printf 'bench: %s\n' "$*" >&2; exit 2; }

for tool in cargo hyperfine python3 sha256sum; do
  command -v "$tool" >/dev/null || die "$tool not found (apt-get install -y hyperfine time)"
done
[ -x /usr/bin/time ] || die "/usr/bin/time not found (apt-get install -y time)"
[ -n "$CORPUS" ] || die "usage: bench/run.sh CORPUS_DIR (the dev corpus: /work/shared/corpus/fetch-dev.sh DIR)"
[ -d "$CORPUS" ] || die "$CORPUS: not a directory"
CORPUS=$(cd "$CORPUS" && pwd)
rm -rf "$OUT"
mkdir -p "$OUT" "$PEERS_DIR/bin"
: >"$OUT/notices.txt"

# ---------------------------------------------------------------------------
log "building golayout (release)"
(cd "$ROOT" && cargo build --release --quiet)
GL=$ROOT/target/release/golayout

# ---------------------------------------------------------------------------
log "peers"
export GOBIN=$PEERS_DIR/bin
export PATH=$PEERS_DIR/bin:$PATH
NM_GO=""
NM_BIN=""
if command -v "$GO" >/dev/null; then
  NM_GO="$GO tool nm"
  NM_BIN=$("$GO" tool -n nm 2>/dev/null || true)
  [ -x "$NM_BIN" ] || NM_BIN=""
else
  note "go not found: no go tool nm, GoReSym, gsa"
fi
install_go_peer() { # name module@version
  local name=$1 mod=$2
  [ -x "$PEERS_DIR/bin/$name" ] && return 0
  command -v "$GO" >/dev/null || return 1
  if ! (cd "$PEERS_DIR" && "$GO" install "$mod") >"$OUT/install-$name.log" 2>&1; then
    # gsa needs a newer Go than some machines have.
    if ! (cd "$PEERS_DIR" && GOTOOLCHAIN=go1.27.3 "$GO" install "$mod") >>"$OUT/install-$name.log" 2>&1; then
      note "$name: 'go install $mod' failed: $(grep -m1 -E 'go: |error' "$OUT/install-$name.log" | cut -c1-200)"
      return 1
    fi
  fi
}
GORESYM=""
GSA=""
UNSTRIP=""
install_go_peer GoReSym "github.com/mandiant/GoReSym@$GORESYM_VERSION" && GORESYM=$PEERS_DIR/bin/GoReSym
install_go_peer gsa "github.com/Zxilly/go-size-analyzer/cmd/gsa@$GSA_VERSION" && GSA=$PEERS_DIR/bin/gsa
if [ -x "$PEERS_DIR/bin/unstrip" ]; then
  UNSTRIP=$PEERS_DIR/bin/unstrip
elif cargo install --quiet --locked --root "$PEERS_DIR" unstrip --version "$UNSTRIP_VERSION" >"$OUT/install-unstrip.log" 2>&1 ||
  cargo install --quiet --root "$PEERS_DIR" unstrip --version "$UNSTRIP_VERSION" >>"$OUT/install-unstrip.log" 2>&1; then
  UNSTRIP=$PEERS_DIR/bin/unstrip
else
  note "unstrip: cargo install failed: $(tail -1 "$OUT/install-unstrip.log")"
fi
for p in "go tool nm:$NM_GO" "nm:$NM_BIN" "GoReSym:$GORESYM" "gsa:$GSA" "unstrip:$UNSTRIP"; do
  printf '  %-12s %s\n' "${p%%:*}" "${p#*:}" >&2
  [ -n "${p#*:}" ] || note "${p%%:*} is not available: left out of the comparison"
done

# ---------------------------------------------------------------------------
log "inputs"
COMPILE=""
if command -v "$GO" >/dev/null; then
  COMPILE=$("$GO" env GOTOOLDIR)/compile
fi
[ -f "$COMPILE" ] || die "compile not found (\$GO env GOTOOLDIR); set GO to a Go toolchain"
# Corpus files, largest first, with golayout's word on each (one scan).
find "$CORPUS" -type f -not -path '*/.cache/*' -size +0 -printf '%s\t%p\n' | sort -rn >"$OUT/corpus-sizes.tsv"
LARGEST=$(head -1 "$OUT/corpus-sizes.tsv" | cut -f2)
STRIPPED=""
while IFS=$'\t' read -r _ f; do
  [ "$f" = "$LARGEST" ] && continue
  if "$GL" info --json "$f" 2>/dev/null | python3 -c '
import json,sys; b=json.load(sys.stdin)["binary"]
sys.exit(0 if b["format"]=="elf" and not b["has_symbols"] else 1)'; then
    STRIPPED=$f
    break
  fi
done <"$OUT/corpus-sizes.tsv"
[ -n "$STRIPPED" ] || die "no stripped ELF in the corpus"

# Batch: corpus + fixtures + toolchain binaries, one per content.
{
  cut -f2 "$OUT/corpus-sizes.tsv"
  find "$ROOT/fixtures/bin" -type f
  for d in "$GOTC_DIR"/*/go "$("$GO" env GOROOT 2>/dev/null || true)"; do
    [ -d "$d" ] || continue
    find "$d/bin" "$d"/pkg/tool/*/ -maxdepth 1 -type f 2>/dev/null
  done
} | sort -u | while read -r f; do
  printf '%s\t%s\n' "$(sha256sum <"$f" | cut -c1-64)" "$f"
done | sort -k1,1 -u | cut -f2 | sort >"$OUT/batch.txt"
NBATCH=$(wc -l <"$OUT/batch.txt")
BATCH_BYTES=$(xargs -d '\n' stat -c %s <"$OUT/batch.txt" | awk '{s+=$1} END {printf "%d", s}')
[ "$NBATCH" -ge 200 ] || note "batch has $NBATCH binaries (< 200)"
printf '  compile   %s (%s bytes)\n  stripped  %s (%s bytes)\n  largest   %s (%s bytes)\n  batch     %s files, %s bytes (%s)\n' \
  "$COMPILE" "$(stat -c %s "$COMPILE")" "$STRIPPED" "$(stat -c %s "$STRIPPED")" \
  "$LARGEST" "$(stat -c %s "$LARGEST")" "$NBATCH" "$BATCH_BYTES" "$OUT/batch.txt" >&2
printf 'compile\t%s\nstripped\t%s\nlargest\t%s\n' "$COMPILE" "$STRIPPED" "$LARGEST" >"$OUT/inputs.tsv"

# ---------------------------------------------------------------------------
# Machine and load, recorded with the figures.
{
  echo "date: $(date -u +%FT%TZ)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //') x $(nproc)"
  echo "memory: $(free -g | awk '/Mem:/ {print $2 " GiB"}')"
  echo "kernel: $(uname -sr)"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "golayout: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null)$(git -C "$ROOT" diff --quiet 2>/dev/null || echo '+dirty')"
  echo "go: $("$GO" version 2>/dev/null || echo none)"
  echo "unstrip: $([ -n "$UNSTRIP" ] && "$UNSTRIP" --version 2>/dev/null || echo none)"
  echo "hyperfine: $(hyperfine --version)"
} >"$OUT/machine.txt"

# ---------------------------------------------------------------------------
# The commands compared on one file ($1). Name<TAB>command (no shell syntax:
# hyperfine runs them without a shell). "golayout packages" is the full analysis (sections,
# moduledata, the pclntab function walk, variables with GC bitmaps, package
# totals); "vars" also serializes every variable; "info" skips variables.
commands_for() {
  local f=$1
  printf 'golayout packages\t%s packages --json %q\n' "$GL" "$f"
  printf 'golayout vars\t%s vars --json %q\n' "$GL" "$f"
  printf 'golayout info\t%s info --json %q\n' "$GL" "$f"
  [ -n "$NM_GO" ] && printf 'go tool nm -size -type\t%s -size -type %q\n' "$NM_GO" "$f"
  [ -n "$NM_BIN" ] && printf 'nm -size -type\t%s -size -type %q\n' "$NM_BIN" "$f"
  [ -n "$UNSTRIP" ] && printf 'unstrip -f json\t%s -f json %q\n' "$UNSTRIP" "$f"
  [ -n "$GORESYM" ] && printf 'GoReSym -t -d -p\t%s -t -d -p %q\n' "$GORESYM" "$f"
  [ -n "$GSA" ] && printf 'gsa -f json\t%s -f json --no-disasm %q\n' "$GSA" "$f"
  return 0
}

echo -e "input\tcommand\tpeak_rss_kib\texit" >"$OUT/rss.tsv"
for input in compile stripped largest; do
  f=$(awk -F'\t' -v k="$input" '$1==k {print $2}' "$OUT/inputs.tsv")
  log "$input: $f"
  args=()
  while IFS=$'\t' read -r name cmd; do
    # Peak RSS: the median of 3 runs under GNU time.
    rss=()
    code=0
    for _ in 1 2 3; do
      code=0
      /usr/bin/time -f '%M' -o "$OUT/time.tmp" bash -c "$cmd >/dev/null 2>&1" || code=$?
      rss+=("$(tail -1 "$OUT/time.tmp")")
    done
    med=$(printf '%s\n' "${rss[@]}" | sort -n | sed -n 2p)
    printf '%s\t%s\t%s\t%s\n' "$input" "$name" "$med" "$code" >>"$OUT/rss.tsv"
    if [ "$code" -ne 0 ]; then
      note "$name exits $code on $input: timed anyway (its work up to the failure)"
    fi
    args+=(--command-name "$name" "$cmd")
  done < <(commands_for "$f")
  # -N: no shell in between; output through a pipe (no /dev/null shortcut).
  hyperfine -N --output=pipe --style basic --warmup "$WARMUP" --runs "$RUNS" -i --export-json "$OUT/$input.json" "${args[@]}" >"$OUT/$input.hyperfine.txt"
done

# ---------------------------------------------------------------------------
log "batch: $NBATCH files"
batch_args=(--command-name "golayout scan -j1" "$GL scan -j 1 --files-from $OUT/batch.txt >/dev/null 2>&1"
  --command-name "golayout scan -j2" "$GL scan -j 2 --files-from $OUT/batch.txt >/dev/null 2>&1")
if [ -z "${SKIP_PEER_BATCH:-}" ]; then
  # Peers have no batch mode: one process per file, two at a time (2 cores).
  each() { printf 'xargs -d %q -P 2 -n 1 %s <%q >/dev/null 2>&1' '\n' "$1" "$OUT/batch.txt"; }
  [ -n "$NM_BIN" ] && batch_args+=(--command-name "nm -size -type (xargs -P2)" "$(each "$NM_BIN -size -type")")
  [ -n "$UNSTRIP" ] && batch_args+=(--command-name "unstrip -f json (xargs -P2)" "$(each "$UNSTRIP -f json")")
  [ -n "$GORESYM" ] && batch_args+=(--command-name "GoReSym -t -d -p (xargs -P2)" "$(each "$GORESYM -t -d -p")")
  [ -n "$GSA" ] && batch_args+=(--command-name "gsa -f json (xargs -P2)" "$(each "$GSA -f json --no-disasm")")
fi
hyperfine --output=pipe --style basic --warmup 1 --runs "$BATCH_RUNS" -i --export-json "$OUT/batch.json" "${batch_args[@]}" >"$OUT/batch.hyperfine.txt"
/usr/bin/time -f '%M' -o "$OUT/time.tmp" "$GL" scan -j 2 --files-from "$OUT/batch.txt" >"$OUT/batch.ndjson" 2>/dev/null || true
printf 'batch\tgolayout scan -j2\t%s\t0\n' "$(tail -1 "$OUT/time.tmp")" >>"$OUT/rss.tsv"
rm -f "$OUT/time.tmp"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$OUT/machine.txt"

# ---------------------------------------------------------------------------
python3 "$HERE/summarize.py" "$OUT" | tee "$OUT/summary.md"
