#!/usr/bin/env bash
# End-to-end benchmark (issue 17, item 2): builds, then for each rate starts the whole system afresh
# (deploy/run.sh, its own data dir and database, JFR on every service), drives it with the load
# generator (deploy/loadgen), measures from event times, stops everything; pgbench runs in the same
# invocation as the ceiling. Writes target/bench-e2e/<time>/ (a report folder per rate, JFR
# summaries, README.md) and, unless BENCH_DOCS=0, the section between the e2e markers of
# docs/benchmarks.md.
#
#   deploy/bench-e2e.sh                                  # 25/s, 200/s and 1000/s, 60 s each
#   BENCH_RATES="200" BENCH_DURATION=30s deploy/bench-e2e.sh
#
# On a shared machine run it under the team's lock:  flock /tmp/hotline-build.lock deploy/bench-e2e.sh
#
# Env: BENCH_RATES ("25 200 1000"), BENCH_DURATION (60s), BENCH_DRAIN (60s), BENCH_SEED (42),
#      BENCH_SLA_SCALE (1 = 13830 as it is; e.g. 0.1 brings ON_SCENE breaches and escalations inside the run),
#      BENCH_LOAD_UNITS (60), BENCH_PGBENCH_SECONDS (15), BENCH_JFR (1), BENCH_DOCS (1),
#      BENCH_DB (hotline_bench, dropped and created for every rate), SKIP_BUILD (build unless 1),
#      BENCH_LOADGEN_ARGS (more loadgen options), BENCH_JAVA_OPTS (more JVM options for the four
#      services, after run.sh's own, e.g. -XX:TieredStopAtLevel=4 -XX:CICompilerCount=2 to weigh C2
#      against run.sh's C1), BENCH_VACUUM_EVERY (60, seconds; 0 = never): on a server whose
#      autovacuum is off, the harness runs VACUUM ANALYZE on the run's database this often.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
OUT="$REPO/target/bench-e2e/$STAMP"
# the benchmark's own data dir (Kafka log, pid files, logs): never the developer's deploy/.data
export HOTLINE_DATA_DIR="$REPO/target/bench-e2e/data"
HL_NAME=bench
# shellcheck source=common.sh
source "$REPO/deploy/common.sh"

RATES="${BENCH_RATES:-25 200 1000}"
DURATION="${BENCH_DURATION:-60s}"
DRAIN="${BENCH_DRAIN:-60s}"
SEED="${BENCH_SEED:-42}"
SLA_SCALE="${BENCH_SLA_SCALE:-1}"
LOAD_UNITS="${BENCH_LOAD_UNITS:-60}"
PGBENCH_SECONDS="${BENCH_PGBENCH_SECONDS:-15}"
JFR="${BENCH_JFR:-1}"
VACUUM_EVERY="${BENCH_VACUUM_EVERY:-60}"
[[ "$VACUUM_EVERY" =~ ^[0-9]+$ ]] || { echo "BENCH_VACUUM_EVERY must be whole seconds (0 = never), not '$VACUUM_EVERY'" >&2; exit 2; }
DOCS="${BENCH_DOCS:-1}"
export DB_NAME="${BENCH_DB:-hotline_bench}"
export DB_HOST="${DB_HOST:-127.0.0.1}" DB_PORT="${DB_PORT:-5432}" DB_USER="${DB_USER:-postgres}" DB_PASSWORD="${DB_PASSWORD:-}"
SINK_PORT=8199
# the ports deploy/run.sh gives the services (its SERVICES)
SERVICES_AND_PORTS=(intake-service:8101 dispatch-service:8102 sla-timer-service:8103 notification-service:8104)
LOADGEN_JAR="$REPO/deploy/loadgen/target/loadgen.jar"
THE_COMMAND="deploy/bench-e2e.sh${BENCH_RATES:+ (BENCH_RATES=\"$RATES\")}"

# BENCH_REPORT_ONLY=<an earlier output dir>: write its README.md (and the docs section) again, run nothing
if [[ -n "${BENCH_REPORT_ONLY:-}" ]]; then
  OUT="$(cd "$BENCH_REPORT_ONLY" && pwd)"
  STAMP="$(basename "$OUT")"
  RATES="$(cd "$OUT" && ls -d rate-* | sed 's/rate-//' | sort -n | tr '\n' ' ' | sed 's/ $//')"
fi

mkdir -p "$OUT"
hl_require_java
command -v psql >/dev/null || hl_die "psql is needed (Debian: postgresql-client)"

