#!/usr/bin/env bash
# Local run of hotline dispatch without Docker: builds the services, starts Kafka (deploy/kafka.sh),
# PostgreSQL if none answers (deploy/postgres.sh), the four services, waits until they are
# ready, prints where everything is, then stays in the foreground until Ctrl-C, which stops
# everything it started. With DETACH=1 it leaves them running and exits; deploy/stop.sh stops them.
#
# Env: SKIP_BUILD=1 (use the jars already built), DETACH=1, HOTLINE_DATA_DIR (<repo>/deploy/.data),
#      KAFKA_PORT (9092), DB_HOST (127.0.0.1), DB_PORT (5432), DB_NAME (hotline),
#      DB_USER (postgres), DB_PASSWORD (empty), READY_TIMEOUT (90 s), MVN (Maven command),
#      MP_JWT_VERIFY_PUBLICKEY_LOCATION (the development key deploy/dev-jwt/public.pem; tokens
#      for the demo users come from deploy/token.sh), MP_JWT_VERIFY_ISSUER,
#      HOTLINE_ACK_TOKEN_SECRET (one-tap link secret; default: a random one kept in the data dir),
#      HOTLINE_KAFKA_REPLICATION_FACTOR, HOTLINE_KAFKA_MIN_INSYNC_REPLICAS (1 and 1 here: one broker;
#      common.sh), HOTLINE_JAVA_OPTS (more JVM options for the four services, e.g. a JFR recording),
#      HOTLINE_APPCDS (1: use each service's AppCDS archive, recorded by one training start of the
#      service when missing or made for other jars; 0: none),
#      START_ONE_BY_ONE (1: start a service only when the one before is ready; 0: all at once;
#      default: one by one on a machine with fewer cores than services, else all at once),
#      MALLOC_ARENA_MAX (the services' glibc malloc arenas; 2 here: fewer arenas, less RSS),
#      NOTIFICATION_WEBHOOK_SECRET (webhook signing secret; default: a random one kept in the data dir),
#      UI_DEV_LOGIN_ENABLED (true: the screens' demo user list, refused unless the services verify
#      with the development key; docs/ui.md).
set -euo pipefail

HL_NAME=run
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

KAFKA_PORT="${KAFKA_PORT:-9092}"
export KAFKA_PORT
KAFKA_BOOTSTRAP="127.0.0.1:$KAFKA_PORT"
export DB_HOST="${DB_HOST:-127.0.0.1}"
export DB_PORT="${DB_PORT:-5432}"
export DB_NAME="${DB_NAME:-hotline}"
export DB_USER="${DB_USER:-postgres}"
export DB_PASSWORD="${DB_PASSWORD:-}"
READY_TIMEOUT="${READY_TIMEOUT:-90}"
DETACH="${DETACH:-}"

