#!/bin/sh
# The documented SMS list request with wrk (2 threads, 32 connections,
# loopback) against the SQLite and the PostgreSQL back ends in the same run,
# on the same data (the demo tenant), with the release build.  Prints both
# rates and their ratio.  PostgreSQL is a throwaway cluster started and
# removed here (scripts/pg-cluster.sh).
#   bench/backends.sh [SECONDS]      (default 10 per back end)
set -eu
cd "$(dirname "$0")/.."
secs="${1:-10}"
scripts/deps.sh wrk postgresql postgresql-client
[ -x ./campaignd ] || make campaignd
work=$(mktemp -d /tmp/campaignd-bench.XXXXXX)
chmod 755 "$work"  # the cluster runs as the postgres user when we are root
pids=""
cleanup() {
    for p in $pids; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
    scripts/pg-cluster.sh stop "$work/pg" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
freeport() {
    /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
pgport=$(freeport)
scripts/pg-cluster.sh start "$work/pg" "$pgport"
psql "postgresql://postgres@127.0.0.1:$pgport/postgres" -qAtX -c "CREATE DATABASE bench"

# start NAME DBURL: serve the demo tenant, wait for its credentials
start() {
    ./campaignd serve --demo --listen 127.0.0.1:0 --db "$2" --no-access-log --log-level warn \
        >"$work/$1.out" 2>"$work/$1.err" &
    pids="$pids $!"
    i=0
    while ! grep -q '^TOKEN=' "$work/$1.out" 2>/dev/null; do
        i=$((i + 1)); [ $i -gt 100 ] && { cat "$work/$1.err"; exit 1; }; sleep 0.1
    done
}
run() {
    port=$(sed -n "s#^curl --location 'http://127.0.0.1:\([0-9]*\)/.*#\1#p" "$work/$1.out")
    TOKEN=$(sed -n 's/^TOKEN=//p' "$work/$1.out") \
    ACCOUNT=$(sed -n 's/^  accountId: *//p' "$work/$1.out") \
    STREAM=$(sed -n 's/^  streamId: *//p' "$work/$1.out") \
        wrk -t2 -c32 -d"${secs}s" -s bench/list.lua "http://127.0.0.1:$port/" >"$work/$1.wrk"
    grep -q 'non-200 responses: 0' "$work/$1.wrk" || { cat "$work/$1.wrk"; exit 1; }
    awk '/^Requests\/sec/ {print $2}' "$work/$1.wrk"
}
start sqlite "$work/bench.db"
start pg "postgresql://postgres@127.0.0.1:$pgport/bench"
s=$(run sqlite)
p=$(run pg)
echo "documented SMS list request, 32 connections, ${secs}s each"
echo "sqlite:     $s req/s"
echo "postgresql: $p req/s"
echo "postgresql/sqlite ratio: $(awk -v a="$p" -v b="$s" 'BEGIN {printf "%.3f", a / b}')"
