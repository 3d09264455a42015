#!/usr/bin/env bash
# Summarizes the runs of benchmarks/gc-capture.sh: per target rate and mode, the median [min-max] of host
# allocations per CPU-second and per wall-second, the ratio of the medians to no capture, the GC rate, the
# share of GCs captured and the delivering thread's allocation per GC.
# Usage: benchmarks/gc-capture-summary.sh gc-capture-runs.txt
set -euo pipefail
awk '
function field(name,   i, kv) { for (i = 1; i <= NF; i++) { split($i, kv, "="); if (kv[1] == name) return kv[2] } return "" }
function median(list,   n, a, i, j, t) {
  n = split(list, a, " "); for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
  lo = a[1]; hi = a[n]; return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
/^rate=/ {
  key = field("rate") " " field("mode"); keys[key] = 1
  cpu[key] = cpu[key] " " field("allocs_per_cpu_s"); wall[key] = wall[key] " " field("allocs_per_s")
  rate[key] = rate[key] " " field("gcs_per_s"); gcs[key] += field("gcs"); rec[key] += field("recorded"); mis[key] += field("missed")
  if (field("deliver_alloc_b_per_gc") != "NaN") alloc[key] = alloc[key] " " field("deliver_alloc_b_per_gc")
}
END {
  printf "%-6s %-9s %-28s %-7s %-28s %-7s %-8s %-10s %-8s %s\n", "rate", "mode", "allocs/CPU-s median [range]", "vs none", "allocs/s median [range]", "vs none", "GCs/s", "captured", "missed", "B/GC"
  for (r = 1; r <= 3; r++) { target = (r == 1) ? 100 : (r == 2) ? 1000 : 10000
    base = target " none"; bc = median(cpu[base]); bw = median(wall[base])
    split("none sentinel listener", modes, " ")
    for (m = 1; m <= 3; m++) { key = target " " modes[m]; if (!(key in keys)) continue
      c = median(cpu[key]); cl = lo; ch = hi; w = median(wall[key]); wl = lo; wh = hi
      printf "%-6s %-9s %-28s %-7s %-28s %-7s %-8s %-10s %-8s %s\n", target, modes[m],
        sprintf("%.1fM [%.1f-%.1f]", c / 1e6, cl / 1e6, ch / 1e6), sprintf("%+.1f%%", (c / bc - 1) * 100),
        sprintf("%.1fM [%.1f-%.1f]", w / 1e6, wl / 1e6, wh / 1e6), sprintf("%+.1f%%", (w / bw - 1) * 100),
        median(rate[key]), (modes[m] == "none") ? "-" : sprintf("%.2f%%", rec[key] / gcs[key] * 100),
        (modes[m] == "none") ? "-" : mis[key], (alloc[key] == "") ? "-" : sprintf("%.0f", median(alloc[key])) } }
}' "$1"