if [[ -z "${BENCH_REPORT_ONLY:-}" ]]; then
if [[ "${SKIP_BUILD:-}" != 1 ]]; then
  hl_log "building the services and the load generator"
  (cd "$REPO" && hl_mvn -B -ntp -DskipTests package) >"$OUT/build.log" 2>&1 || { tail -40 "$OUT/build.log"; hl_die "build failed"; }
fi
[[ -f "$LOADGEN_JAR" ]] || hl_die "$LOADGEN_JAR is missing: build first or drop SKIP_BUILD"

psql_admin() { PGPASSWORD="$DB_PASSWORD" psql -X -q -v ON_ERROR_STOP=1 -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d postgres "$@"; }

STOP_NEEDED=0
# CPU time of every thread of each process (clock ticks), before and after the load: JFR samples
# only threads running Java code, so the JVM's own threads (GC, JIT), Netty's native polling and
# the kernel's network time show up only here. One line per thread: process, tid, ticks, name; and
# one per process ("process" for the tid, /proc/<pid>/stat): a pool thread that ended between the
# two snapshots takes its CPU out of task/, not out of the process' total.
thread_cpu() {
  local p t s rest comm
  for p in "${pids[@]}"; do
    for t in /proc/"${p#*=}" /proc/"${p#*=}"/task/*; do
      s="$(cat "$t/stat" 2>/dev/null)" || continue
      rest="${s##*) }"
      # shellcheck disable=SC2086  # split the fields after the name; utime and stime are the 12th and 13th
      set -- $rest
      comm="${s#*(}"
      if [[ "$t" == */task/* ]]; then
        echo "${p%%=*} ${t##*/} $((${12} + ${13})) ${comm%)*}"
      else
        echo "${p%%=*} process $((${12} + ${13})) (process)"
      fi
    done
  done >"$1"
}

# Per process, the threads' CPU seconds during the load, grouped by name (digits folded).
thread_report() {
  echo "## CPU by thread during the load and drain (seconds; /proc/<pid>/task/*/stat, and /proc/<pid>/stat for threads that ended)"
  awk -v hz="$(getconf CLK_TCK)" '
    NR == FNR { before[$1 " " $2] = $3; next }
    { d = $3 - (($1 " " $2) in before ? before[$1 " " $2] : 0)
      if ($2 == "process") { proc[$1] = d; next }
      name = ""; for (i = 4; i <= NF; i++) name = name (i > 4 ? " " : "") $i
      gsub(/[0-9]+/, "#", name)
      cpu[$1 "\t" name] += d; total[$1] += d }
    END { for (p in proc) if (proc[p] > total[p]) { cpu[p "\t(threads ended meanwhile)"] = proc[p] - total[p]; total[p] = proc[p] }
          for (k in cpu) { split(k, a, "\t"); if (cpu[k] > 0)
            printf "%s\t%.1f\t%.0f%%\t%s\n", a[1], cpu[k] / hz, 100 * cpu[k] / total[a[1]], a[2] } }' "$1" "$2" |
    sort -t$'\t' -k1,1 -k2,2nr | awk -F'\t' '
      $1 != last { printf "\n### %s\n\n| thread | CPU s | share |\n|---|---|---|\n", $1; last = $1; n = 0 }
      ++n <= 15 { printf "| %s | %s | %s |\n", $4, $2, $3 }'
}

vacuum_pid=""
# the VACUUM ANALYZE loop (below) and whatever it runs at the moment (its sleep, a psql)
stop_vacuum() {
  if [[ -n "$vacuum_pid" ]]; then
    pkill -P "$vacuum_pid" 2>/dev/null || true
    kill "$vacuum_pid" 2>/dev/null || true
    wait "$vacuum_pid" 2>/dev/null || true
    vacuum_pid=""
  fi
}

cleanup() {
  stop_vacuum
  if [[ "$STOP_NEEDED" == 1 ]]; then
    "$REPO/deploy/stop.sh" >>"$OUT/stop.log" 2>&1 || true
  fi
}
trap cleanup EXIT

