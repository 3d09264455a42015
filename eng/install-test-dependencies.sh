#!/usr/bin/env bash
# Installs what the test suites need beyond the .NET SDK, only where it is missing, so a second run is
# quick. Needs root for apt-get (CI and the development machine run as root).
set -euo pipefail
cd "$(dirname "$0")/.."

apt_packages=()
need() { command -v "$1" >/dev/null 2>&1 || apt_packages+=("$2"); }
# Filled in as integration suites arrive (StatsD bridge, Prometheus server and promtool, Chromium).
# Prometheus: the server and promtool (Debian's package), and the reference OpenMetrics parser (the Python
# client's) for the expositions promtool cannot read; it runs under Debian's /usr/bin/python3.
need prometheus prometheus
need promtool prometheus
[ -f /usr/lib/python3/dist-packages/prometheus_client/openmetrics/parser.py ] || apt_packages+=(python3-prometheus-client)
for spec in ${RUNTIMEPROFILER_APT_NEEDS:-}; do need "${spec%%:*}" "${spec##*:}"; done

if [ ${#apt_packages[@]} -gt 0 ]; then
  echo "Installing with apt-get: ${apt_packages[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${apt_packages[@]}" >/dev/null
fi
