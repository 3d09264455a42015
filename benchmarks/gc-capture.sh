#!/usr/bin/env bash
# Host throughput with each GC pause capture mechanism (none, sentinel, listener; sentinel-unpaced on request) at about 100, 1,000 and
# 10,000 GCs per second, one process per run, modes interleaved (order alternating per repetition) so load
# from other processes on the machine spreads over all of them. Prints every run, then a summary per rate and
# mode: median and range of allocations per CPU-second and per wall-second, GC rate, share of GCs captured.
# Usage: benchmarks/gc-capture.sh [repetitions=5] [seconds per run=6] [output file=artifacts/gc-capture-runs.txt]
# Environment: RATES="100:0x3000000 1000:0x300000 10000:0x18000" (target rate:gen0 budget pairs),
#              MODES="none sentinel listener" (sentinel-unpaced: the sentinel with its pacing off),
#              ORDER=alternate (the modes in order, then reversed) or shuffle (random per repetition).
set -euo pipefail
cd "$(dirname "$0")/.."
reps=${1:-5}
seconds=${2:-6}
out=${3:-artifacts/gc-capture-runs.txt}
dotnet build -c Release benchmarks/RuntimeProfiler.Benchmarks > /dev/null
dll=artifacts/bin/RuntimeProfiler.Benchmarks/release/RuntimeProfiler.Benchmarks.dll
mkdir -p "$(dirname "$out")"
: > "$out"
for rate in ${RATES:-100:0x3000000 1000:0x300000 10000:0x18000}; do
  for rep in $(seq "$reps"); do
    modes=${MODES:-none sentinel listener}
    [ $((rep % 2)) -eq 0 ] && modes=$(echo "$modes" | tr ' ' '\n' | tac | tr '\n' ' ')
    [ "${ORDER:-alternate}" = shuffle ] && modes=$(echo "$modes" | tr ' ' '\n' | shuf | tr '\n' ' ')
    for mode in $modes; do
      DOTNET_GCgen0size=${rate#*:} dotnet "$dll" gc-capture --mode "$mode" --seconds "$seconds" --warmup 2 \
        | sed "s/^result /rate=${rate%%:*} rep=$rep /" | tee -a "$out"
    done
  done
done
benchmarks/gc-capture-summary.sh "$out"
