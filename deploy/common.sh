# shellcheck shell=bash
# Helpers shared by deploy/kafka.sh, deploy/postgres.sh, deploy/run.sh and deploy/stop.sh.
# Sourced, never run. Everything here is plain bash plus coreutils, ss (iproute2) and procps.

# Repository root and the data dir (a folder a user may delete to start from scratch).
HL_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HL_DATA_DIR="${HOTLINE_DATA_DIR:-$HL_REPO/deploy/.data}"
mkdir -p "$HL_DATA_DIR"
HL_DATA_DIR="$(cd "$HL_DATA_DIR" && pwd)"   # absolute: the scripts pass it to background JVMs
export HOTLINE_DATA_DIR="$HL_DATA_DIR"

# The local run's broker (deploy/kafka.sh) is a single node: topics get one replica there. The
# services' own default is production's (3 replicas, min.insync.replicas 2; docs/operations.md).
export HOTLINE_KAFKA_REPLICATION_FACTOR="${HOTLINE_KAFKA_REPLICATION_FACTOR:-1}"
export HOTLINE_KAFKA_MIN_INSYNC_REPLICAS="${HOTLINE_KAFKA_MIN_INSYNC_REPLICAS:-1}"

hl_log() { printf '[%s] %s\n' "${HL_NAME:-deploy}" "$*" >&2; }
hl_die() { printf '[%s] ERROR: %s\n' "${HL_NAME:-deploy}" "$*" >&2; exit 1; }

# The Maven command: $MVN if set, else the repo's wrapper, else the system mvn.
hl_mvn() {
  if [[ -n "${MVN:-}" ]]; then
    # shellcheck disable=SC2086  # MVN may carry options, e.g. MVN="mvn -o"
    $MVN "$@"
  elif [[ -x "$HL_REPO/mvnw" ]]; then
    "$HL_REPO/mvnw" "$@"
  else
    command -v mvn >/dev/null || hl_die "no Maven: set MVN, add ./mvnw, or install maven"
    mvn "$@"
  fi
}

hl_require_java() {
  command -v java >/dev/null || hl_die "java is not on PATH (Java 17 or newer is needed)"
  local v
  v="$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1)"
  [[ -n "$v" && "$v" -ge 17 ]] || hl_die "Java 17 or newer is needed; 'java -version' says: $(java -version 2>&1 | head -n1)"
}

# True when something accepts TCP connections on host:port (bash's /dev/tcp, 1 s timeout).
hl_port_open() {
  timeout 1 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null
}

# Prints who listens on a TCP port (any address), e.g. 'python3 (pid 1234)'; empty if nobody.
# Falls back to a connect test on 127.0.0.1 when ss is missing.
hl_port_holder() {
  local port="$1" line procs
  if command -v ss >/dev/null; then
    line="$(ss -Hltnp "sport = :$port" 2>/dev/null | head -n1)"
    [[ -z "$line" ]] && return 0
    # users:(("python3",pid=1234,fd=3)) -> python3 (pid 1234)
    procs="$(grep -o '(("[^"]*",pid=[0-9]*' <<<"$line" | sed 's/(("\([^"]*\)",pid=\([0-9]*\)/\1 (pid \2)/' | head -n1 || true)"
    echo "${procs:-an unknown process (run 'ss -ltnp' as root to see it)}"
  elif hl_port_open 127.0.0.1 "$port"; then
    echo "an unknown process"
  fi
}

# Fails with a clear message when a port we are about to bind is taken.
hl_require_free_port() {
  local port="$1" what="$2" holder
  holder="$(hl_port_holder "$port")"
  [[ -z "$holder" ]] || hl_die "port $port (needed for $what) is already in use by $holder; stop it or choose another port"
}

hl_pid_alive() { [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null; }

# True when pid is alive and its command line contains the given text (guards against pid reuse).
hl_pid_matches() {
  local pid="$1" needle="$2"
  hl_pid_alive "$pid" || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$needle"
}

# SIGTERM, wait up to $2 seconds, then SIGKILL; returns once the process is gone.
hl_stop_pid() {
  local pid="$1" grace="${2:-15}" name="${3:-process}" i
  hl_pid_alive "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < grace * 10; i++)); do
    hl_pid_alive "$pid" || return 0
    sleep 0.1
  done
  hl_log "$name (pid $pid) still running after ${grace}s: SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    hl_pid_alive "$pid" || return 0
    sleep 0.1
  done
  hl_log "$name (pid $pid) did not die after SIGKILL"
  return 1
}

# Reads a pid file; prints the pid, or nothing if the file is missing or empty.
hl_read_pid() {
  if [[ -s "$1" ]]; then tr -dc '0-9' <"$1"; fi
}

# The local run's processes as name=pid lines (the four services, then the broker if its pid file
# is there), from deploy/run.sh's pid files: what the benchmarks measure.
hl_run_pids() {
  local s pid
  for s in intake-service dispatch-service sla-timer-service notification-service; do
    echo "$s=$(hl_read_pid "$HL_DATA_DIR/run/$s.pid")"
  done
  pid="$(hl_read_pid "$HL_DATA_DIR/kafka/kafka.pid")"
  if [[ -n "$pid" ]]; then echo "kafka=$pid"; fi
}

# Resident memory of a process in kB (VmRSS), 0 if gone.
hl_rss_kb() {
  local kb=""
  [[ -r "/proc/$1/status" ]] && kb="$(awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null)"
  echo "${kb:-0}"
}