echo "date=$(date -u +%FT%TZ)" >"$OUT/meta.txt"
echo "commit=$(git -C "$REPO" rev-parse --short HEAD)$(git -C "$REPO" diff --quiet || echo ' (with local changes)')" >>"$OUT/meta.txt"
RUN_DIR="$HL_DATA_DIR/run"
for rate in $RATES; do
  run="$OUT/rate-$rate"
  mkdir -p "$run/jfr"
  hl_log "rate $rate/s: fresh database $DB_NAME and broker, starting the system"
  "$REPO/deploy/stop.sh" >/dev/null 2>&1 || true
  rm -rf "$HL_DATA_DIR/kafka/data"
  psql_admin -c "drop database if exists $DB_NAME with (force)" -c "create database $DB_NAME"

  jfr_opts=""
  if [[ "$JFR" == 1 ]]; then
    jfr_opts="-XX:StartFlightRecording=settings=profile,filename=$run/jfr/,dumponexit=true"
  fi
  STOP_NEEDED=1
  # the load's settings, by environment only (no default changes): the per-user create limit off,
  # SMS and webhooks to the load generator's sink, JFR on each service
  INTAKE_RATE_LIMIT_ENABLED=false \
  NOTIFICATION_SMS_URL="http://127.0.0.1:$SINK_PORT/sms" \
  NOTIFICATION_WEBHOOK_URL="http://127.0.0.1:$SINK_PORT/webhook" \
  HOTLINE_JAVA_OPTS="$jfr_opts ${BENCH_JAVA_OPTS:-}" \
  SKIP_BUILD=1 DETACH=1 "$REPO/deploy/run.sh" >"$run/run.log" 2>&1 || { tail -60 "$run/run.log"; hl_die "the system did not start"; }
  grep -A12 '^Memory (RSS)' "$run/run.log" >"$run/rss-at-start.txt" || true

  mapfile -t pids < <(hl_run_pids)

  # A production server runs autovacuum; a server with it off (this kind of machine's CI server)
  # never gathers statistics, and plans chosen on the empty tables of the run's start stay: seq scans
  # of tables that grew to thousands of rows (the SLA service's clock lock and dispatch's relay
  # measured at 3.3 ms a statement instead of 0.1). The harness stands in for autovacuum's VACUUM
  # ANALYZE (its CPU is PostgreSQL's in the figures, as autovacuum's would be).
  if [[ "$VACUUM_EVERY" -gt 0 && "$(psql_admin -tAc 'show autovacuum')" == off ]]; then
    hl_log "rate $rate/s: autovacuum is off on this server: VACUUM ANALYZE of $DB_NAME every ${VACUUM_EVERY}s"
    ( while sleep "$VACUUM_EVERY"; do psql_admin -d "$DB_NAME" -c "vacuum analyze" >/dev/null 2>&1 || true; done ) &
    vacuum_pid=$!
  fi
  thread_cpu "$run/threads-before.txt"
  hl_log "rate $rate/s: load for $DURATION (seed $SEED), then drain at most $DRAIN"
  # shellcheck disable=SC2086  # BENCH_LOADGEN_ARGS may carry several options
  java -Xmx512m -XX:+UseParallelGC -jar "$LOADGEN_JAR" \
    --rate "$rate" --duration "$DURATION" --drain "$DRAIN" --seed "$SEED" --out "$run" \
    --sla-scale "$SLA_SCALE" --load-units "$LOAD_UNITS" --sink-port "$SINK_PORT" \
    --jdbc "jdbc:postgresql://$DB_HOST:$DB_PORT/$DB_NAME" --db-user "$DB_USER" --db-password "$DB_PASSWORD" \
    --key "$REPO/deploy/dev-jwt/private.pem" --pids "$(IFS=,; echo "${pids[*]}")" --no-progress \
    --command-line "$THE_COMMAND" ${BENCH_LOADGEN_ARGS:-} 2>&1 | tee "$run/loadgen.log" | grep -E '^\[loadgen' >&2 || true
  thread_cpu "$run/threads-after.txt"
  stop_vacuum
  thread_report "$run/threads-before.txt" "$run/threads-after.txt" >"$run/threads.md"
  for s in intake-service dispatch-service sla-timer-service notification-service; do
    pid="$(hl_read_pid "$RUN_DIR/$s.pid")"
    echo "$s $(($(hl_rss_kb "$pid") / 1024)) MB (peak $(($(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0) / 1024)) MB)" >>"$run/rss-after-load.txt"
  done
  # each service's own counters after the run (group-commit sizes, consumer batches, relay batches):
  # what the work was batched into, which the CPU per ticket depends on
  mkdir -p "$run/metrics"
  for sp in "${SERVICES_AND_PORTS[@]}"; do
    curl -s -m 5 "http://127.0.0.1:${sp##*:}/q/metrics" >"$run/metrics/${sp%%:*}.prom" 2>/dev/null || true
  done

  declare -A names=()
  for p in "${pids[@]}"; do names[${p#*=}]=${p%%=*}; done
  hl_log "rate $rate/s: stopping everything"
  # the services write their JFR recordings on the way out: give them time
  SERVICE_STOP_GRACE=40 "$REPO/deploy/stop.sh" >>"$run/stop.log" 2>&1 || true
  STOP_NEEDED=0
  cp "$HL_DATA_DIR/logs/"*.log "$run/" 2>/dev/null || true

  if [[ "$JFR" == 1 && -f "$run/summary.json" ]]; then
    started="$(sed -n 's/.*"started" : "\([^"]*\)".*/\1/p' "$run/summary.json")"
    secs="$(sed -n 's/.*"durationSeconds" : \([0-9]*\).*/\1/p' "$run/summary.json")"
    to="$(date -u -d "@$(($(date -u -d "$started" +%s) + secs))" +%Y-%m-%dT%H:%M:%SZ)"
    args=()
    for f in "$run"/jfr/hotspot-pid-*.jfr; do
      [[ -f "$f" ]] || continue
      pid="$(basename "$f" | sed -E 's/hotspot-pid-([0-9]+)-.*/\1/')"
      [[ -n "${names[$pid]:-}" ]] && args+=("${names[$pid]}=$f")
    done
    if ((${#args[@]} > 0)); then
      java -jar "$LOADGEN_JAR" jfr-summary --from "$started" --to "$to" --out "$run/profile.md" "${args[@]}" \
        || hl_log "jfr-summary failed"
    fi
  fi
  unset names
done

# ---- the ceiling, in the same invocation, with the system stopped: pgbench's single-row inserts on
#      the same server (the statement the intake benchmark uses: a uuid key and a few columns)
PGBENCH_MD="$OUT/pgbench.md"
if command -v pgbench >/dev/null && [[ "$PGBENCH_SECONDS" -gt 0 ]]; then
  hl_log "pgbench: ${PGBENCH_SECONDS} s with 32 clients, then 1"
  psql_admin -c "drop database if exists loadgen_pgbench" -c "create database loadgen_pgbench"
  PGPASSWORD="$DB_PASSWORD" psql -X -q -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d loadgen_pgbench \
    -c "create table t (id uuid primary key, street text not null, category text not null, description text not null, created_at timestamptz not null)"
  echo "insert into t values (gen_random_uuid(), 'wukang', 'NOISE', 'benchmark report', now());" >"$OUT/pgbench-insert.sql"
  {
    echo "| pgbench single-row insert (same server, services stopped) | tps | latency avg |"
    echo "|---|---|---|"
    for c in 32 1; do
      res="$(PGPASSWORD="$DB_PASSWORD" pgbench -n -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -c "$c" -j "$((c < $(nproc) ? c : $(nproc)))" \
        -T "$PGBENCH_SECONDS" -f "$OUT/pgbench-insert.sql" loadgen_pgbench 2>&1)"
      echo "$res" >>"$OUT/pgbench.log"
      tps="$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' <<<"$res" | head -1)"
      lat="$(sed -n 's/^latency average = \([0-9.]*\) ms/\1/p' <<<"$res" | head -1)"
      printf '| %s client%s | %s | %s ms |\n' "$c" "$([[ $c == 1 ]] || echo s)" "$(printf "%'.0f" "${tps%.*}")" "$lat"
    done
  } >"$PGBENCH_MD"
  psql_admin -c "drop database if exists loadgen_pgbench" || true
else
  echo "pgbench not run (Debian: postgresql-contrib; BENCH_PGBENCH_SECONDS=$PGBENCH_SECONDS)" >"$PGBENCH_MD"
fi

fi # not BENCH_REPORT_ONLY
PGBENCH_MD="$OUT/pgbench.md"
meta() { sed -n "s/^$1=//p" "$OUT/meta.txt" 2>/dev/null; }

# ---- the summary of every rate, and the docs section
{
  echo "## End-to-end benchmark (issue 17, item 2)"
  echo
  echo "- Date: $(meta date); code: commit $(meta commit)"
  echo "- Command: \`$THE_COMMAND\` (from the repository root; on a shared machine under \`flock /tmp/hotline-build.lock\`); reports in \`target/bench-e2e/$STAMP/\`"
  echo "- Machine: $(nproc) × $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), $(free -g | awk '/Mem:/{print $2}') GiB; $(java -version 2>&1 | head -1)"
  echo "- Everything co-located on this machine: the four services (\`deploy/run.sh\`'s JVM options, \`deploy/service-jvm.options\`$( [[ "$JFR" == 1 ]] && echo ", JFR \`settings=profile\` on each" || echo ", no JFR")), the Kafka broker, PostgreSQL and the load generator. Fresh database and broker per rate."
  echo "- Load: ${DURATION} per rate, seed $SEED; reports 60 % operators over REST, 20 % 110 hand-over feed, 20 % 12345 platform feed; 5 % repeat callers; command room takes and contacts, field teams acknowledge, arrive and resolve (1–6 s), 5 % of units never arrive, 30 % follow-up calls of which 10 % dissatisfied (reopen). ${LOAD_UNITS} load units of capacity 100 beside the 13 demo units. SLA policy for SIMPLE tickets: $( [[ "$SLA_SCALE" == 1 ]] && echo "13830 as seeded" || echo "13830 × ${SLA_SCALE} (\`--sla-scale\`)"). Intake's per-user create limit lifted by \`INTAKE_RATE_LIMIT_ENABLED=false\`; SMS and webhooks delivered to the load generator's sink."
  echo
  echo "Steady window = tickets received from 10 s after the first report to the end of the load. Times in ms, from event times (receipt = intake's \`receivedAt\`; dispatched = first lead \`assignment.created\`.\`dispatchedAt\`; armed = sla's inbox time of \`ticket.received\`; notified = first \`notification.sent_at\` of the ticket's \`assignment.created\` notifications (the dispatch notice); complete = last of the three). Sustained = tickets complete within the steady window per second."
  echo
  echo "| offered | received/s | sustained complete/s | receipt → dispatched p50 / p99 | → clocks armed p50 / p99 | → dispatch notice sent p50 / p99 | → complete p50 / p99 | never dispatched / armed / notified |"
  echo "|---|---|---|---|---|---|---|---|"
  for rate in $RATES; do cat "$OUT/rate-$rate/section.md" 2>/dev/null || echo "| $rate/s | run failed | | | | | | |"; done
  echo
  echo "The ceiling, same invocation (after the runs, services stopped):"
  echo
  cat "$PGBENCH_MD"
  echo
  for rate in $RATES; do
    r="$OUT/rate-$rate"
    [[ -f "$r/report.md" ]] || continue
    echo "### $rate reports/s"
    echo
    # the report's key tables (steady window, timers, CPU), without its title and charts
    sed -n '/^## End to end/,/^The same over every ticket/p' "$r/report.md" | sed '$d' | grep -v '^!\[' | sed 's/^## /#### /'
    sed -n '/^## SLA timers/,/^## /p' "$r/report.md" | sed '$d' | sed 's/^## /#### /'
    sed -n '/^## CPU/,/^## /p' "$r/report.md" | sed '$d' | sed 's/^## /#### /'
  done
  # the profile of the highest rate (every rate's is in its folder: profile.md)
  r="$OUT/rate-${RATES##* }"
  if [[ -f "$r/profile.md" ]]; then
    echo "### Where each service's CPU went at ${RATES##* } reports/s (JFR \`settings=profile\`, load window)"
    echo
    sed 's/^#### /#### /' "$r/profile.md"
  fi
} >"$OUT/README.md"

if [[ "$DOCS" == 1 ]]; then
  DOC="$REPO/docs/benchmarks.md"
  start='<!-- e2e-benchmark:start (generated by deploy/bench-e2e.sh; everything up to the end marker is replaced on every run) -->'
  end='<!-- e2e-benchmark:end -->'
  python3 - "$DOC" "$OUT/README.md" "$start" "$end" <<'PY'
import sys
doc, section, start, end = sys.argv[1:]
text = open(doc, encoding="utf-8").read()
body = start + "\n\n" + open(section, encoding="utf-8").read().rstrip() + "\n\n" + end
s = text.find("<!-- e2e-benchmark:start")
e = text.find(end)
if s >= 0 and e > s:
    text = text[:s] + body + text[e + len(end):]
else:
    text = text.rstrip() + "\n\n" + body + "\n"
open(doc, "w", encoding="utf-8").write(text)
PY
  hl_log "docs/benchmarks.md: e2e section written"
fi
hl_log "done: $OUT/README.md"
