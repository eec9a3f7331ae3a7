#!/usr/bin/env bash
# Plain-shell CI step: build the Go program, check it against the budget and
# the last release's saved layout, and write a Markdown summary.
#
#   BASELINE=releases/v1.4.json bash docs/examples/ci.sh
#
# Exit status: 0 when every rule holds, 1 when a rule is broken, 2+ on a
# setup error (unreadable budget or baseline, not a Go binary...).
set -euo pipefail

BUDGET="${BUDGET:-budget.toml}"
BASELINE="${BASELINE:-}"                 # a binary or a `golayout save` JSON
SUMMARY="${GITHUB_STEP_SUMMARY:-golayout-summary.md}"

CGO_ENABLED=0 go build -trimpath -o app ./cmd/app

baseline=()
[[ -n "$BASELINE" && -f "$BASELINE" ]] && baseline=(--baseline "$BASELINE")

status=0
golayout check app --budget "$BUDGET" "${baseline[@]}" --format markdown > check.md || status=$?
if ((${#baseline[@]})); then
  { echo; golayout diff "$BASELINE" app --threshold 1024 --limit 20 --format markdown; } >> check.md
fi
cat check.md >> "$SUMMARY"

# After a release, keep its layout for the next comparison:
#   golayout save app -o releases/v1.5.json
exit "$status"
