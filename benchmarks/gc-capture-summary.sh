#!/usr/bin/env bash
# Summarizes the runs of benchmarks/gc-capture.sh: per target rate and mode, the median [min-max] of host
# allocations per CPU-second and per wall-second, the ratio of the medians to no capture, the GC rate, the
# share of GCs captured, the delivering thread's allocation per GC and the process's CPU (% of a core: the
# workload thread keeps one core busy, so what is above the no-capture row is the capture's cost), and the CPU
# time per second of the threads that capture (the finalizer thread, which also runs the runtime's own work
# after each GC, and the pacer).
# Usage: benchmarks/gc-capture-summary.sh gc-capture-runs.txt
set -euo pipefail
awk '
function field(name,   i, kv) { for (i = 1; i <= NF; i++) { split($i, kv, "="); if (kv[1] == name) return kv[2] } return "" }
function median(list,   n, a, i, j, t) {
  n = split(list, a, " "); for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
  lo = a[1]; hi = a[n]; return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
/^rate=/ {
  key = field("rate") " " field("mode"); keys[key] = 1; targets[field("rate")] = 1
  cpu[key] = cpu[key] " " field("allocs_per_cpu_s"); wall[key] = wall[key] " " field("allocs_per_s")
  rate[key] = rate[key] " " field("gcs_per_s"); gcs[key] += field("gcs"); rec[key] += field("recorded"); mis[key] += field("missed")
  pct[key] = pct[key] " " field("cpu_pct")
  if (field("deliver_cpu_us_per_gc") != "NaN") own[key] = own[key] " " (field("deliver_cpu_us_per_gc") + field("pacer_cpu_us_per_gc")) * field("gcs_per_s") / 1000
  if (field("deliver_alloc_b_per_gc") != "NaN") alloc[key] = alloc[key] " " field("deliver_alloc_b_per_gc")
}
END {
  printf "%-6s %-16s %-28s %-7s %-28s %-7s %-8s %-10s %-8s %-6s %-22s %s\n", "rate", "mode", "allocs/CPU-s median [range]", "vs none", "allocs/s median [range]", "vs none", "GCs/s", "captured", "missed", "B/GC", "CPU % median [range]", "capture threads ms/s"
  nt = 0; for (t in targets) sorted[++nt] = t + 0
  for (i = 1; i <= nt; i++) for (j = i + 1; j <= nt; j++) if (sorted[j] < sorted[i]) { t = sorted[i]; sorted[i] = sorted[j]; sorted[j] = t }
  for (r = 1; r <= nt; r++) { target = sorted[r]
    base = target " none"; bc = median(cpu[base]); bw = median(wall[base])
    nm = split("none sentinel sentinel-unpaced listener", modes, " ")
    for (m = 1; m <= nm; m++) { key = target " " modes[m]; if (!(key in keys)) continue
      c = median(cpu[key]); cl = lo; ch = hi; w = median(wall[key]); wl = lo; wh = hi; p = median(pct[key]); pl = lo; ph = hi
      printf "%-6s %-16s %-28s %-7s %-28s %-7s %-8s %-10s %-8s %-6s %-22s %s\n", target, modes[m],
        sprintf("%.1fM [%.1f-%.1f]", c / 1e6, cl / 1e6, ch / 1e6), sprintf("%+.1f%%", (c / bc - 1) * 100),
        sprintf("%.1fM [%.1f-%.1f]", w / 1e6, wl / 1e6, wh / 1e6), sprintf("%+.1f%%", (w / bw - 1) * 100),
        median(rate[key]), (modes[m] == "none") ? "-" : sprintf("%.2f%%", rec[key] / gcs[key] * 100),
        (modes[m] == "none") ? "-" : mis[key], (alloc[key] == "") ? "-" : sprintf("%.0f", median(alloc[key])),
        sprintf("%.1f [%.1f-%.1f]", p, pl, ph), (own[key] == "") ? "-" : sprintf("%.1f", median(own[key])) } }
}' "$1"
