#!/bin/sh
# Runs the black-box suite's concurrency tests against the ThreadSanitizer
# build (make tsan builds build/tsan/campaignd), once on SQLite and once on a
# throwaway PostgreSQL cluster (where test_pg.py's two-node races run).
#
# Every campaignd process the tests start (servers and CLI commands) runs
# with TSAN_OPTIONS halt_on_error=1: the first report stops it with exit
# status 66, and TSan writes it to $TSAN_DIR/tsan.<pid>, not to the stderr
# the tests read.  A run with any report fails, whatever pytest said, and the
# reports are printed.  The last line is "N passed, M failed" as in
# run-tests.sh; a report counts as a failure.
#
# The selection (override with TSAN_FILES / TSAN_K; TSAN_BIN another binary,
# e.g. one with a race planted to see the run fail): the tests that send
# requests from several threads at once or while the server stops, the
# listing cache and rate limiter shared by the worker threads, and
# test_auth.py whole (the remembered-token cache, many tenants); the
# listener's connection table under idle, full and draining servers, and
# the token cache forgetting on revoke and rotate.
set -u
cd "$(dirname "$0")/.."
bin="${TSAN_BIN:-$PWD/build/tsan/campaignd}"
files="${TSAN_FILES:-tests/blackbox/test_robustness.py tests/blackbox/test_family_model.py
       tests/blackbox/test_scale.py tests/blackbox/test_auth.py tests/blackbox/test_pg.py
       tests/blackbox/test_hardening.py tests/blackbox/test_credentials.py
       tests/blackbox/test_runs.py tests/blackbox/test_runs_nodes.py
       tests/blackbox/test_webhook.py tests/blackbox/test_metrics.py
       tests/blackbox/test_systemd.py}"
k="${TSAN_K:-concurrent or sigterm or signals or rate_limit or while_serving or parallel or
       cache or test_auth.py or two_nodes or name_race or oldest_idle or over_half or
       drain or full_of_busy or per_address or revoke or rotate or test_runs.py or
       two_nodes_share or test_webhook.py or test_metrics.py or test_systemd.py}"
k=$(printf '%s' "$k" | tr -s ' \n' ' ')

if [ ! -x "$bin" ]; then
    echo "run-tsan: $bin not built (make tsan)"
    exit 2
fi

passed=0
failed=0
reports=0
log=$(mktemp)
tsan_dir=$(mktemp -d /tmp/campaignd-tsan.XXXXXX)
pgdir=""
cleanup() {
    if [ -n "$pgdir" ]; then
        scripts/pg-cluster.sh stop "$pgdir" >/dev/null 2>&1
        rm -rf "$pgdir"
    fi
    rm -rf "$log" "$tsan_dir"
}
trap cleanup EXIT

export TSAN_OPTIONS="halt_on_error=1:exitcode=66:second_deadlock_stack=1:log_path=$tsan_dir/tsan"

# One pytest run of the selection; adds its counts and its reports.
run() {
    name=$1
    shift
    echo "== tsan ($name): pytest -k '$k'"
    # shellcheck disable=SC2086 # files is a list
    env "$@" CAMPAIGND_BIN="$bin" /usr/bin/python3 -m pytest -q -rs -p no:cacheprovider \
        $files -k "$k" 2>&1 | tee "$log"
    p=$(grep -Eo '[0-9]+ passed' "$log" | tail -n 1 | grep -Eo '[0-9]+')
    f=$(tail -n 1 "$log" | grep -Eo '[0-9]+ (failed|errors?)' | awk '{s += $1} END {print s + 0}')
    if ! grep -Eq '[0-9]+ passed' "$log" && [ "$f" -eq 0 ]; then f=1; fi
    passed=$((passed + ${p:-0}))
    failed=$((failed + ${f:-0}))
    n=0
    for r in "$tsan_dir"/tsan.*; do
        [ -f "$r" ] || continue
        echo "== ThreadSanitizer report ($name): $(basename "$r")"
        cat "$r"
        c=$(grep -c '^WARNING: ThreadSanitizer' "$r")
        [ "$c" -gt 0 ] || c=1 # a FATAL or other output counts once
        n=$((n + c))
        rm -f "$r"
    done
    echo "== tsan ($name): $n ThreadSanitizer report(s)"
    reports=$((reports + n))
}

run sqlite

pgdir=$(mktemp -d /tmp/campaignd-pg.XXXXXX)
port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
if scripts/pg-cluster.sh start "$pgdir" "$port"; then
    run postgresql CAMPAIGND_TEST_PG="postgresql://postgres@127.0.0.1:$port" \
        CAMPAIGND_TEST_PG_DIR="$pgdir"
    scripts/pg-cluster.sh stop "$pgdir" || true
else
    echo "could not start the PostgreSQL test cluster"
    failed=$((failed + 1))
fi

echo "$reports ThreadSanitizer report(s)"
failed=$((failed + reports))
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
