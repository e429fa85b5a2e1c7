#!/bin/sh
# Runs the test suites against the sanitized build (make test builds it):
#   unit      cmocka binaries build/san/test_*
#   layers    scripts/check-layers.py on the objects of build/san
#   fuzz      replays every file of fuzz/corpus/<target>/ through its target
#   blackbox  pytest on tests/blackbox against build/san/campaignd, once on
#             SQLite and once on a throwaway PostgreSQL cluster (pg: that one only)
# With an argument, runs only that suite.  The last line is the total,
# "N passed, M failed", which CI reads; the exit status is non-zero on any
# failure.
set -u
cd "$(dirname "$0")/.."
only="${1:-all}"
passed=0
failed=0
skipped=0
skips=""
blackbox_ran=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

if [ "$only" = all ] || [ "$only" = unit ]; then
    for t in build/san/test_*; do
        [ -x "$t" ] || continue
        echo "== unit: $t"
        "$t" >"$log" 2>&1
        rc=$?
        cat "$log"
        p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
        f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
        passed=$((passed + ${p:-0}))
        failed=$((failed + ${f:-0}))
        if [ $rc -ne 0 ] && [ -z "$f" ]; then failed=$((failed + 1)); fi
    done
fi

# The layers only call downward (scripts/check-layers.py), and the checker
# itself still catches an upward call and a cycle.
if [ "$only" = all ] || [ "$only" = layers ]; then
    for args in --self-test build/san; do
        echo "== layers: check-layers.py $args"
        if /usr/bin/python3 scripts/check-layers.py $args; then
            passed=$((passed + 1))
        else
            failed=$((failed + 1))
        fi
    done
fi

if [ "$only" = all ] || [ "$only" = fuzz ]; then
    for r in build/san/replay_fuzz_*; do
        [ -x "$r" ] || continue
        name=${r#build/san/replay_}
        echo "== fuzz corpus replay: $name"
        if "$r" "fuzz/corpus/$name"; then
            passed=$((passed + 1))
        else
            failed=$((failed + 1))
        fi
    done
fi

# One pytest run; adds its counts to the totals.  Extra env assignments as args.
blackbox() {
    echo "== black-box ($1): pytest tests/blackbox"
    name=$1
    shift
    blackbox_ran=1
    # -rs: every skip is listed with its reason.
    env "$@" CAMPAIGND_BIN="$PWD/build/san/campaignd" /usr/bin/python3 -m pytest -q -rs \
        -p no:cacheprovider tests/blackbox 2>&1 | tee "$log"
    k=$(tail -n 1 "$log" | grep -Eo '[0-9]+ skipped' | grep -Eo '[0-9]+')
    skipped=$((skipped + ${k:-0}))
    skips="$skips ${k:-0} $name,"
    p=$(grep -Eo '[0-9]+ passed' "$log" | tail -n 1 | grep -Eo '[0-9]+')
    f=$(tail -n 1 "$log" | grep -Eo '[0-9]+ (failed|errors?)' | awk '{s += $1} END {print s + 0}')
    if ! grep -Eq '[0-9]+ passed' "$log" && [ "$f" -eq 0 ]; then f=1; fi
    passed=$((passed + ${p:-0}))
    failed=$((failed + ${f:-0}))
}

if [ "$only" = all ] || [ "$only" = blackbox ]; then
    blackbox sqlite
fi

# The same suite on PostgreSQL: a throwaway cluster on a free loopback port,
# created and removed by this run.
if [ "$only" = all ] || [ "$only" = blackbox ] || [ "$only" = pg ]; then
    pgdir=$(mktemp -d /tmp/campaignd-pg.XXXXXX)
    port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    trap 'scripts/pg-cluster.sh stop "$pgdir" >/dev/null 2>&1; rm -rf "$pgdir" "$log"' EXIT
    if scripts/pg-cluster.sh start "$pgdir" "$port"; then
        blackbox postgresql CAMPAIGND_TEST_PG="postgresql://postgres@127.0.0.1:$port" \
            CAMPAIGND_TEST_PG_DIR="$pgdir"
        scripts/pg-cluster.sh stop "$pgdir" || true
    else
        echo "could not start the PostgreSQL test cluster"
        failed=$((failed + 1))
    fi
fi

# Skips are counted on the line before the total, which keeps the plain
# "N passed, M failed" form CI reads; only pytest skips, so only when a
# black-box suite ran.
if [ "$blackbox_ran" -eq 1 ]; then
    echo "$skipped skipped (black-box:${skips%,}; reasons above, pytest -rs)"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
