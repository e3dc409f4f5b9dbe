#!/usr/bin/env bash
# Stops what deploy/run.sh started (also after 'DETACH=1 deploy/run.sh'): the four services
# first (they flush to Kafka and the database on shutdown), then Kafka, then the embedded
# PostgreSQL, each only if run.sh started it. Idempotent; deploy/run.sh calls it on exit too.
#
# State: $HOTLINE_DATA_DIR/run/<service>.pid, started-kafka, started-postgres.
set -euo pipefail

HL_NAME=stop
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

RUN_DIR="$HL_DATA_DIR/run"
SERVICE_GRACE="${SERVICE_STOP_GRACE:-15}"

# Quarkus runner jars: a pid is only ours if it still runs one (pid reuse guard).
stop_services() {
  local f pid name i
  local -a pids=() names=()
  shopt -s nullglob
  for f in "$RUN_DIR"/*.pid; do
    name="$(basename "$f" .pid)"
    pid="$(hl_read_pid "$f")"
    if [[ -n "$pid" ]] && hl_pid_matches "$pid" "quarkus-run.jar"; then
      pids+=("$pid")
      names+=("$name")
    fi
  done
  shopt -u nullglob
  if ((${#pids[@]} > 0)); then
    hl_log "stopping ${names[*]}"
    # All at once, so the total wait stays at most one grace period.
    kill -TERM "${pids[@]}" 2>/dev/null || true
    for ((i = 0; i < SERVICE_GRACE * 10; i++)); do
      local alive=0
      for pid in "${pids[@]}"; do hl_pid_alive "$pid" && alive=1; done
      ((alive)) || break
      sleep 0.1
    done
    for pid in "${pids[@]}"; do
      if hl_pid_alive "$pid"; then
        hl_log "pid $pid still running after ${SERVICE_GRACE}s: SIGKILL"
        kill -KILL "$pid" 2>/dev/null || true
      fi
    done
    for ((i = 0; i < 50; i++)); do
      local alive=0
      for pid in "${pids[@]}"; do hl_pid_alive "$pid" && alive=1; done
      ((alive)) || break
      sleep 0.1
    done
  fi
  rm -f "$RUN_DIR"/*.pid
}

[[ -d "$RUN_DIR" ]] || { hl_log "nothing was started by deploy/run.sh"; exit 0; }

stop_services
rc=0
if [[ -f "$RUN_DIR/started-kafka" ]]; then
  "$HL_REPO/deploy/kafka.sh" stop || rc=1
  rm -f "$RUN_DIR/started-kafka"
fi
if [[ -f "$RUN_DIR/started-postgres" ]]; then
  "$HL_REPO/deploy/postgres.sh" stop || rc=1
  rm -f "$RUN_DIR/started-postgres"
fi
hl_log "all stopped"
exit "$rc"
