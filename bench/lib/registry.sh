# Sourced by the bench scripts (bench/build/run.sh, bench/publish-image/run.sh): a private docker-registry on a
# random free loopback port, storage and log under one directory.

# free_port: a TCP port on 127.0.0.1 free right now.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# start_registry DIR: serves DIR/storage on 127.0.0.1:<free port> (log DIR/log); sets REGISTRY_ADDR and REGISTRY_PID.
# The caller's trap stops it (kill -TERM "$REGISTRY_PID").
start_registry() {
    local dir=$1
    REGISTRY_ADDR="127.0.0.1:$(free_port)"
    mkdir -p "$dir/storage"
    cat >"$dir/config.yml" <<YAML
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $dir/storage
  delete:
    enabled: true
http:
  addr: $REGISTRY_ADDR
  secret: $(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
YAML
    /usr/bin/docker-registry serve "$dir/config.yml" >"$dir/log" 2>&1 &
    REGISTRY_PID=$!
}

# wait_http URL: waits up to 10 s for URL to answer 2xx; returns 1 if it never does.
wait_http() {
    for _ in $(seq 1 100); do curl -fsS "$1" >/dev/null 2>&1 && return 0; sleep 0.1; done
    return 1
}
