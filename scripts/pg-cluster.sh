#!/bin/sh
# A throwaway PostgreSQL cluster for the tests, on 127.0.0.1 only:
#   scripts/pg-cluster.sh start DIR PORT   initdb (first time) and start
#   scripts/pg-cluster.sh stop DIR         fast shutdown
#   scripts/pg-cluster.sh restart DIR      start again after a stop
# The superuser is "postgres" with trust authentication on loopback; the
# Unix socket lives in DIR.  As root, the server runs as the postgres user
# (initdb refuses root).  fsync is off: the cluster is disposable, and a
# stop is still clean, so no acknowledged write is lost across one.
set -eu
cmd=$1
dir=$2
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bindir" ] || { echo "pg-cluster: PostgreSQL server binaries not found" >&2; exit 1; }
if [ "$(id -u)" -eq 0 ]; then
    as_pg() { runuser -u postgres -- "$@"; }
else
    as_pg() { "$@"; }
fi
case "$cmd" in
start)
    port=$3
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
    echo "$port" >"$dir/port"
    if [ ! -d "$dir/data" ]; then
        as_pg "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
            >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=400" \
        start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    ;;
restart)
    port=$(cat "$dir/port")
    as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=400" \
        start >/dev/null
    ;;
stop)
    as_pg "$bindir/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null
    ;;
*)
    echo "usage: $0 start DIR PORT | stop DIR | restart DIR" >&2
    exit 2
    ;;
esac
