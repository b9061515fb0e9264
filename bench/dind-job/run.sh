#!/usr/bin/env bash
# Docker-in-Docker job benchmark: GitLab's documented dind job (docker build, docker push), unchanged, run by
# `dockyard ci run` (shell executor, no daemon: Dockyard carries out the docker lines), against the same
# `docker build` + `docker push` on a private dockerd. Same Dockerfile (a busybox base, a ~64 MiB dependencies
# directory, a small app file), same registry, a counting proxy in front of it.
# Rounds: cold (empty Dockyard cache, empty dockerd), then after a one-line change of the app file.
# Measured: wall time (Dockyard: the whole job run; docker: build + push only) and the blob bytes each uploaded.
# Usage: bench/dind-job/run.sh      (env KEEP=1 keeps the work directory, RESULT=FILE copies the table there)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=../lib/log.sh
source "$ROOT/bench/lib/log.sh"
WORK=$(mktemp -d /tmp/dockyard-bench-dind-job.XXXXXX)
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
REGISTRY_PID=""
PROXY_PID=""

cleanup() {
    local status=$?
    set +e
    declare -F stop_dockerd >/dev/null && stop_dockerd
    for pid in "$PROXY_PID" "$REGISTRY_PID"; do
        if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; wait "$pid" 2>/dev/null; fi
    done
    grep -o " $WORK[^ ]*" /proc/mounts 2>/dev/null | sort -r | while read -r m; do umount -l "$m"; done
    if [[ "${KEEP:-}" == 1 ]]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

require dotnet docker dockerd git jq bc curl python3 skopeo numfmt /usr/bin/docker-registry /bin/busybox
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# shellcheck source=../lib/registry.sh
source "$ROOT/bench/lib/registry.sh"
# shellcheck source=../lib/dockerd.sh
source "$ROOT/bench/lib/dockerd.sh"

DOCKYARD_DLL="$ROOT/artifacts/bin/Dockyard.Cli/release/dockyard.dll"
log "building the dockyard CLI (Release)"
dotnet build "$ROOT/src/Dockyard.Cli" -c Release --artifacts-path "$ROOT/artifacts" -v q -nologo >"$WORK/cli-build.log" 2>&1 \
    || { cat "$WORK/cli-build.log" >&2; die "dockyard CLI build failed"; }

# ---- registry behind the counting proxy -------------------------------------------------------------------------
start_registry "$WORK/registry"
UPSTREAM=$REGISTRY_ADDR
wait_http "http://$UPSTREAM/v2/" || die "docker-registry did not answer on $UPSTREAM"
PROXY_PORT=$(free_port)
REG="127.0.0.1:$PROXY_PORT"
REQUESTS="$WORK/requests.log"
: >"$REQUESTS"
python3 "$ROOT/bench/publish-image/counting_proxy.py" "$PROXY_PORT" "$UPSTREAM" "$REQUESTS" &
PROXY_PID=$!
wait_http "http://$REG/v2/" || die "the counting proxy did not answer on $REG"
log "registry $UPSTREAM behind the counting proxy $REG"
# uploaded_since N: blob bytes (PATCH/PUT bodies to /blobs/uploads/) in the proxy's log after its first N lines.
uploaded_since() { tail -n +"$(($1 + 1))" "$REQUESTS" | awk '$2 ~ /\/blobs\/uploads\// && ($1 == "PATCH" || $1 == "PUT") {s += $4} END {print s + 0}'; }
log_lines() { wc -l <"$REQUESTS"; }

# ---- base image and project -------------------------------------------------------------------------------------
mkdir -p "$WORK/base"
cp /bin/busybox "$WORK/base/busybox"
printf 'FROM scratch\nCOPY busybox /bin/busybox\n' >"$WORK/base/Dockerfile"
DOCKYARD_CACHE="$WORK/base-cache" dotnet "$DOCKYARD_DLL" build --push -t "$REG/base:1" "$WORK/base" >"$WORK/base.log" 2>&1 \
    || { cat "$WORK/base.log" >&2; die "base image build failed"; }

PROJECT="$WORK/project"
mkdir -p "$PROJECT/deps"
# ~64 MiB of dependencies that compress about as well as .NET assemblies do (random bytes, hex-encoded).
for i in $(seq 1 16); do head -c 2M /dev/urandom | od -An -tx1 | tr -d ' \n' >"$PROJECT/deps/lib$i.bin"; done
echo "app version 1" >"$PROJECT/app.txt"
printf 'FROM %s/base:1\nCOPY deps/ /opt/deps/\nCOPY app.txt /opt/app/app.txt\nCMD ["/bin/busybox", "cat", "/opt/app/app.txt"]\n' \
    "$REG" >"$PROJECT/Dockerfile"
# GitLab's documented Docker-in-Docker job without TLS (the login is left out: the bench registry is anonymous).
printf '%s\n' \
    'build:' \
    '  image: docker:24.0.5-cli' \
    '  services:' \
    '    - docker:24.0.5-dind' \
    '  variables:' \
    '    DOCKER_HOST: tcp://docker:2375' \
    '    DOCKER_TLS_CERTDIR: ""' \
    '  script:' \
    '    - docker build -t $CI_REGISTRY_IMAGE:$IMAGE_TAG .' \
    '    - docker push $CI_REGISTRY_IMAGE:$IMAGE_TAG' >"$PROJECT/.gitlab-ci.yml"
git -C "$PROJECT" init -q -b main
git -C "$PROJECT" add -A
export DOCKYARD_CACHE="$WORK/dockyard-cache"

start_private_dockerd "$WORK/dockerd"
log "dockerd ($DOCKER_DRIVER) on $DOCKER_HOST"

declare -A WALL UPLOADED
# measure KEY CMD...: wall seconds in WALL[KEY], blob bytes uploaded through the proxy in UPLOADED[KEY].
measure() {
    local key=$1; shift
    local before start end
    before=$(log_lines)
    start=$(date +%s.%N)
    "$@" >"$WORK/$key.log" 2>&1 || { tail -30 "$WORK/$key.log" >&2; die "$key failed"; }
    end=$(date +%s.%N)
    WALL[$key]=$(echo "$end - $start" | bc -l)
    UPLOADED[$key]=$(uploaded_since "$before")
    log "$key: $(printf '%.2f' "${WALL[$key]}") s, $(numfmt --to=iec "${UPLOADED[$key]}")B uploaded"
}
run_dockyard() {
    # The job's DOCKER_HOST is the dind service, where no daemon answers: Dockyard carries out the docker lines.
    measure "dockyard-$1" env -u DOCKER_HOST dotnet "$DOCKYARD_DLL" ci run build --cwd "$PROJECT" --executor shell \
        --variable "CI_REGISTRY=$REG" --variable "CI_REGISTRY_IMAGE=$REG/dockyard" --variable "IMAGE_TAG=$1"
}
run_docker() {
    measure "docker-$1" bash -c 'docker build -q -t "$1" "$2" && docker push "$1"' _ "$REG/docker:$1" "$PROJECT"
}

for round in cold change; do
    if [[ $round == change ]]; then echo "app version 2" >"$PROJECT/app.txt"; git -C "$PROJECT" add -A; fi
    run_dockyard "$round"
    run_docker "$round"
done
LAYERS_DOCKYARD=$(skopeo inspect --tls-verify=false "docker://$REG/dockyard:change" | jq '.Layers | length')
LAYERS_DOCKER=$(skopeo inspect --tls-verify=false "docker://$REG/docker:change" | jq '.Layers | length')

fmt_s() { printf '%.2f' "$1"; }
ratio() { if [[ "$2" == 0 ]]; then printf -- '-'; else printf '%.2f' "$(echo "$1 / $2" | bc -l)"; fi; }
{
    echo "Date: $(date -u '+%Y-%m-%d %H:%M UTC'); machine: $(nproc) cores, load average $LOAD_START at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end; docker storage driver $DOCKER_DRIVER"
    echo "Dockyard: the whole 'dockyard ci run build' (pipeline load, working copy, job log, build, push). docker: 'docker build -q' + 'docker push' only."
    echo
    echo "| round | dockyard ci run s | docker build+push s | docker / dockyard | dockyard uploaded B | docker uploaded B | docker / dockyard |"
    echo "|---|---|---|---|---|---|---|"
    for round in cold change; do
        echo "| $round | $(fmt_s "${WALL[dockyard-$round]}") | $(fmt_s "${WALL[docker-$round]}") | $(ratio "${WALL[docker-$round]}" "${WALL[dockyard-$round]}") | ${UPLOADED[dockyard-$round]} | ${UPLOADED[docker-$round]} | $(ratio "${UPLOADED[docker-$round]}" "${UPLOADED[dockyard-$round]}") |"
    done
    echo
    echo "layers of the pushed image: dockyard $LAYERS_DOCKYARD, docker $LAYERS_DOCKER"
} | tee "$WORK/table.md"
[[ -n "${RESULT:-}" ]] && cp "$WORK/table.md" "$RESULT"
exit 0
