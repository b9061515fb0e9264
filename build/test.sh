#!/usr/bin/env bash
# Runs every Dockyard test on a fresh Debian machine with the .NET SDK.
# Installs the real components the tests use when they are missing, runs the whole suite, then fuzzes each parser
# for a short fixed budget (build/fuzz.sh, counted as one more check), prints "N passed, N failed" and exits
# non-zero when anything failed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

# Debian packages the integration tests drive (real components, never stand-ins).
packages=(docker-registry skopeo buildah docker.io busybox-static apache2-utils openssl git umoci zstd)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "test.sh: installing ${missing[*]}"
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

results="$here/artifacts/test-results"
rm -rf "$results"; mkdir -p "$results"
# the Cake tool (cake.tool 7.0.0 in .config/dotnet-tools.json): the addin compiles against its assemblies
dotnet tool restore >/dev/null
status=0
dotnet test Extensions.sln -c Release --nologo --logger "trx" --results-directory "$results" "$@" || status=$?

passed=0; failed=0
for f in "$results"/*.trx; do
  [ -f "$f" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$f" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f2=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f2:-0}))
done

# A short fixed fuzzing budget per parser (afl++ over tests/Dockyard.Fuzz; docs/security.md "Fuzzing" for long runs):
# one more check, failed when afl finds a crash. FUZZ_SECONDS=0 leaves it out.
fuzz_seconds="${FUZZ_SECONDS:-10}"
if [ "$fuzz_seconds" -gt 0 ]; then
  if "$here/build/fuzz.sh" "$fuzz_seconds"; then passed=$((passed + 1)); else failed=$((failed + 1)); status=1; fi
fi
echo "${passed} passed, ${failed} failed"
if [ "$passed" -eq 0 ] && [ "$status" -eq 0 ]; then echo "test.sh: no test ran" >&2; status=1; fi
exit "$status"
