#!/usr/bin/env bash
# Adds every symbol the PublicApiAnalyzers report as undeclared (RS0016) to the project's
# PublicAPI.Unshipped.txt, and drops the ones reported as removed (RS0017). Review the diff before committing.
# Usage: eng/update-public-api.sh src/RuntimeProfiler/RuntimeProfiler.csproj
set -euo pipefail
project=${1:?usage: $0 path/to/project.csproj}
dir=$(dirname "$project")
unshipped="$dir/PublicAPI.Unshipped.txt"
[ -f "$unshipped" ] || printf '#nullable enable\n' > "$unshipped"
log=$(dotnet build "$project" --no-incremental -p:TreatWarningsAsErrors=false 2>&1 || true)
added=$(printf '%s\n' "$log" | grep -oP "RS0016: Symbol '\K.*(?=' is not part of the declared public API)" | sort -u || true)
removed=$(printf '%s\n' "$log" | grep -oP "RS0017: Symbol '\K.*(?=' is part of the declared API, but)" | sort -u || true)
{
  head -n1 "$unshipped"
  { tail -n +2 "$unshipped"; [ -n "$added" ] && printf '%s\n' "$added"; } | grep -v '^$' | grep -vxF -f <(printf '%s\n' "$removed" | grep -v '^$' || true) | sort -u
} > "$unshipped.tmp"
mv "$unshipped.tmp" "$unshipped"
echo "$(printf '%s\n' "$added" | grep -c . || true) added, $(printf '%s\n' "$removed" | grep -c . || true) removed: $unshipped"
