# Sourced by the bench scripts: time-stamped progress lines on stderr, the one way to stop with an error, and the
# check that the tools a script drives are installed.

log() { printf '[%(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# require TOOL...: stops with an error naming the first one that is not installed.
require() { local tool; for tool in "$@"; do command -v "$tool" >/dev/null || die "$tool is not installed"; done; }
