#!/usr/bin/env bash
# Runs every test of RuntimeProfiler on a fresh machine: installs what the tests need
# (see eng/install-test-dependencies.sh), then builds and runs all test projects.
# Usage: ./test.sh [extra arguments for dotnet test]
set -euo pipefail
cd "$(dirname "$0")"
eng/install-test-dependencies.sh
# A test process still running after 15 minutes is hung: it is dumped into artifacts/test-results and fails the run.
dotnet test --solution RuntimeProfiler.slnx -c Release --hangdump --hangdump-timeout 15m --hangdump-type Mini --results-directory artifacts/test-results "$@"
