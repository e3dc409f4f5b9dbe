#!/usr/bin/env bash
# A real single-node Apache Kafka broker (KRaft, combined broker+controller) run from Maven
# Central jars, for local runs on machines without Docker.
#
#   deploy/kafka.sh start|stop|status
#
# Env: KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093), HOTLINE_DATA_DIR (<repo>/deploy/.data),
#      KAFKA_START_TIMEOUT (60 s), MVN (Maven command used to fetch the jars once),
#      KAFKA_JAVA_OPTS (the broker's JVM options; default "-Xmx160m -XX:+UseSerialGC").
# State lives in $HOTLINE_DATA_DIR/kafka (delete it to start from an empty broker).
set -euo pipefail

HL_NAME=kafka
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

KAFKA_HOST=127.0.0.1
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
START_TIMEOUT="${KAFKA_START_TIMEOUT:-60}"
STOP_GRACE=20

LIB="$HL_REPO/deploy/kafka/target/lib"
LOG4J_CONF="$HL_REPO/deploy/kafka/log4j2.xml"
KDIR="$HL_DATA_DIR/kafka"
PROPS="$KDIR/server.properties"
PIDFILE="$KDIR/kafka.pid"
LOGFILE="$KDIR/kafka.log"
CLUSTER_ID_FILE="$KDIR/cluster.id"
LOG_DIRS="$KDIR/data"
BOOTSTRAP="$KAFKA_HOST:$KAFKA_PORT"

# The broker's command line contains the absolute path of our server.properties: that is how we
# recognise "our" broker (and never touch another Kafka on the machine).
running_pid() {
  local pid
  pid="$(hl_read_pid "$PIDFILE")"
  if [[ -n "$pid" ]] && hl_pid_matches "$pid" "kafka.Kafka $PROPS"; then
    echo "$pid"
  else
    # pid file lost or stale: look for a broker started with our server.properties
    pgrep -f -- "kafka.Kafka $PROPS" | head -n1 || true
  fi
}

# Fetch the broker jars once. Copy into a temp dir then rename, so an interrupted copy never
# leaves a half-filled lib/ that would be taken as complete.
ensure_jars() {
  if compgen -G "$LIB/kafka_2.13-*.jar" >/dev/null; then
    return 0
  fi
  hl_log "fetching Kafka broker jars (once) into $LIB"
  rm -rf "$LIB.tmp"
  hl_mvn -B -ntp -q -f "$HL_REPO/deploy/kafka/pom.xml" dependency:copy-dependencies \
    -DoutputDirectory="$LIB.tmp" >&2 || hl_die "could not fetch the Kafka jars (see Maven output above)"
  compgen -G "$LIB.tmp/kafka_2.13-*.jar" >/dev/null || hl_die "Maven ran but put no Kafka jar into $LIB.tmp"
  rm -rf "$LIB"
  mv "$LIB.tmp" "$LIB"
}

write_properties() {
  cat >"$PROPS" <<EOF
# Written by deploy/kafka.sh on every start; edit the script, not this file.
# Single-node KRaft: one process is both broker and controller, with a static voter set.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$KAFKA_HOST:$KAFKA_CONTROLLER_PORT
controller.listener.names=CONTROLLER
listeners=PLAINTEXT://$KAFKA_HOST:$KAFKA_PORT,CONTROLLER://$KAFKA_HOST:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$BOOTSTRAP
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$LOG_DIRS

# The services declare their topics; a typo must not silently create a new one.
auto.create.topics.enable=false
num.partitions=6
default.replication.factor=1

# One node: internal topics cannot have more than one replica.
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
min.insync.replicas=1

# Consumers join at once instead of waiting 3 s for more members.
group.initial.rebalance.delay.ms=0
# The default 128 MiB is allocated at start and does not fit a small heap.
log.cleaner.dedupe.buffer.size=8388608
EOF
}

# Format the storage once; the cluster id is generated once and kept beside the data.
format_storage() {
  if [[ -f "$LOG_DIRS/meta.properties" ]]; then
    return 0
  fi
  if [[ ! -s "$CLUSTER_ID_FILE" ]]; then
    java -cp "$LIB/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n1 | tr -d '[:space:]' >"$CLUSTER_ID_FILE.tmp"
    [[ -s "$CLUSTER_ID_FILE.tmp" ]] || hl_die "could not generate a Kafka cluster id"
    mv "$CLUSTER_ID_FILE.tmp" "$CLUSTER_ID_FILE"
  fi
  hl_log "formatting storage in $LOG_DIRS (cluster id $(cat "$CLUSTER_ID_FILE"))"
  java -Xmx128m -Dlog4j2.configurationFile="$LOG4J_CONF" -cp "$LIB/*" kafka.tools.StorageTool \
    format --ignore-formatted -t "$(cat "$CLUSTER_ID_FILE")" -c "$PROPS" >>"$KDIR/format.log" 2>&1 \
    || { tail -n 20 "$KDIR/format.log" >&2; hl_die "storage format failed (log: $KDIR/format.log)"; }
}

