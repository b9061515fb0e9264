#!/usr/bin/env bash
# Publish-image benchmark: `dotnet publish -p:PublishImage=true` (Dockyard.MSBuild) against the SDK's
# `dotnet publish -t:PublishContainer`, on a self-contained linux-x64 web app (~100 MB of publish output).
# Four scenarios, both tools side by side in each: cold (empty caches, empty repositories), unchanged re-publish,
# one-line code change, one-line change with an empty DOCKYARD_CACHE ("fresh runner").
# Measured: the image step's time (MSBuild -clp:PerformanceSummary: the SDK's container targets vs Dockyard's
# DockyardPublishImage target) and the blob bytes uploaded (a counting proxy in front of the registry, same for both).
# Everything on 127.0.0.1 in one temp directory removed on exit. Usage: bench/publish-image/run.sh
#   env KEEP=1 keeps the work directory, RESULT=FILE copies the table there.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=../lib/log.sh
source "$ROOT/bench/lib/log.sh"
HERE="$ROOT/bench/publish-image"
WORK=$(mktemp -d /tmp/dockyard-bench-publish-image.XXXXXX)
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
REGISTRY_PID=""
PROXY_PID=""
# A version unique to the run: no NuGet cache of an earlier run answers (removed from the global cache on exit).
VERSION="0.1.0-bench.$(date -u +%Y%m%d%H%M%S).$$"
NUGET_ROOT=${NUGET_PACKAGES:-$HOME/.nuget/packages}

