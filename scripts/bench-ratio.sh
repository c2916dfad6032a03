#!/usr/bin/env bash
# Compares the sdk Client with the raw floor (net/http POST with a real P-256
# stamp, same loopback server), interleaved call by call (BenchmarkInterleaved
# in sdk/bench_test.go), over ROUNDS runs; prints each run and the median of
# the per-call medians and of the ratios.
# Usage: scripts/bench-ratio.sh [ROUNDS] [BENCHTIME] [-cpu N ...]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
benchtime=${2:-3000x}
shift 2 2>/dev/null || shift $#
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go test -c -o "$work/sdk.test" ./sdk/
(cd sdk && "$work/sdk.test" -test.run '^$' -test.bench '^BenchmarkInterleaved$' -test.benchtime "$benchtime" \
  -test.count "$rounds" "$@") | tee "$work/out" | grep '^BenchmarkInterleaved'
awk '
  /^BenchmarkInterleaved\// {
    name = $1; sub(/-[0-9]+$/, "", name); names[name] = 1
    for (i = 3; i < NF; i++) {
      if ($(i+1) == "floor-µs") floor[name] = floor[name] " " $i
      if ($(i+1) == "client-µs") client[name] = client[name] " " $i
      if ($(i+1) == "client/floor") ratio[name] = ratio[name] " " $i
    }
  }
  function median(list,   n, a, i, j, t) {
    n = split(list, a, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  END {
    for (name in names)
      printf "%-40s floor %6.1f µs  client %6.1f µs  client/floor %.3f (medians of %d runs)\n",
        name, median(floor[name]), median(client[name]), median(ratio[name]), split(ratio[name], x, " ")
  }' "$work/out" | sort
