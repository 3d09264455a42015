#!/usr/bin/env bash
# Scrape load: the standalone /metrics endpoint (ours) and prometheus-net's MetricServer, each in a process
# that runs the allocation workload on one thread meanwhile, under wrk at 1, 16 and 64 connections.
# Reports requests/s, p50/p99 latency, errors, and the workload's throughput against the same server unloaded.
# Usage: benchmarks/scrape-load.sh [seconds per run, default 20] [connections, default "1 16 64"]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
connections=${2:-1 16 64}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
dotnet build benchmarks/RuntimeProfiler.Benchmarks -c Release -v q -nologo >/dev/null
target=artifacts/bin/RuntimeProfiler.Benchmarks/release/RuntimeProfiler.Benchmarks
port=19464
out=$(mktemp -d)

run() { # server connections
  local server=$1 c=$2 log=$out/$1-$2
  "$target" scrape-target --server "$server" --port "$port" --seconds "$((seconds + 2))" > "$log.target" &
  local pid=$!
  until grep -q ready "$log.target" 2>/dev/null; do sleep 0.1; done
  if [ "$c" -gt 0 ]; then
    sleep 1
    wrk -t 1 -c "$c" -d "${seconds}s" --latency "http://127.0.0.1:$port/metrics" > "$log.wrk"
  fi
  wait "$pid"
  local ops; ops=$(sed -n 's/.*workload_ops_per_s=\([0-9]*\).*/\1/p' "$log.target")
  if [ "$c" -eq 0 ]; then
    echo "$ops" > "$out/$server-base"
    printf '| %-14s | %4s | %10s | %9s | %9s | %6s | %12s | %6s |\n' "$server" 0 - - - - "$ops" 1.00
    return
  fi
  local rps p50 p99 errors base
  rps=$(awk '/Requests\/sec/ {print $2}' "$log.wrk")
  p50=$(awk '$1=="50%" {print $2}' "$log.wrk")
  p99=$(awk '$1=="99%" {print $2}' "$log.wrk")
  errors=$(awk '/Socket errors/ {gsub(",",""); s=$4+$6+$8+$10} /Non-2xx/ {n=$5} END {print (s+0)+(n+0)}' "$log.wrk")
  base=$(cat "$out/$server-base")
  printf '| %-14s | %4s | %10s | %9s | %9s | %6s | %12s | %6s |\n' "$server" "$c" "$rps" "$p50" "$p99" "$errors" "$ops" \
    "$(awk -v a="$ops" -v b="$base" 'BEGIN {printf "%.2f", a/b}')"
}

echo "| Server         | Conn | Requests/s | p50       | p99       | Errors | Workload ops/s | vs idle |"
echo "|----------------|-----:|-----------:|----------:|----------:|-------:|---------------:|--------:|"
for server in ours prometheus-net; do
  for c in 0 $connections; do run "$server" "$c"; done
done
rm -rf "$out"
