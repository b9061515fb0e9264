#!/usr/bin/env bash
# Fuzzes Dockyard's parsers with afl++ (tests/Dockyard.Fuzz, docs/security.md "Fuzzing").
#   build/fuzz.sh [SECONDS]     each target under afl-fuzz for SECONDS (default 10), starting from its corpus; exits 1
#                               and prints the crashing inputs' paths when afl found a crash
#   build/fuzz.sh --replay      every corpus file and every crash found earlier, in-process without afl; exits 1 on a crash
# FUZZ_TARGETS="yaml tar" limits the targets; findings go to artifacts/fuzz/findings/<target>/ (FUZZ_OUT moves them).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

project="tests/Dockyard.Fuzz"
corpus="$here/$project/corpus"
out="${FUZZ_OUT:-$here/artifacts/fuzz}"
findings="$out/findings"
bin="$out/bin"

seconds="${1:-10}"
if [ "$seconds" != "--replay" ]; then
  case "$seconds" in ''|*[!0-9]*) echo "fuzz.sh: SECONDS must be a whole number, not '$seconds' (usage: build/fuzz.sh [SECONDS] | --replay)" >&2; exit 2;; esac
fi

dotnet build "$project" -c Release --nologo -v q >/dev/null
built="$here/$project/bin/Release/net10.0"
if [ "$seconds" = "--replay" ]; then
  exec dotnet "$built/Dockyard.Fuzz.dll" replay "$corpus" "$findings"
fi

if ! command -v afl-fuzz >/dev/null; then
  echo "fuzz.sh: installing afl++"
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends afl++ >/dev/null
fi

# A private copy of the build whose Dockyard.Core.dll carries afl's coverage instrumentation (sharpfuzz rewrites it in place).
dotnet tool restore >/dev/null
rm -rf "$bin"; mkdir -p "$out"; cp -r "$built" "$bin"
dotnet tool run sharpfuzz "$bin/Dockyard.Core.dll"

# dotnet is not an afl-instrumented binary (SharpFuzz speaks afl's fork-server protocol itself); no CPU frequency
# tuning or core dumps on a shared machine; plain log lines instead of the screen UI.
export AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1
export DOTNET_CLI_TELEMETRY_OPTOUT=1
# afl ends a target with SIGKILL, so the targets' scratch directories stay behind: keep them under $out.
export TMPDIR="$out/tmp"
rm -rf "$TMPDIR"; mkdir -p "$TMPDIR"
read -r -a targets <<<"${FUZZ_TARGETS:-$(dotnet "$bin/Dockyard.Fuzz.dll" list | tr '\n' ' ')}"
status=0
for target in "${targets[@]}"; do
  [ -d "$corpus/$target" ] || { echo "fuzz.sh: no corpus for target '$target' ($corpus/$target)" >&2; exit 2; }
  rm -rf "${findings:?}/$target"; mkdir -p "$findings/$target"
  log="$findings/$target/afl.log"
  # -V: the fixed budget; -t: a generous per-input bound in ms (a hang, not a timing); -m none: .NET reserves much address space.
  if ! afl-fuzz -i "$corpus/$target" -o "$findings/$target" -V "$seconds" -t 10000 -m none -- dotnet "$bin/Dockyard.Fuzz.dll" "$target" >"$log" 2>&1; then
    echo "fuzz.sh: afl-fuzz did not run target $target; its log ($log) ends with:" >&2
    tail -n 20 "$log" >&2
    exit 2
  fi
  execs=$(sed -n 's/^execs_done *: *//p' "$findings/$target/default/fuzzer_stats" 2>/dev/null || echo "?")
  crashes=$(find "$findings/$target" -path '*/crashes/id:*' -type f | sort)
  hangs=$(find "$findings/$target" -path '*/hangs/id:*' -type f | wc -l)
  if [ -n "$crashes" ]; then
    status=1
    echo "fuzz.sh: $target: afl found $(wc -l <<<"$crashes") crashing inputs in $execs runs:"
    sed 's/^/  /' <<<"$crashes"
  else
    note=""; [ "$hangs" -gt 0 ] && note=" ($hangs inputs ran past 10 s: build/fuzz.sh --replay checks them against a 30 s bound)"
    echo "fuzz.sh: $target: no crash in $execs runs of $seconds s$note"
  fi
done
if [ "$status" -ne 0 ]; then
  echo "fuzz.sh: see why with: build/fuzz.sh --replay (add a fixed input to $project/corpus/<target>/ and a unit test)" >&2
fi
exit "$status"
