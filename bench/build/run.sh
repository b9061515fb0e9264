#!/usr/bin/env bash
# Build benchmark: the same small .NET service image built and pushed by four tools, side by side.
#   1. dockyard build (native, --publish-dir)   2. dotnet publish -t:PublishContainer (SDK)
#   3. docker build + docker push (a private dockerd started here)   4. buildah bud + buildah push (chroot, vfs)
# Two rounds: v1, then v2 after a one-line code change (re-publish, re-build, re-push by every tool).
# Everything runs on 127.0.0.1: a private docker-registry on a random port, a busybox base image built by dockyard.
# Usage: bench/build/run.sh            (env KEEP=1 keeps the work directory for inspection)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=../lib/log.sh
source "$ROOT/bench/lib/log.sh"
WORK=$(mktemp -d /tmp/dockyard-bench-build.XXXXXX)
REGISTRY_PID=""
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
DOCKERD_PID=""

cleanup() {
    local status=$?
    set +e
    declare -F stop_dockerd >/dev/null && stop_dockerd
    if [[ -n "$REGISTRY_PID" ]] && kill -0 "$REGISTRY_PID" 2>/dev/null; then
        kill -TERM "$REGISTRY_PID"; wait "$REGISTRY_PID" 2>/dev/null
    fi
    # dockerd/buildah may leave mounts under the work directory; unmount before deleting.
    grep -o " $WORK[^ ]*" /proc/mounts 2>/dev/null | sort -r | while read -r m; do umount -l "$m"; done
    if [[ "${KEEP:-}" == 1 ]]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

require dotnet docker dockerd buildah skopeo jq curl python3 /usr/bin/docker-registry /bin/busybox
TIME_V=""
[[ -x /usr/bin/time ]] && TIME_V=/usr/bin/time

# MSBuild: no node reuse or build server, so each measured process does its own work and /usr/bin/time sees it.
export MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# shellcheck source=../lib/registry.sh
source "$ROOT/bench/lib/registry.sh"

# ---- dockyard CLI (Release) -------------------------------------------------------------------------------------
DOCKYARD_DLL="$ROOT/artifacts/bin/Dockyard.Cli/release/dockyard.dll"
log "building the dockyard CLI (Release) -> $DOCKYARD_DLL"
dotnet build "$ROOT/src/Dockyard.Cli" -c Release --artifacts-path "$ROOT/artifacts" -v q -nologo >"$WORK/cli-build.log" 2>&1 \
    || { cat "$WORK/cli-build.log" >&2; die "dockyard CLI build failed"; }
dockyard() { dotnet "$DOCKYARD_DLL" "$@"; }
export DOCKYARD_CACHE="$WORK/dockyard-cache"

# ---- registry ---------------------------------------------------------------------------------------------------
start_registry "$WORK/registry"
REG=$REGISTRY_ADDR
wait_http "http://$REG/v2/" || die "docker-registry did not answer on $REG (log: $(cat "$WORK/registry/log"))"
log "registry on $REG"

# ---- private dockerd --------------------------------------------------------------------------------------------
# shellcheck source=../lib/dockerd.sh
source "$ROOT/bench/lib/dockerd.sh"
export DOCKER_BUILDKIT=0
start_private_dockerd "$WORK/dockerd"
log "dockerd ($DOCKER_DRIVER) on $DOCKER_HOST"

# ---- base image: busybox, built by dockyard ---------------------------------------------------------------------
mkdir -p "$WORK/base"
cp /bin/busybox "$WORK/base/busybox"
printf 'FROM scratch\nCOPY busybox /bin/busybox\n' >"$WORK/base/Dockerfile"
dockyard build --push --insecure-registry "$REG" -t "$REG/base:1" "$WORK/base" >"$WORK/base.log" 2>&1 \
    || { cat "$WORK/base.log" >&2; die "base image build failed"; }
log "base image $REG/base:1 pushed"

# ---- sample app -------------------------------------------------------------------------------------------------
APP="$WORK/app"
mkdir -p "$APP"
YAMLDOTNET_VERSION=$(sed -n 's/.*PackageVersion Include="YamlDotNet" Version="\([^"]*\)".*/\1/p' "$ROOT/Directory.Packages.props")
[[ -n "$YAMLDOTNET_VERSION" ]] || die "no YamlDotNet version in Directory.Packages.props"
cat >"$APP/App.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <AssemblyName>App</AssemblyName>
    <InvariantGlobalization>true</InvariantGlobalization>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="YamlDotNet" Version="$YAMLDOTNET_VERSION" />
  </ItemGroup>
</Project>
EOF
# One NuGet dependency, so the dependencies/app split of dockyard's publish layering has something to keep.
write_program() {
    printf 'var yaml = new YamlDotNet.Serialization.SerializerBuilder().Build();\nConsole.Write(yaml.Serialize(new { Message = "%s" }));\n' \
        "$1" >"$APP/Program.cs"
}
cat >"$APP/Dockerfile" <<EOF
FROM $REG/base:1
WORKDIR /app
COPY publish/ .
ENTRYPOINT ["dotnet","App.dll"]
EOF
printf 'bin/\nobj/\n' >"$APP/.dockerignore"
# dockyard's documented publish form: the build stage's RUN dotnet publish -o is replaced by --publish-dir, and the
# COPY --from of its output becomes a NuGet-dependencies layer plus an app layer. Same final filesystem and config.
cat >"$APP/Dockerfile.dockyard" <<EOF
FROM $REG/base:1 AS build
WORKDIR /src
COPY . .
RUN dotnet publish App.csproj -c Release -o /out
FROM $REG/base:1
WORKDIR /app
COPY --from=build /out .
ENTRYPOINT ["dotnet","App.dll"]
EOF

# ---- measurement ------------------------------------------------------------------------------------------------
# measure KEY CMD...: runs CMD with output in $WORK/KEY.log; wall seconds in WALL[KEY], peak RSS (KiB) in RSS[KEY].
declare -A WALL RSS BYTES NEWBYTES LAYERS
measure() {
    local key=$1; shift
    local start end
    start=$(date +%s.%N)
    if [[ -n "$TIME_V" ]]; then
        "$TIME_V" -f '%M' -o "$WORK/$key.rss" "$@" >"$WORK/$key.log" 2>&1 || { tail -30 "$WORK/$key.log" >&2; die "$key failed"; }
        RSS[$key]=$(tail -1 "$WORK/$key.rss")
    else
        "$@" >"$WORK/$key.log" 2>&1 || { tail -30 "$WORK/$key.log" >&2; die "$key failed"; }
    fi
    end=$(date +%s.%N)
    WALL[$key]=$(echo "$end - $start" | bc -l)
    log "$key: $(printf '%.2f' "${WALL[$key]}") s"
}

# Pushed size: manifest + config + layers as stored in the registry (compressed).
manifest() { skopeo inspect --raw --tls-verify=false "docker://$1"; }
image_bytes() {
    manifest "$1" | jq -r '.config.size + ([.layers[].size] | add)'
}
# Bytes of layers in $1 that $2 (the previous round) does not have: what a re-push must upload.
new_layer_bytes() {
    local current previous
    current=$(manifest "$1"); previous=$(manifest "$2")
    jq -n --argjson c "$current" --argjson p "$previous" \
        '[$c.layers[] | select(.digest as $d | [$p.layers[].digest] | index($d) | not) | .size] | add // 0'
}

publish() {
    local round=$1
    rm -rf "$APP/publish"
    measure "publish-$round" dotnet publish "$APP/App.csproj" -c Release -o "$APP/publish" -nologo
}

run_dockyard() {
    local round=$1
    measure "dockyard-$round" dotnet "$DOCKYARD_DLL" build --push --insecure-registry "$REG" --publish-dir "$APP/publish" \
        -f "$APP/Dockerfile.dockyard" -t "$REG/app-dockyard:$round" "$APP"
}
run_sdk() {
    local round=$1
    measure "sdk-$round" env DOTNET_CONTAINER_INSECURE_REGISTRIES="$REG" dotnet publish "$APP/App.csproj" -c Release \
        -t:PublishContainer -nologo -p:ContainerRegistry="$REG" -p:ContainerBaseImage="$REG/base:1" \
        -p:ContainerRepository=app-sdk -p:ContainerImageTag="$round" -p:ContainerRuntimeIdentifier=linux-x64 \
        -p:RuntimeIdentifier=linux-x64 -p:SelfContained=false -o "$WORK/sdk-publish-$round"
}
run_docker() {
    local round=$1
    measure "docker-$round" bash -c 'docker build -q -t "$1" -f "$2/Dockerfile" "$2" && docker push "$1"' \
        _ "$REG/app-docker:$round" "$APP"
}
run_buildah() {
    local round=$1
    local b=(buildah --root "$WORK/buildah/root" --runroot "$WORK/buildah/run" --storage-driver vfs)
    measure "buildah-$round" bash -c '"${@:3}" bud --isolation chroot --tls-verify=false -q -t "$1" -f "$2/Dockerfile" "$2" \
        && "${@:3}" push --tls-verify=false "$1" "docker://$1"' _ "$REG/app-buildah:$round" "$APP" "${b[@]}"
}

TOOLS=(dockyard sdk docker buildah)
for round in v1 v2; do
    if [[ $round == v1 ]]; then write_program "Hello from the Dockyard build benchmark"; else write_program "Hello again (v2)"; fi
    publish "$round"
    for tool in "${TOOLS[@]}"; do
        "run_$tool" "$round"
        BYTES[$tool-$round]=$(image_bytes "$REG/app-$tool:$round")
        LAYERS[$tool-$round]=$(manifest "$REG/app-$tool:$round" | jq '.layers | length')
        if [[ $round == v2 ]]; then NEWBYTES[$tool]=$(new_layer_bytes "$REG/app-$tool:v2" "$REG/app-$tool:v1"); fi
    done
done
DOCKERD_HWM=$(awk '/VmHWM/ {print $2}' "/proc/$DOCKERD_PID/status" 2>/dev/null || echo "")

# ---- report -----------------------------------------------------------------------------------------------------
fmt_s() { printf '%.2f' "$1"; }
fmt_mib() { if [[ -n "${1:-}" ]]; then printf '%.0f' "$(echo "$1 / 1024" | bc -l)"; else printf -- '-'; fi; }
ratio() { printf '%.2f' "$(echo "$1 / $2" | bc -l)"; }
name() { case $1 in dockyard) echo "dockyard build (native)";; sdk) echo "SDK PublishContainer";;
    docker) echo "docker build + push";; buildah) echo "buildah bud + push";; esac; }
{
    echo "Date: $(date -u '+%Y-%m-%d %H:%M UTC'); machine: $(nproc) cores, load average $LOAD_START at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end"
    echo "dotnet publish of the sample: v1 $(fmt_s "${WALL[publish-v1]}") s, v2 $(fmt_s "${WALL[publish-v2]}") s (one publish shared by dockyard, docker and buildah, added in the 'with publish' columns; the SDK publishes itself)"
    echo "docker storage driver: $DOCKER_DRIVER; dockerd peak RSS over the run: $(fmt_mib "$DOCKERD_HWM") MiB"
    echo
    echo "| tool | v1 wall s | ratio | v1 with publish s | ratio | v1 peak RSS MiB | v1 image bytes | v1 layers | v2 wall s | ratio | v2 with publish s | ratio | v2 new layer bytes |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
    for tool in "${TOOLS[@]}"; do
        row="| $(name "$tool")"
        for round in v1 v2; do
            e2e=${WALL[$tool-$round]}
            [[ $tool == sdk ]] || e2e=$(echo "$e2e + ${WALL[publish-$round]}" | bc -l)
            e2e_dockyard=$(echo "${WALL[dockyard-$round]} + ${WALL[publish-$round]}" | bc -l)
            row+=" | $(fmt_s "${WALL[$tool-$round]}") | $(ratio "${WALL[$tool-$round]}" "${WALL[dockyard-$round]}")"
            row+=" | $(fmt_s "$e2e") | $(ratio "$e2e" "$e2e_dockyard")"
            if [[ $round == v1 ]]; then
                row+=" | $(fmt_mib "${RSS[$tool-v1]:-}") | ${BYTES[$tool-v1]} | ${LAYERS[$tool-v1]}"
            else
                row+=" | ${NEWBYTES[$tool]}"
            fi
        done
        echo "$row |"
    done
} | tee "$WORK/table.md"
[[ -n "${RESULT:-}" ]] && cp "$WORK/table.md" "$RESULT"
exit 0
