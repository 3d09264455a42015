#!/usr/bin/env bash
# Where an idle process's CPU goes, per thread: runs the host-cost child with one configuration and nothing
# else to do, lets it settle, then reads each thread's run time (/proc/PID/task/TID/schedstat, nanoseconds,
# exact, unlike the tick-sampled utime) and its number of times on a CPU over a window.
# Usage: benchmarks/idle-threads.sh [configuration=interval-10ms] [settle seconds=12] [window seconds=20]
set -euo pipefail
cd "$(dirname "$0")/.."
config=${1:-interval-10ms}
settle=${2:-12}
window=${3:-20}
dotnet build benchmarks/RuntimeProfiler.Benchmarks -c Release -v q -nologo >/dev/null
dll=artifacts/bin/RuntimeProfiler.Benchmarks/release/RuntimeProfiler.Benchmarks.dll
# Arguments of the child: configuration, operations (unused when idle), warm-up seconds, idle seconds.
dotnet "$dll" host-cost-child "$config" 0 5 $((settle + window + 3)) >/dev/null &
pid=$!
snapshot() {
  for task in /proc/"$pid"/task/*; do
    printf '%s %s %s\n' "${task##*/}" "$(tr ' ' '_' < "$task/comm")" "$(cat "$task/schedstat")"
  done | sort
}
sleep "$settle"
before=$(snapshot)
sleep "$window"
after=$(snapshot)
wait "$pid"
echo "configuration $config, ${window} s after ${settle} s; threads that ran:"
join <(echo "$before") <(echo "$after") | awk -v w="$window" '
  { run = ($7 - $3) / 1e6; slices = $9 - $5
    if (run > 0.05) printf "  %-18s %8.1f ms (%5.2f%% of a core)  %6d times on a CPU  %6.1f us each\n", $2, run, run / (w * 10), slices, (slices > 0 ? run * 1000 / slices : 0) }'