cleanup() {
    local status=$?
    set +e
    for pid in "$PROXY_PID" "$REGISTRY_PID"; do
        if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; wait "$pid" 2>/dev/null; fi
    done
    rm -rf "$NUGET_ROOT/dockyard.msbuild/$VERSION"
    if [[ "${KEEP:-}" == 1 ]]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

require dotnet jq curl bc python3 skopeo /usr/bin/docker-registry

# MSBuild: no node reuse or build server, so every publish does its own work in its own processes.
export MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 DOTNET_GENERATE_ASPNET_CERTIFICATE=false

# shellcheck source=../lib/registry.sh
source "$ROOT/bench/lib/registry.sh"

# ---- dockyard CLI (for the base image) and the Dockyard.MSBuild package --------------------------------------------
DOCKYARD_DLL="$ROOT/artifacts/bin/Dockyard.Cli/release/dockyard.dll"
log "building the dockyard CLI (Release) and packing Dockyard.MSBuild $VERSION"
dotnet build "$ROOT/src/Dockyard.Cli" -c Release --artifacts-path "$ROOT/artifacts" -v q -nologo >"$WORK/cli-build.log" 2>&1 \
    || { cat "$WORK/cli-build.log" >&2; die "dockyard CLI build failed"; }
dotnet pack "$ROOT/src/Dockyard.MSBuild" -c Release -o "$WORK/feed" -p:Version="$VERSION" -v q -nologo >"$WORK/pack.log" 2>&1 \
    || { cat "$WORK/pack.log" >&2; die "dotnet pack src/Dockyard.MSBuild failed"; }
dockyard() { dotnet "$DOCKYARD_DLL" "$@"; }

# ---- registry, and the counting proxy both tools push through -----------------------------------------------------
start_registry "$WORK/registry"
UPSTREAM=$REGISTRY_ADDR
PROXY_PORT=$(free_port)
REG="127.0.0.1:$PROXY_PORT"
REQUESTS="$WORK/requests.log"
: >"$REQUESTS"
python3 "$HERE/counting_proxy.py" "$PROXY_PORT" "$UPSTREAM" "$REQUESTS" >"$WORK/proxy.log" 2>&1 &
PROXY_PID=$!
wait_http "http://$REG/v2/" || die "registry/proxy did not answer on $REG (logs: $(cat "$WORK/registry/log" "$WORK/proxy.log"))"
export DOTNET_CONTAINER_INSECURE_REGISTRIES="$REG"
log "registry on $UPSTREAM, counting proxy on $REG"

# ---- base image: runtime-deps:10.0 as dockyard makes it offline from this machine's libraries ---------------------
mkdir -p "$WORK/base"
printf 'FROM mcr.microsoft.com/dotnet/runtime-deps:10.0\n' >"$WORK/base/Dockerfile"
# The set-up has its own cache: the measured runs start with an empty one.
DOCKYARD_CACHE="$WORK/setup-cache" dockyard build -t bench-runtime-deps:1 "$WORK/base" >"$WORK/base.log" 2>&1 \
    || { cat "$WORK/base.log" >&2; die "base image build failed"; }
DOCKYARD_CACHE="$WORK/setup-cache" dockyard image copy -q local:bench-runtime-deps:1 "$REG/base:1" >>"$WORK/base.log" 2>&1 \
    || { cat "$WORK/base.log" >&2; die "base image push failed"; }
BASE_BYTES=$(skopeo inspect --raw --tls-verify=false "docker://$REG/base:1" | jq '.config.size + ([.layers[].size] | add)')
log "base image $REG/base:1 pushed ($BASE_BYTES bytes)"

# ---- the web app ----------------------------------------------------------------------------------------------------
APP="$WORK/app"
dotnet new web -n WebApp -o "$APP" --framework net10.0 --no-restore >"$WORK/new.log" 2>&1 || { cat "$WORK/new.log" >&2; die "dotnet new web failed"; }
cat >"$APP/NuGet.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="dockyard-bench-feed" value="$WORK/feed" />
  </packageSources>
</configuration>
XML
sed -i "s|</Project>|  <ItemGroup>\n    <PackageReference Include=\"Dockyard.MSBuild\" Version=\"$VERSION\" PrivateAssets=\"all\" />\n  </ItemGroup>\n</Project>|" "$APP/WebApp.csproj"
write_program() {
    cat >"$APP/Program.cs" <<CS
var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();

app.MapGet("/", () => "$1");

app.Run();
CS
}
write_program "Hello from the publish-image benchmark"
PUBLISH_ARGS=(-c Release -r linux-x64 --self-contained -nologo -clp:PerformanceSummary -p:ContainerRegistry="$REG"
    -p:ContainerBaseImage="$REG/base:1")
# Restore (the linux-x64 runtime packs come from nuget.org or the NuGet cache) and a first build: set-up, not measured.
dotnet restore "$APP/WebApp.csproj" -r linux-x64 -nologo >"$WORK/restore.log" 2>&1 || { cat "$WORK/restore.log" >&2; die "restore failed"; }
dotnet build "$APP/WebApp.csproj" -c Release -r linux-x64 --self-contained --no-restore -nologo >"$WORK/first-build.log" 2>&1 \
    || { tail -30 "$WORK/first-build.log" >&2; die "first build failed"; }

# ---- measurement ----------------------------------------------------------------------------------------------------
SDK_VERSION=$(cd "$APP" && dotnet --version)
SDK_DIR=$(cd "$APP" && dotnet --list-sdks | awk -v v="$SDK_VERSION" '$1 == v { sub(/^\[/, "", $2); sub(/\]$/, "", $2); print $2 "/" v }')
CONTAINER_TARGETS_FILE="$SDK_DIR/Containers/build/Microsoft.NET.Build.Containers.targets"
[[ -f "$CONTAINER_TARGETS_FILE" ]] || die "the SDK's Microsoft.NET.Build.Containers.targets was not found"
# The image step's targets: every target of the SDK's container targets file, plus Dockyard's DockyardPublishImage and
# the targets it depends on (_DockyardPublishImageState, _DockyardPublishImageCore holding the task,
# _DockyardPublishImageFromStamp; read from Dockyard's targets file: a dependency's time is not in its dependent's),
# except the two PublishContainer runs through CallTarget (_PublishSingleContainer, _PublishMultiArchContainers):
# MSBuild counts a CallTarget's target in the caller's time as well, so summing them would count the image twice.
DOCKYARD_TARGETS_FILE="$ROOT/src/Dockyard.MSBuild/build/Dockyard.MSBuild.targets"
IMAGE_TARGETS=$( (grep -o '<Target Name="[^"]*"' "$CONTAINER_TARGETS_FILE" | sed 's/.*Name="\([^"]*\)"/\1/'
                  grep -o '<Target Name="[^"]*DockyardPublishImage[^"]*"' "$DOCKYARD_TARGETS_FILE" | sed 's/.*Name="\([^"]*\)"/\1/') \
    | grep -vx -e _PublishSingleContainer -e _PublishMultiArchContainers | sort -u | paste -sd'|')
grep -q 'CallTarget[^>]*Targets="_PublishSingleContainer"' "$CONTAINER_TARGETS_FILE" \
    || die "the SDK's PublishContainer no longer calls _PublishSingleContainer through CallTarget: check the image-step target set"

declare -A WALL STEP BLOBS MANIFESTS REPORTED
# image_step_ms LOG: the sum of the image-step targets' times in MSBuild's Target Performance Summary of LOG.
image_step_ms() {
    awk -v targets="$IMAGE_TARGETS" '
        BEGIN { n = split(targets, t, "|"); for (i = 1; i <= n; i++) want[t[i]] = 1 }
        /Target Performance Summary:/ { on = 1; next }
        /Task Performance Summary:/ { on = 0 }
        on && $2 == "ms" && ($3 in want) { sum += $1 }
        END { printf "%d", sum }' "$1"
}
# measure KEY CMD...: runs CMD; wall time, image-step time and the bytes the proxy saw while it ran.
measure() {
    local key=$1; shift
    local before start end
    before=$(wc -l <"$REQUESTS")
    start=$(date +%s.%N)
    "$@" >"$WORK/$key.log" 2>&1 || { tail -40 "$WORK/$key.log" >&2; die "$key failed (log: $WORK/$key.log)"; }
    end=$(date +%s.%N)
    WALL[$key]=$(echo "$end - $start" | bc -l)
    STEP[$key]=$(image_step_ms "$WORK/$key.log")
    tail -n +"$((before + 1))" "$REQUESTS" >"$WORK/$key.requests"
    grep -q ' ERROR ' "$WORK/$key.requests" && die "the proxy failed a request during $key: $(grep ' ERROR ' "$WORK/$key.requests" | head -3)"
    # Blob uploads: the bodies of POST/PATCH/PUT .../blobs/uploads/... (layers and config). Manifests counted apart.
    BLOBS[$key]=$(awk '$2 ~ /\/blobs\/uploads\// && $1 != "GET" && $1 != "HEAD" { s += $4 } END { printf "%d", s }' "$WORK/$key.requests")
    MANIFESTS[$key]=$(awk '$1 == "PUT" && $2 ~ /\/manifests\// { s += $4 } END { printf "%d", s }' "$WORK/$key.requests")
    REPORTED[$key]=$(sed -n 's/.*(\([0-9]*\) bytes uploaded).*/\1/p' "$WORK/$key.log" | tail -1)
    log "$key: image step $((STEP[$key])) ms, blobs uploaded ${BLOBS[$key]} B, publish wall $(printf '%.1f' "${WALL[$key]}") s"
}
run_dockyard() {
    measure "dockyard-$1" env DOCKYARD_CACHE="$WORK/dockyard-cache" dotnet publish "$APP/WebApp.csproj" "${PUBLISH_ARGS[@]}" \
        -p:PublishImage=true -p:ContainerRepository=app-dockyard -p:ContainerImageTag="$1" -p:DockyardCacheRepository="$REG/app-dockyard-cache"
}
run_sdk() {
    measure "sdk-$1" dotnet publish "$APP/WebApp.csproj" "${PUBLISH_ARGS[@]}" -t:PublishContainer \
        -p:ContainerRepository=app-sdk -p:ContainerImageTag="$1"
}

SCENARIOS=(cold unchanged change fresh)
for scenario in "${SCENARIOS[@]}"; do
    case $scenario in
        cold) rm -rf "$WORK/dockyard-cache" ;;
        unchanged) ;;
        change) write_program "Hello from the publish-image benchmark, changed" ;;
        fresh) write_program "Hello from the publish-image benchmark, changed again"; rm -rf "$WORK/dockyard-cache" ;;
    esac
    run_dockyard "$scenario"
    run_sdk "$scenario"
