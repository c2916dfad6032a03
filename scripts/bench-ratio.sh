#!/usr/bin/env bash
# Runs the sdk's round-trip benchmarks interleaved: each round runs every
# Client benchmark right after its floor (raw net/http POST with a real P-256
# stamp on the same loopback server), so that a busy machine slows both alike.
# Prints the median ns/op of each over ROUNDS rounds and the median of the
# per-round ratios client/floor.
# Usage: scripts/bench-ratio.sh [ROUNDS] [BENCHTIME] [extra go test flags, e.g. -cpu 1]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-9}
benchtime=${2:-3000x}
shift 2 2>/dev/null || shift $#
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go test -c -o "$work/sdk.test" ./sdk/
: > "$work/all"
for i in $(seq "$rounds"); do
  (cd sdk && "$work/sdk.test" -test.run '^$' -test.bench '^BenchmarkRoundTrip$' -test.benchtime "$benchtime" -test.benchmem "$@") |
    awk -v round="$i" '/^BenchmarkRoundTrip\// {name=$1; sub(/-[0-9]+$/, "", name); print round, name, $3, $7}' >> "$work/all"
done
awk '
  { ns[$2] = ns[$2] " " $3; allocs[$2] = $4; per[$1, $2] = $3; names[$2] = 1; rounds[$1] = 1 }
  function median(list,   n, a, i, j, t) {
    n = split(list, a, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  END {
    for (name in names) printf "%-45s median %8.1f us/op  %s allocs/op\n", name, median(ns[name]) / 1000, allocs[name]
    for (name in names) {
      if (name !~ /\/client$/) continue
      floor = name; sub(/\/client$/, "/floor", floor)
      list = ""
      for (r in rounds) if ((r, floor) in per) list = list " " per[r, name] / per[r, floor]
      printf "%-45s median ratio client/floor %.3f over %d rounds\n", name, median(list), length(rounds)
    }
  }' "$work/all" | sort
