#!/usr/bin/env bash
# Runs golayout's fuzz targets, one after another, each for a fixed time.
#
#   bash fuzz/run.sh                       # every target, 600 s each (analyze 900 s)
#   SECONDS_EACH=60 bash fuzz/run.sh pclntab dwarf
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`) and a nightly toolchain
# (`rustup toolchain install nightly`; or RUSTC_BOOTSTRAP=1 on stable).
# Seeds come from fixtures/bin (fuzz/seeds.py); corpora and crash artifacts
# stay in fuzz/corpus and fuzz/artifacts (not committed). Each run's libFuzzer
# log goes to fuzz/logs/<target>.log; its last "DONE"/"#N" line gives the
# number of executions.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
python3 seeds.py
mkdir -p logs
targets=("$@")
((${#targets[@]})) || targets=(buildinfo pclntab moduledata dwarf analyze)
# Build every target once, then run the binaries (no rebuild between runs).
nice -n 10 cargo +nightly fuzz build -O --debug-assertions
bin=target/x86_64-unknown-linux-gnu/release
for t in "${targets[@]}"; do
  secs="${SECONDS_EACH:-600}"
  [[ "$t" == analyze && -z "${SECONDS_EACH:-}" ]] && secs=900
  case "$t" in
    analyze) max_len=1400000 ;;
    pclntab) max_len=600000 ;;
    moduledata) max_len=800 ;;
    *) max_len=65536 ;;
  esac
  echo "== $t for ${secs}s" >&2
  mkdir -p "artifacts/$t" "corpus/$t"
  # -timeout: one input taking 10 s is a hang; -malloc_limit_mb: one
  # allocation over 512 MiB is a bug (sizes read from the file must be capped).
  nice -n 10 "$bin/$t" -artifact_prefix="artifacts/$t/" "corpus/$t" \
    -max_total_time="$secs" -max_len="$max_len" -timeout=10 \
    -rss_limit_mb=2048 -malloc_limit_mb=512 -print_final_stats=1 \
    > "logs/$t.log" 2>&1 || echo "$t: crashed, see fuzz/logs/$t.log and fuzz/artifacts/$t" >&2
  grep -E '^stat::number_of_executed_units' "logs/$t.log" >&2 || true
done
