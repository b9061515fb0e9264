# Sourced by the bench scripts: a private dockerd (--bridge=none --iptables=false, own data root, exec root and
# socket under DOCKER_DIR), overlay2 when the kernel allows it, else vfs. The caller's trap calls stop_dockerd.

# start_private_dockerd DIR: sets DOCKER_HOST, DOCKER_CONFIG, DOCKERD_PID and DOCKER_DRIVER, or dies.
start_private_dockerd() {
    DOCKER_DIR=$1
    mkdir -p "$DOCKER_DIR/client-config"
    echo '{}' >"$DOCKER_DIR/client-config/config.json"  # buildah reads DOCKER_CONFIG too and wants the file
    export DOCKER_HOST="unix://$DOCKER_DIR/docker.sock" DOCKER_CONFIG="$DOCKER_DIR/client-config"
    DOCKER_DRIVER=""
    local driver
    for driver in overlay2 vfs; do
        dockerd --bridge=none --iptables=false --ip6tables=false --storage-driver "$driver" \
            --data-root "$DOCKER_DIR/data" --exec-root "$DOCKER_DIR/exec" --pidfile "$DOCKER_DIR/dockerd.pid" \
            -H "$DOCKER_HOST" >"$DOCKER_DIR/log.$driver" 2>&1 &
        DOCKERD_PID=$!
        for _ in $(seq 1 300); do
            kill -0 "$DOCKERD_PID" 2>/dev/null || break
            if [[ "$(docker info --format '{{.Driver}}' 2>/dev/null)" == "$driver" ]]; then DOCKER_DRIVER=$driver; return 0; fi
            sleep 0.2
        done
        stop_dockerd
        rm -rf "$DOCKER_DIR/data"
    done
    die "dockerd did not start (logs in $DOCKER_DIR)"
}

# stop_dockerd: TERM, then KILL after 30 s.
stop_dockerd() {
    [[ -n "${DOCKERD_PID:-}" ]] || return 0
    if kill -0 "$DOCKERD_PID" 2>/dev/null; then
        kill -TERM "$DOCKERD_PID"
        for _ in $(seq 1 150); do kill -0 "$DOCKERD_PID" 2>/dev/null || break; sleep 0.2; done
        kill -0 "$DOCKERD_PID" 2>/dev/null && kill -KILL "$DOCKERD_PID"
    fi
    wait "$DOCKERD_PID" 2>/dev/null || true
    DOCKERD_PID=""
}