done
PUBLISH_MB=$(du -sm "$APP/bin/Release/net10.0/linux-x64/publish" | cut -f1)
PUBLISH_FILES=$(find "$APP/bin/Release/net10.0/linux-x64/publish" -type f | wc -l)
manifest() { skopeo inspect --raw --tls-verify=false "docker://$1"; }
image_bytes() { manifest "$1" | jq '.config.size + ([.layers[].size] | add)'; }
layers() { manifest "$1" | jq '[.layers[].size] | map(tostring) | join(" + ")' -r; }

# ---- report ---------------------------------------------------------------------------------------------------------
fmt_s() { printf '%.2f' "$(echo "$1 / 1000" | bc -l)"; }
pct() { if [[ "$2" == 0 ]]; then [[ "$1" == 0 ]] && echo "0 %" || echo "n/a"; else printf '%.1f %%' "$(echo "100 * $1 / $2" | bc -l)"; fi; }
verdict() { if [[ "$1" == 1 ]]; then echo "met"; else echo "**missed**"; fi; }
le() { [[ $(echo "$1 <= $2" | bc -l) == 1 ]] && echo 1 || echo 0; }
{
    echo "Date: $(date -u '+%Y-%m-%d %H:%M UTC'); machine: $(nproc) cores, load average $LOAD_START at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end"
    echo "SDK $(dotnet --version); Dockyard.MSBuild $VERSION; publish output $PUBLISH_MB MiB in $PUBLISH_FILES files (self-contained linux-x64 web app)"
    echo "base $REG/base:1 (runtime-deps:10.0 made by dockyard from this machine's libraries): $BASE_BYTES bytes"
    echo "image step = MSBuild Target Performance Summary: DockyardPublishImage (its TaskHostFactory host start included) vs the targets of the SDK's Microsoft.NET.Build.Containers.targets (PublishContainer includes its CallTarget of _PublishSingleContainer)"
    echo "uploaded = request-body bytes of blob uploads (POST/PATCH/PUT /v2/.../blobs/uploads/) counted by a proxy in front of the registry; manifests apart"
    echo
    echo "| scenario | Dockyard image step s | SDK image step s | time ratio | Dockyard uploaded B | SDK uploaded B | bytes ratio | manifests B (Dockyard / SDK) | Dockyard's own figure B | publish wall s (Dockyard / SDK) |"
    echo "|---|---|---|---|---|---|---|---|---|---|"
    for s in "${SCENARIOS[@]}"; do
        d=dockyard-$s; k=sdk-$s
        echo "| $s | $(fmt_s "${STEP[$d]}") | $(fmt_s "${STEP[$k]}") | $(pct "${STEP[$d]}" "${STEP[$k]}") | ${BLOBS[$d]} | ${BLOBS[$k]} | $(pct "${BLOBS[$d]}" "${BLOBS[$k]}") | ${MANIFESTS[$d]} / ${MANIFESTS[$k]} | ${REPORTED[$d]:--} | $(printf '%.1f / %.1f' "${WALL[$d]}" "${WALL[$k]}") |"
    done
    echo
    echo "| target | figure | result |"
    echo "|---|---|---|"
    echo "| one-line change: time ≤ 10 % of the SDK's | $(pct "${STEP[dockyard-change]}" "${STEP[sdk-change]}") | $(verdict "$(le "${STEP[dockyard-change]}" "0.10 * ${STEP[sdk-change]}")") |"
    echo "| one-line change: bytes ≤ 1 % of the SDK's | $(pct "${BLOBS[dockyard-change]}" "${BLOBS[sdk-change]}") | $(verdict "$(le "${BLOBS[dockyard-change]}" "0.01 * ${BLOBS[sdk-change]}")") |"
    echo "| unchanged: 0 bytes | ${BLOBS[dockyard-unchanged]} B | $(verdict "$(le "${BLOBS[dockyard-unchanged]}" 0)") |"
    echo "| cold: no slower than the SDK | $(pct "${STEP[dockyard-cold]}" "${STEP[sdk-cold]}") | $(verdict "$(le "${STEP[dockyard-cold]}" "${STEP[sdk-cold]}")") |"
    echo "| fresh runner, one-line change: time ≤ 25 % of the SDK's | $(pct "${STEP[dockyard-fresh]}" "${STEP[sdk-fresh]}") | $(verdict "$(le "${STEP[dockyard-fresh]}" "0.25 * ${STEP[sdk-fresh]}")") |"
    echo
    echo "layers of the pushed images (compressed bytes, lowest first):"
    for s in "${SCENARIOS[@]}"; do
        echo "- $s: Dockyard $(layers "$REG/app-dockyard:$s") (total $(image_bytes "$REG/app-dockyard:$s")); SDK $(layers "$REG/app-sdk:$s") (total $(image_bytes "$REG/app-sdk:$s"))"
    done
} | tee "$WORK/table.md"
[[ -n "${RESULT:-}" ]] && cp "$WORK/table.md" "$RESULT"
exit 0
