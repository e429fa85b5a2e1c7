#!/bin/sh
# Measures the documented SMS list request against GET /healthz in the same
# run, on loopback, with wrk (32 connections, bounded duration), using the
# release build and the demo tenant.  Prints both rates and their ratio.
#   bench/run.sh [SECONDS]      (default 10 per endpoint)
set -eu
cd "$(dirname "$0")/.."
secs="${1:-10}"
scripts/deps.sh wrk
[ -x ./campaignd ] || make campaignd
dir=$(mktemp -d)
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$dir"' EXIT
./campaignd serve --demo --listen 127.0.0.1:0 --db "$dir/bench.db" --no-access-log \
    --log-level warn >"$dir/out" 2>"$dir/err" &
pid=$!
i=0
while ! grep -q '^TOKEN=' "$dir/out" 2>/dev/null; do
    i=$((i + 1)); [ $i -gt 100 ] && { cat "$dir/err"; exit 1; }; sleep 0.1
done
port=$(sed -n "s#^curl --location 'http://127.0.0.1:\([0-9]*\)/.*#\1#p" "$dir/out")
export TOKEN=$(sed -n 's/^TOKEN=//p' "$dir/out")
export ACCOUNT=$(sed -n 's/^  accountId: *//p' "$dir/out")
export STREAM=$(sed -n 's/^  streamId: *//p' "$dir/out")
url="http://127.0.0.1:$port"

# Check the request succeeds before measuring it.
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "auth: $TOKEN" -H "accountid: $ACCOUNT" \
    -H "iid: $STREAM" -H 'Content-Type: application/json' \
    -d '{"type":"sms","limit":50}' \
    "$url/campaign/api/v2/public/$STREAM/campaign/getAllCampaignDetails?accountId=$ACCOUNT")
[ "$code" = 200 ] || { echo "list request answered $code"; exit 1; }

wrk -t2 -c32 -d"${secs}s" --latency "$url/healthz" >"$dir/health.txt"
wrk -t2 -c32 -d"${secs}s" --latency -s bench/list.lua "$url/" >"$dir/list.txt"
h=$(awk '/^Requests\/sec/ {print $2}' "$dir/health.txt")
l=$(awk '/^Requests\/sec/ {print $2}' "$dir/list.txt")
echo "== GET /healthz";  grep -E 'Latency|Requests/sec|Non-2xx' "$dir/health.txt" | head -3
echo "== POST getAllCampaignDetails (documented SMS request, 7 results)"
grep -E 'Latency|Requests/sec|Non-2xx|non-200' "$dir/list.txt" | head -4
echo "healthz: $h req/s; list: $l req/s; list/healthz ratio: $(awk -v a="$l" -v b="$h" 'BEGIN {printf "%.3f", a / b}')"
