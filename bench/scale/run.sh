#!/bin/sh
# make bench-scale: Get All Campaigns at scale (GitHub issue 7).  Installs the
# Debian packages it needs (wrk, nginx, GNU time, PostgreSQL when that back
# end is measured), builds the release binary if it is missing, then runs
# bench/scale/bench.py with Debian's /usr/bin/python3 (standard library
# only).  Knobs: SCALE_* environment variables, see bench/scale/README.md.
set -eu
cd "$(dirname "$0")/../.."
pkgs="wrk nginx time"
case "${SCALE_BACKENDS:-sqlite postgresql}" in
*postgresql*) pkgs="$pkgs postgresql postgresql-client" ;;
esac
# shellcheck disable=SC2086
scripts/deps.sh $pkgs
[ -x ./campaignd ] || make campaignd
exec /usr/bin/python3 bench/scale/bench.py "$@"
