#!/usr/bin/env bash
# Throwaway PostgreSQL and Redis servers on loopback, for the tests and benchmarks of
# @byok/store-postgres and @byok/store-redis. Nothing here touches a system cluster: the data
# lives in $BYOK_SERVICES_DIR (default /tmp/byok-services) and the servers listen on
# 127.0.0.1 only, on ports of their own.
#
#   eval "$(scripts/services.sh start)"   # install if missing (root + apt only), start, print exports
#   scripts/services.sh env                # print the exports of servers already running
#   scripts/services.sh stop               # stop both servers (data is kept)
#   scripts/services.sh clean              # stop both servers and delete their data
#
# `start` prints only `export ...` lines on stdout (progress goes to stderr), so `eval` is safe.
# It is idempotent: servers already running are reused. Exit status 0 means both are up.
set -uo pipefail

DIR="${BYOK_SERVICES_DIR:-/tmp/byok-services}"
PG_PORT="${BYOK_PG_PORT:-54329}"
REDIS_PORT="${BYOK_REDIS_PORT:-63799}"
PG_DATA="$DIR/pg"
REDIS_DIR="$DIR/redis"

log() { echo "services: $*" >&2; }

pg_bindir() {
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir 2>/dev/null)/initdb" ]; then
    pg_config --bindir
    return
  fi
  local newest
  newest="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
  if [ -n "$newest" ] && [ -x "$newest/initdb" ]; then
    echo "$newest"
    return
  fi
  if command -v initdb >/dev/null 2>&1; then
    dirname "$(command -v initdb)"
    return
  fi
  return 1
}

install_missing() {
  local wanted=()
  pg_bindir >/dev/null 2>&1 || wanted+=(postgresql)
  command -v redis-server >/dev/null 2>&1 || wanted+=(redis-server)
  [ ${#wanted[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    log "missing ${wanted[*]}; install them (e.g. apt-get install ${wanted[*]}) or set TEST_DATABASE_URL / TEST_REDIS_URL yourself"
    return 1
  fi
  log "installing ${wanted[*]} from Debian packages"
  export DEBIAN_FRONTEND=noninteractive
  # Debian's postinst starts a system cluster/daemon where it can; policy-rc.d keeps it from
  # doing so (we start our own throwaway servers), and is removed again right after.
  local policy=/usr/sbin/policy-rc.d created_policy=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && created_policy=1
  fi
  local ok=0
  for attempt in 1 2; do
    if timeout 600 apt-get update -qq >&2 && timeout 900 apt-get install -y -qq --no-install-recommends "${wanted[@]}" >&2; then
      ok=1
      break
    fi
    log "apt-get failed (attempt $attempt)"
  done
  [ "$created_policy" = 1 ] && rm -f "$policy"
  [ "$ok" = 1 ]
}

# Runs a PostgreSQL binary as an unprivileged user: postgres refuses to run as root.
as_pg_user() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

start_postgres() {
  local bin
  bin="$(pg_bindir)" || { log "no PostgreSQL binaries found"; return 1; }
  if "$bin/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" 2>/dev/null; then
    log "postgres already running on 127.0.0.1:$PG_PORT"
    return 0
  fi
  mkdir -p "$DIR"
  chmod 755 "$DIR"
  if [ ! -s "$PG_DATA/PG_VERSION" ]; then
    rm -rf "$PG_DATA"
    mkdir -p "$PG_DATA"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$PG_DATA"
    # trust on loopback only: a throwaway test cluster, reachable from this machine alone.
    as_pg_user "$bin/initdb" -D "$PG_DATA" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 \
      || as_pg_user "$bin/initdb" -D "$PG_DATA" -U postgres --auth=trust --encoding=UTF8 --no-locale >"$DIR/initdb.log" 2>&1 \
      || { log "initdb failed: $(tail -5 "$DIR/initdb.log")"; return 1; }
  fi
  [ "$(id -u)" = 0 ] && chown -R postgres:postgres "$PG_DATA"
  # A stale pid file from a killed run would stop the start.
  if [ -f "$PG_DATA/postmaster.pid" ] && ! as_pg_user "$bin/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
    rm -f "$PG_DATA/postmaster.pid"
  fi
  touch "$DIR/postgres.log" && { [ "$(id -u)" != 0 ] || chown postgres:postgres "$DIR/postgres.log"; }
  as_pg_user "$bin/pg_ctl" -D "$PG_DATA" -l "$DIR/postgres.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DATA -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >&2 || { log "postgres did not start: $(tail -5 "$DIR/postgres.log")"; return 1; }
  log "postgres on 127.0.0.1:$PG_PORT (data in $PG_DATA)"
}

start_redis() {
  command -v redis-server >/dev/null 2>&1 || { log "no redis-server found"; return 1; }
  if redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1; then
    log "redis already running on 127.0.0.1:$REDIS_PORT"
    return 0
  fi
  mkdir -p "$REDIS_DIR"
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --protected-mode yes --daemonize yes \
    --dir "$REDIS_DIR" --pidfile "$REDIS_DIR/redis.pid" --logfile "$REDIS_DIR/redis.log" \
    --save '' --appendonly no >&2 || { log "redis-server did not start"; return 1; }
  for _ in $(seq 1 100); do
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1 && { log "redis on 127.0.0.1:$REDIS_PORT"; return 0; }
    sleep 0.1
  done
  log "redis did not answer: $(tail -5 "$REDIS_DIR/redis.log" 2>/dev/null)"
  return 1
}

print_env() {
  local bin
  if bin="$(pg_bindir 2>/dev/null)" && "$bin/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" 2>/dev/null; then
    echo "export TEST_DATABASE_URL=postgres://postgres@127.0.0.1:$PG_PORT/postgres"
  fi
  if command -v redis-cli >/dev/null 2>&1 && redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1; then
    echo "export TEST_REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0"
  fi
}

stop_all() {
  local bin
  if bin="$(pg_bindir 2>/dev/null)" && [ -f "$PG_DATA/postmaster.pid" ]; then
    as_pg_user "$bin/pg_ctl" -D "$PG_DATA" -m fast -w stop >&2 || true
  fi
  if command -v redis-cli >/dev/null 2>&1; then
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  fi
}

case "${1:-start}" in
  start)
    status=0
    install_missing || log "could not install every server; the tests that need a missing one will be skipped"
    start_postgres || status=1
    start_redis || status=1
    print_env
    exit $status
    ;;
  env) print_env ;;
  stop) stop_all ;;
  clean) stop_all; rm -rf "$DIR" ;;
  *) echo "usage: $0 start|env|stop|clean" >&2; exit 2 ;;
esac