cmd_start() {
  local pid
  pid="$(running_pid)"
  if [[ -n "$pid" ]]; then
    hl_log "already running (pid $pid), bootstrap $BOOTSTRAP"
    echo "$BOOTSTRAP"
    return 0
  fi
  hl_require_java
  hl_require_free_port "$KAFKA_PORT" "the Kafka broker listener, KAFKA_PORT"
  hl_require_free_port "$KAFKA_CONTROLLER_PORT" "the Kafka controller listener, KAFKA_CONTROLLER_PORT"
  ensure_jars
  mkdir -p "$KDIR"
  write_properties
  format_storage

  # Keep the previous run's log for post-mortems; a fresh log makes the readiness check exact.
  if [[ -f "$LOGFILE" ]]; then mv -f "$LOGFILE" "$LOGFILE.prev"; fi
  # setsid: own session, so a terminal's Ctrl-C / hang-up reaches the broker only through
  # 'kafka.sh stop' (run.sh stops the services first, then the broker).
  # shellcheck disable=SC2086  # KAFKA_JAVA_OPTS holds several options
  setsid java ${KAFKA_JAVA_OPTS:--Xmx160m -XX:+UseSerialGC} -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$LOG4J_CONF" \
    -cp "$LIB/*" kafka.Kafka "$PROPS" </dev/null >"$LOGFILE" 2>&1 &
  pid=$!
  echo "$pid" >"$PIDFILE"

  # Ready = process alive, listener accepting connections, and the broker's own
  # "Kafka Server started" line (printed once the broker has caught up with the metadata log).
  local started=$SECONDS deadline=$((SECONDS + START_TIMEOUT))
  while ((SECONDS < deadline)); do
    if ! hl_pid_alive "$pid"; then
      hl_log "broker exited during start-up; last lines of $LOGFILE:"
      tail -n 40 "$LOGFILE" >&2 || true
      rm -f "$PIDFILE"
      hl_die "Kafka did not start"
    fi
    if grep -q "Kafka Server started" "$LOGFILE" 2>/dev/null && hl_port_open "$KAFKA_HOST" "$KAFKA_PORT"; then
      hl_log "ready in $((SECONDS - started))s (pid $pid, log $LOGFILE), bootstrap $BOOTSTRAP"
      echo "$BOOTSTRAP"
      return 0
    fi
    sleep 0.5
  done
  hl_log "not ready after ${START_TIMEOUT}s; last lines of $LOGFILE:"
  tail -n 40 "$LOGFILE" >&2 || true
  hl_stop_pid "$pid" "$STOP_GRACE" "Kafka broker" || true
  rm -f "$PIDFILE"
  hl_die "Kafka did not become ready"
}

cmd_stop() {
  local pid pids
  pid="$(running_pid)"
  if [[ -n "$pid" ]]; then
    hl_log "stopping broker (pid $pid)"
    hl_stop_pid "$pid" "$STOP_GRACE" "Kafka broker" || true
  fi
  # Also catch a broker of ours whose pid file was lost (same server.properties path).
  pids="$(pgrep -f "kafka.Kafka $PROPS" || true)"
  for pid in $pids; do
    hl_log "stopping leftover broker (pid $pid)"
    hl_stop_pid "$pid" "$STOP_GRACE" "Kafka broker" || true
  done
  rm -f "$PIDFILE"
  if pgrep -f "kafka.Kafka $PROPS" >/dev/null; then
    hl_die "a broker using $PROPS is still running: $(pgrep -f "kafka.Kafka $PROPS" | tr '\n' ' ')"
  fi
  hl_log "stopped"
}

cmd_status() {
  local pid
  pid="$(running_pid)"
  if [[ -n "$pid" ]]; then
    echo "kafka: running (pid $pid, bootstrap $BOOTSTRAP, data $KDIR)"
  else
    echo "kafka: stopped"
    return 3   # LSB convention for "not running"
  fi
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
