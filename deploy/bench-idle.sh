#!/usr/bin/env bash
# What the local run costs while nobody uses it (issue 18, item 2): starts the system afresh
# (deploy/run.sh, its own data dir and database), waits until it has settled, reads each process's
# CPU time from /proc over a quiet minute, stops everything. At a low ticket rate this fixed cost
# is a large share of the CPU per ticket (docs/benchmarks.md, session 28).
#
#   deploy/bench-idle.sh                      # settle 30 s, measure 60 s
#   IDLE_SETTLE=60 IDLE_SECONDS=120 deploy/bench-idle.sh
#
# Needs the services packaged (./mvnw -B -ntp package -DskipTests). On a shared machine run it
# under the team's lock, like deploy/bench-e2e.sh.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export HOTLINE_DATA_DIR="$REPO/target/bench-idle/data"
mkdir -p "$HOTLINE_DATA_DIR"
HL_NAME=idle
# shellcheck source=common.sh
source "$REPO/deploy/common.sh"

SETTLE="${IDLE_SETTLE:-30}"
SECONDS_MEASURED="${IDLE_SECONDS:-60}"
((SECONDS_MEASURED > 0)) || hl_die "IDLE_SECONDS must be at least 1"
export DB_NAME="${IDLE_DB:-hotline_idle}"
export DB_HOST="${DB_HOST:-127.0.0.1}" DB_PORT="${DB_PORT:-5432}" DB_USER="${DB_USER:-postgres}" DB_PASSWORD="${DB_PASSWORD:-}"

PGPASSWORD="$DB_PASSWORD" psql -X -q -v ON_ERROR_STOP=1 -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d postgres \
  -c "drop database if exists $DB_NAME with (force)" -c "create database $DB_NAME"
"$REPO/deploy/stop.sh" >/dev/null 2>&1 || true
rm -rf "$HL_DATA_DIR/kafka/data"   # a fresh broker too, as deploy/bench-e2e.sh
trap '"$REPO/deploy/stop.sh" >/dev/null 2>&1 || true' EXIT
hl_log "starting the system"
SKIP_BUILD=1 DETACH=1 "$REPO/deploy/run.sh" >"$HL_DATA_DIR/run.log" 2>&1 || { tail -40 "$HL_DATA_DIR/run.log"; hl_die "the system did not start"; }
hl_log "settling for $SETTLE s, then measuring $SECONDS_MEASURED s"
sleep "$SETTLE"

mapfile -t pids < <(hl_run_pids)
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }   # utime + stime, clock ticks
declare -A before=()
for p in "${pids[@]}"; do before[$p]="$(ticks "${p#*=}")"; done
sleep "$SECONDS_MEASURED"
hz="$(getconf CLK_TCK)"
echo "| process | CPU while idle (cores, ${SECONDS_MEASURED} s after ${SETTLE} s settling) |"
echo "|---|---|"
for p in "${pids[@]}"; do
  after="$(ticks "${p#*=}")"
  awk -v n="${p%%=*}" -v d="$((after - ${before[$p]}))" -v hz="$hz" -v s="$SECONDS_MEASURED" \
    'BEGIN { printf "| %s | %.3f |\n", n, d / hz / s }'
done