# service:port, in start order (the order does not matter for correctness: each retries).
SERVICES=(intake-service:8101 dispatch-service:8102 sla-timer-service:8103 notification-service:8104)
# The services' JVM options, shared with the intake benchmark: deploy/service-jvm.options (why each).
JVM_BASE_OPTS=()
while read -r o; do
  [[ -z "$o" || "$o" == \#* ]] || JVM_BASE_OPTS+=("$o")
done <"$HL_REPO/deploy/service-jvm.options"

RUN_DIR="$HL_DATA_DIR/run"
LOG_DIR="$HL_DATA_DIR/logs"
mkdir -p "$RUN_DIR" "$LOG_DIR"

svc_name() { echo "${1%%:*}"; }
svc_port() { echo "${1##*:}"; }
svc_jar() { echo "$HL_REPO/$(svc_name "$1")/target/quarkus-app/quarkus-run.jar"; }
# A service's own JVM options, one per line, added after the shared ones:
# deploy/service-jvm.<service>.options when there is one (why each is in the file).
svc_jvm_opts() {
  local f="$HL_REPO/deploy/service-jvm.$1.options" o
  [[ -f "$f" ]] || return 0
  while read -r o; do [[ -z "$o" || "$o" == \#* ]] || echo "$o"; done <"$f"
}

# HTTP status code of a GET (000 when nothing answers). curl if present, else bash's /dev/tcp.
http_status() {
  local url="$1"
  if command -v curl >/dev/null; then
    curl -s -o /dev/null -m 2 -w '%{http_code}' "$url" || true
  else
    local hostport="${url#http://}" path
    path="/${hostport#*/}"
    hostport="${hostport%%/*}"
    timeout 3 bash -c "exec 3<>/dev/tcp/${hostport%%:*}/${hostport##*:}
      printf 'GET %s HTTP/1.0\r\nHost: %s\r\n\r\n' '$path' '$hostport' >&3
      head -n1 <&3" 2>/dev/null | awk '{print $2}' | grep . || echo 000
  fi
}

# ---- 1. checks that must pass before anything is started (and before the exit trap exists,
#         so a refusal never stops a previous run's processes)
for s in "${SERVICES[@]}"; do
  pid="$(hl_read_pid "$RUN_DIR/$(svc_name "$s").pid")"
  if [[ -n "$pid" ]] && hl_pid_matches "$pid" quarkus-run.jar; then
    hl_die "$(svc_name "$s") from an earlier run is still running (pid $pid); stop it with deploy/stop.sh"
  fi
done
for s in "${SERVICES[@]}"; do
  hl_require_free_port "$(svc_port "$s")" "$(svc_name "$s")"
done
hl_require_java
# -XX:TrimNativeHeapInterval is a product option since Java 17.0.11: left out on an older JVM
if ! java -XX:TrimNativeHeapInterval=5000 -version >/dev/null 2>&1; then
  hl_log "this JVM has no -XX:TrimNativeHeapInterval (Java 17.0.11 or later): the services run without it"
  kept=()
  for o in "${JVM_BASE_OPTS[@]}"; do [[ "$o" == -XX:TrimNativeHeapInterval=* ]] || kept+=("$o"); done
  JVM_BASE_OPTS=("${kept[@]}")
fi

# ---- 2. build
if [[ "${SKIP_BUILD:-}" != 1 ]]; then
  hl_log "building the services (SKIP_BUILD=1 skips this)"
  # no -Dquarkus.package.jar.appcds.enabled: Quarkus' archive holds only the classes of its static
  # init (8-10 s of build per service); the archive trained below holds the whole start's
  (cd "$HL_REPO" && hl_mvn -B -ntp -DskipTests package) || hl_die "build failed"
fi
for s in "${SERVICES[@]}"; do
  [[ -f "$(svc_jar "$s")" ]] || hl_die "$(svc_jar "$s") is missing: build first (./mvnw -B -ntp -DskipTests package) or drop SKIP_BUILD"
done

# ---- 3. from here on, any exit stops what this run started (unless detached successfully)
STOP_ON_EXIT=1
on_exit() {
  local rc=$?
  trap '' INT TERM   # let the orderly stop finish
  if [[ -n "${SLEEP_PID:-}" ]]; then kill "$SLEEP_PID" 2>/dev/null || true; fi
  if [[ "$STOP_ON_EXIT" == 1 ]]; then
    echo >&2
    hl_log "stopping everything this run started"
    "$HL_REPO/deploy/stop.sh" || rc=1
  fi
  exit "$rc"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- 4. Kafka and PostgreSQL. A marker file records what this run (or an earlier, crashed run
#         of it) started, so that stop.sh stops only that.
#         The marker is written before the start, so a Ctrl-C in the middle of it still stops it.
if ! "$HL_REPO/deploy/kafka.sh" status >/dev/null; then
  touch "$RUN_DIR/started-kafka"
  "$HL_REPO/deploy/kafka.sh" start >/dev/null
else
  hl_log "Kafka already running on $KAFKA_BOOTSTRAP"
fi

# postgres.sh start starts the embedded server only when nothing answers ("stopped"), or
# restarts one whose JVM died; a server someone else runs is used as it is.
case "$("$HL_REPO/deploy/postgres.sh" status 2>/dev/null || true)" in
  "postgres: stopped"* | "postgres: embedded server running without"*) touch "$RUN_DIR/started-postgres" ;;
esac
"$HL_REPO/deploy/postgres.sh" start
"$HL_REPO/deploy/postgres.sh" ensure-db "$DB_NAME"
# Without autovacuum PostgreSQL never gathers statistics, and the plans chosen on the first, empty
# tables stay: a long run slows down (seq scans of grown tables; docs/operations.md "The database")
if command -v psql >/dev/null && [[ "$(PGPASSWORD="${DB_PASSWORD:-}" psql -X -w -tA -h "${DB_HOST:-127.0.0.1}" \
    -p "${DB_PORT:-5432}" -U "${DB_USER:-postgres}" -d "$DB_NAME" -c 'show autovacuum' 2>/dev/null)" == off ]]; then
  hl_log "warning: autovacuum is off on this PostgreSQL: run 'vacuum analyze' on $DB_NAME now and then, or turn it on"
fi

# ---- 5. the services
# The one-tap acknowledgement links' secret, shared by notification and dispatch. A packaged
# service refuses the public development default, so the local run keeps a random one of its own.
ack_secret_file="$HL_DATA_DIR/ack-token.secret"
if [[ -z "${HOTLINE_ACK_TOKEN_SECRET:-}" && ! -s "$ack_secret_file" ]]; then
  (umask 077 && od -An -N32 -tx1 /dev/urandom | tr -d ' \n' >"$ack_secret_file")
fi
HOTLINE_ACK_TOKEN_SECRET="${HOTLINE_ACK_TOKEN_SECRET:-$(cat "$ack_secret_file")}"
# The webhooks' signing secret (notification-service), refused likewise when it is the default.
webhook_secret_file="$HL_DATA_DIR/webhook.secret"
if [[ -z "${NOTIFICATION_WEBHOOK_SECRET:-}" && ! -s "$webhook_secret_file" ]]; then
  (umask 077 && od -An -N32 -tx1 /dev/urandom | tr -d ' \n' >"$webhook_secret_file")
fi
NOTIFICATION_WEBHOOK_SECRET="${NOTIFICATION_WEBHOOK_SECRET:-$(cat "$webhook_secret_file")}"
# Launch time and time to ready of each service, in microseconds (bash's EPOCHREALTIME).
declare -A LAUNCHED_US=() READY_US=()
now_us() { local t="$EPOCHREALTIME"; echo "${t/[.,]/}"; }
secs() { printf '%d.%d' $(($1 / 1000000)) $(($1 % 1000000 / 100000)); } # microseconds -> "1.2"

# AppCDS (HOTLINE_APPCDS, default 1): the classes of the service's start, parsed, verified and laid
# out once, mapped at every later start instead of loaded from the jars. The archive is recorded by
# a training start (train_appcds): the whole start's classes (Hibernate's boot, Flyway, the Kafka
# clients, Netty), where Quarkus' build-time archive (app-cds.jsa, -Dquarkus.package.jar.appcds.enabled)
# holds only its static init's: one by one 2.1-2.3 s instead of 2.6-2.8 s for intake alone, and
# 0.5 s less CPU per start (docs/benchmarks.md, session 24). The archive names the class path as
# the JVM got it (quarkus-run.jar, relative), so the service runs in target/quarkus-app.
APPCDS_TRAINED=app-cds-trained.jsa
svc_app_dir() { echo "$HL_REPO/$(svc_name "$1")/target/quarkus-app"; }
# True when the JVM maps the archive with this jar (same JVM build, same jars); else it would run
# without it, silently. -Xshare:on turns that into an error; 0.1 s.
appcds_usable() { # service:port archive
  [[ -f "$(svc_app_dir "$1")/$2" ]] &&
    (cd "$(svc_app_dir "$1")" && java -XX:SharedArchiveFile="$2" -Xshare:on -cp quarkus-run.jar -version >/dev/null 2>&1)
}

start_service() { # service:port [train]
  local s="$1" mode="${2:-run}" name log
  name="$(svc_name "$s")"
  log="$LOG_DIR/$name.log"
  [[ "$mode" == train ]] && log="$LOG_DIR/$name.appcds-training.log"
  if [[ -f "$log" ]]; then mv -f "$log" "$log.prev"; fi
  local dir="$HL_REPO/$name" jar cds=() opts=() own=()
  mapfile -t own < <(svc_jvm_opts "$name")
  # HOTLINE_JAVA_OPTS (a JFR recording, NMT) only for the real starts, not the AppCDS training start
  # shellcheck disable=SC2206  # word splitting wanted: several options
  opts=("${JVM_BASE_OPTS[@]}" ${own[@]+"${own[@]}"} ${HOTLINE_JAVA_OPTS:-})
  jar="$(svc_jar "$s")"
  if [[ "$mode" == train ]]; then
    # written when the JVM exits (the SIGTERM of stop_trained); its log's cds warnings (classes
    # loaded but never linked, which it leaves out) are noise
    dir="$(svc_app_dir "$s")" jar=quarkus-run.jar
    cds=(-XX:ArchiveClassesAtExit="$APPCDS_TRAINED" -Xlog:cds=off)
    opts=("${JVM_BASE_OPTS[@]}" ${own[@]+"${own[@]}"})
  elif [[ "${HOTLINE_APPCDS:-1}" == 1 ]]; then
    local archive=""
    if appcds_usable "$s" "$APPCDS_TRAINED"; then
      archive="$APPCDS_TRAINED"
    elif appcds_usable "$s" app-cds.jsa; then
      archive=app-cds.jsa
    else
      hl_log "$name: no usable AppCDS archive: a slower start"
    fi
    if [[ -n "$archive" ]]; then
      dir="$(svc_app_dir "$s")" jar=quarkus-run.jar
      cds=(-XX:SharedArchiveFile="$archive")
    fi
  fi
  # Own session (setsid): Ctrl-C reaches only this script, which then stops the services in order.
  (
    cd "$dir"
    # -u KAFKA_PORT: every KAFKA_* variable would become a Kafka client property ("port")
    exec env -u KAFKA_PORT KAFKA_BOOTSTRAP_SERVERS="$KAFKA_BOOTSTRAP" \
      DB_HOST="$DB_HOST" DB_PORT="$DB_PORT" DB_NAME="$DB_NAME" DB_USER="$DB_USER" DB_PASSWORD="$DB_PASSWORD" \
      HOTLINE_DEMO_DATA=true QUARKUS_HTTP_PORT="$(svc_port "$s")" MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}" \
      MP_JWT_VERIFY_PUBLICKEY_LOCATION="${MP_JWT_VERIFY_PUBLICKEY_LOCATION:-file:$HL_REPO/deploy/dev-jwt/public.pem}" \
      MP_JWT_VERIFY_ISSUER="${MP_JWT_VERIFY_ISSUER:-https://hotline.local/dev}" \
      HOTLINE_ACK_TOKEN_SECRET="$HOTLINE_ACK_TOKEN_SECRET" NOTIFICATION_WEBHOOK_SECRET="$NOTIFICATION_WEBHOOK_SECRET" \
      UI_DEV_LOGIN_ENABLED="${UI_DEV_LOGIN_ENABLED:-true}" UI_DEV_LOGIN_PRIVATE_KEY="${UI_DEV_LOGIN_PRIVATE_KEY:-$HL_REPO/deploy/dev-jwt/private.pem}" \
      NOTIFICATION_ACK_LINK_BASE="${NOTIFICATION_ACK_LINK_BASE:-http://127.0.0.1:8102/field/#ack=}" \
      setsid java "${opts[@]}" ${cds[@]+"${cds[@]}"} -jar "$jar"
  ) </dev/null >"$log" 2>&1 &
  echo $! >"$RUN_DIR/$name.pid"
  LAUNCHED_US[$name]="$(now_us)"
  if [[ "$mode" == train ]]; then
    hl_log "training start of $name for its AppCDS archive (pid $!, log $log)"
  else
    hl_log "started $name (pid $!, port $(svc_port "$s"), log $log)"
  fi
}

# Waits until every service given reports ready; records each one's time from launch to ready.
await_ready() { # service:port...
  local deadline=$((SECONDS + READY_TIMEOUT)) s name pid
  local -a pending=("$@") still
  while ((${#pending[@]} > 0)); do
    still=()
    for s in "${pending[@]}"; do
      name="$(svc_name "$s")"
      pid="$(hl_read_pid "$RUN_DIR/$name.pid")"
      if ! hl_pid_alive "$pid"; then
        hl_log "$name exited during start-up; last lines of $LOG_DIR/$name.log:"
        tail -n 40 "$LOG_DIR/$name.log" >&2 || true
        hl_die "$name did not start"
      fi
      if [[ "$(http_status "http://127.0.0.1:$(svc_port "$s")/q/health/ready")" == 200 ]]; then
        READY_US[$name]=$(($(now_us) - LAUNCHED_US[$name]))
        hl_log "$name ready $(secs "${READY_US[$name]}") s after its launch"
      else
        still+=("$s")
      fi
    done
    pending=("${still[@]+"${still[@]}"}")
    ((${#pending[@]} == 0)) && break
    if ((SECONDS >= deadline)); then
      for s in "${pending[@]}"; do
        name="$(svc_name "$s")"
        hl_log "$name not ready after ${READY_TIMEOUT}s ($(http_status "http://127.0.0.1:$(svc_port "$s")/q/health/ready") from /q/health/ready); last lines of $LOG_DIR/$name.log:"
        tail -n 40 "$LOG_DIR/$name.log" >&2 || true
      done
      hl_die "services not ready after ${READY_TIMEOUT}s: ${pending[*]%%:*}"
    fi
    sleep 0.2
  done
}

# ---- 6. start them and wait until every service reports ready: one after the other on a machine
#         with fewer cores than services (a start is ~2.5 s of CPU, mostly one thread: four at once
#         on 2 cores take 5-8 s each, one by one 2-3 s each, ~11 s in all against ~9 s), else all
#         at once; START_ONE_BY_ONE=1/0 chooses
# ---- 6a. AppCDS training: each service whose archive is missing or was made for other jars (a
#          new build) or another JVM is started once with -XX:ArchiveClassesAtExit against this
#          run's database and broker (a start and an orderly stop, as any restart), all at once,
#          and stopped once ready; the JVM writes the archive as it exits. Once per build.
if [[ "${HOTLINE_APPCDS:-1}" == 1 ]]; then
  to_train=()
  for s in "${SERVICES[@]}"; do
    appcds_usable "$s" "$APPCDS_TRAINED" || to_train+=("$s")
  done
  if ((${#to_train[@]} > 0)); then
    train_started_us="$(now_us)"
    for s in "${to_train[@]}"; do
      rm -f "$(svc_app_dir "$s")/$APPCDS_TRAINED"
      start_service "$s" train
    done
    await_ready "${to_train[@]}"
    for s in "${to_train[@]}"; do kill -TERM "$(hl_read_pid "$RUN_DIR/$(svc_name "$s").pid")" 2>/dev/null || true; done
    for s in "${to_train[@]}"; do
      name="$(svc_name "$s")"
      pid="$(hl_read_pid "$RUN_DIR/$name.pid")"
      for _ in $(seq 1 600); do hl_pid_alive "$pid" || break; sleep 0.1; done
      hl_pid_alive "$pid" && hl_die "$name's training start did not stop within 60 s (pid $pid)"
      rm -f "$RUN_DIR/$name.pid"
      appcds_usable "$s" "$APPCDS_TRAINED" ||
        hl_log "$name: the training start left no usable AppCDS archive (log $LOG_DIR/$name.appcds-training.log): a slower start"
    done
    hl_log "AppCDS archives of ${to_train[*]%%:*} trained in $(secs $(($(now_us) - train_started_us))) s (once per build)"
  fi
fi

if [[ -z "${START_ONE_BY_ONE:-}" ]]; then
  START_ONE_BY_ONE=$(( $(nproc) < ${#SERVICES[@]} ? 1 : 0 ))
fi
all_started_us="$(now_us)"
if [[ "$START_ONE_BY_ONE" == 1 ]]; then
  for s in "${SERVICES[@]}"; do
    start_service "$s"
    await_ready "$s"
  done
else
  for s in "${SERVICES[@]}"; do start_service "$s"; done
  await_ready "${SERVICES[@]}"
fi
hl_log "all four ready $(secs $(($(now_us) - all_started_us))) s after the first launch"

# ---- 7. where everything is, and what it costs
rss_total=0
rss_line() { # name pid [start columns]
  local kb
  kb="$(hl_rss_kb "$2")"
  rss_total=$((rss_total + kb))
  printf '  %-22s %6d MB%s\n' "$1" $((kb / 1024)) "${3:-}"
}
# The service's own "started in 3.2s" (Quarkus' log line: from JVM start to the HTTP port open)
started_in() {
  grep -o -m1 'started in [0-9.]*s' "$LOG_DIR/$1.log" 2>/dev/null | sed 's/started in \([0-9.]*\)s/\1 s/' || true
}
echo
printf '%-22s %-24s %-38s %-36s %s\n' SERVICE URL "SWAGGER UI" HEALTH METRICS
for s in "${SERVICES[@]}"; do
  base="http://127.0.0.1:$(svc_port "$s")"
  printf '%-22s %-24s %-38s %-36s %s\n' "$(svc_name "$s")" "$base" "$base/q/swagger-ui" "$base/q/health" "$base/q/metrics"
done
echo
echo "Screens:          http://127.0.0.1:8102/   (sign in; command-room console /console/, field phone page /field/, supervisor /supervisor/)"
echo "Demo users (click one on the sign-in page; docs/ui.md):"
echo "  wk-zhang, wk-li     dispatchers of 武康街道 (wukang)    -> console"
echo "  wk-wang             supervisor of wukang               -> supervisor view"
echo "  county-sup          county supervisor                  -> supervisor view"
echo "  <unit>-m1           a field member, e.g. wk-pcs-north-m1, wk-cg-1-m1 -> field page (open it 360 px wide)"
echo "  qj-zhou             dispatcher of another street (sees nothing of wukang)"
echo "Kafka bootstrap:  $KAFKA_BOOTSTRAP"
echo "PostgreSQL:       $DB_HOST:$DB_PORT/$DB_NAME (user $DB_USER)"
echo "Logs:             $LOG_DIR"
echo
echo "Memory (RSS) of the processes started, and the services' start ('started in': Quarkus' own log line;"
echo "'ready': from launch to /q/health/ready answering 200; $([[ "$START_ONE_BY_ONE" == 1 ]] && echo "one by one" || echo "all four at once") on $(nproc) cores):"
for s in "${SERVICES[@]}"; do
  name="$(svc_name "$s")"
  rss_line "$name" "$(hl_read_pid "$RUN_DIR/$name.pid")" \
    "   started in $(printf '%-8s' "$(started_in "$name")") ready after $(secs "${READY_US[$name]}") s"
done
if [[ -f "$RUN_DIR/started-kafka" ]]; then
  rss_line kafka "$(hl_read_pid "$HL_DATA_DIR/kafka/kafka.pid")"
fi
if [[ -f "$RUN_DIR/started-postgres" ]]; then
  rss_line "embedded postgres (JVM)" "$(hl_read_pid "$HL_DATA_DIR/postgres/embedded-postgres.pid")"
fi
printf '  %-22s %6d MB\n' TOTAL $((rss_total / 1024))
echo

# ---- 8. detach, or stay until Ctrl-C
if [[ "$DETACH" == 1 ]]; then
  STOP_ON_EXIT=0
  echo "Running in the background. Stop everything with: deploy/stop.sh"
  exit 0
fi
echo "Press Ctrl-C to stop everything."
while true; do
  for s in "${SERVICES[@]}"; do
    name="$(svc_name "$s")"
    if ! hl_pid_alive "$(hl_read_pid "$RUN_DIR/$name.pid")"; then
      hl_log "$name exited unexpectedly; last lines of $LOG_DIR/$name.log:"
      tail -n 40 "$LOG_DIR/$name.log" >&2 || true
      exit 1
    fi
  done
  # 'sleep & wait' so that Ctrl-C is handled at once, not after the sleep.
  sleep 2 &
  SLEEP_PID=$!
  wait "$SLEEP_PID" || true
done
