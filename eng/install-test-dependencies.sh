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
# The live page's browser tests: Debian's Chromium, driven by Playwright (which must never download a browser;
# its driver comes with its NuGet package). The page's chart library (uPlot) comes from npm when
# src/RuntimeProfiler builds (npm ci, pinned by package-lock.json), so npm must be there before the build.
[ -x /usr/bin/chromium ] || apt_packages+=(chromium)
need npm npm
for spec in ${RUNTIMEPROFILER_APT_NEEDS:-}; do need "${spec%%:*}" "${spec##*:}"; done

# StatsD integration tests: Node.js runs Etsy's daemon; socat bridges a Unix datagram socket to it.
need node nodejs
need npm npm
need socat socat

if [ ${#apt_packages[@]} -gt 0 ]; then
  echo "Installing with apt-get: ${apt_packages[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${apt_packages[@]}" >/dev/null
fi

# Etsy's StatsD daemon, pinned, into a git-ignored folder of the repository (the test fixture starts it from there).
statsd_dir=.test-deps/statsd
if ! grep -qs '"version": "0.9.0"' "$statsd_dir/node_modules/statsd/package.json"; then
  echo "Installing statsd@0.9.0 with npm into $statsd_dir"
  mkdir -p "$statsd_dir"
  npm install --prefix "$statsd_dir" --no-audit --no-fund --no-save --loglevel=error statsd@0.9.0 >/dev/null
fi
