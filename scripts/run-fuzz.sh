#!/bin/sh
# Runs libFuzzer targets for a bounded time (make fuzz calls it):
#   scripts/run-fuzz.sh SECONDS build/fuzz/fuzz_NAME...
# Each target fuzzes for SECONDS (-max_total_time) starting from its seed
# corpus fuzz/corpus/fuzz_NAME/, under a hard timeout, and prints the number
# of executions libFuzzer reports (stat::number_of_executed_units).  New
# inputs are written under build/fuzz/run/fuzz_NAME/ and then merged into the
# corpus (-merge=1 keeps only inputs that add coverage) unless the corpus
# would grow past FUZZ_CORPUS_MAX files (default 300).  Crash, leak and
# timeout artifacts stay in build/fuzz/run/fuzz_NAME/artifacts/, never in the
# corpus.  The summary gives each target's executions and final coverage
# (libFuzzer's cov: and ft: counters) and the total executions.  The exit
# status is non-zero when any target failed.
set -u
cd "$(dirname "$0")/.."

usage() {
    echo "usage: $0 SECONDS FUZZ_BINARY..." >&2
    exit 2
}
[ $# -ge 2 ] || usage
secs=$1
shift
case $secs in '' | *[!0-9]*) usage ;; esac
[ "$secs" -gt 0 ] || usage
corpus_max=${FUZZ_CORPUS_MAX:-300}
max_len=${FUZZ_MAX_LEN:-16384}
hard_limit=$((secs + 120)) # libFuzzer stops itself; this is the backstop

count_files() {
    find "$1" -maxdepth 1 -type f | wc -l | tr -d ' '
}

failed=0
summary=""
total_execs=0
for bin in "$@"; do
    name=$(basename "$bin")
    corpus=fuzz/corpus/$name
    work=build/fuzz/run/$name
    if [ ! -x "$bin" ]; then
        echo "== $name: $bin is not an executable" >&2
        failed=1
        summary="$summary
$name: not built"
        continue
    fi
    if [ ! -d "$corpus" ] || [ "$(count_files "$corpus")" -eq 0 ]; then
        echo "== $name: no seed corpus in $corpus" >&2
        failed=1
        summary="$summary
$name: no seed corpus"
        continue
    fi
    rm -rf "$work"
    mkdir -p "$work/new" "$work/artifacts"
    before=$(count_files "$corpus")
    echo "== fuzz: $name for ${secs}s (seed corpus: $before files)"
    timeout -k 10 "$hard_limit" "$bin" -max_total_time="$secs" -print_final_stats=1 \
        -timeout=10 -rss_limit_mb=2048 -max_len="$max_len" \
        -artifact_prefix="$work/artifacts/" "$work/new" "$corpus" >"$work/fuzz.log" 2>&1
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *\([0-9][0-9]*\).*/\1/p' "$work/fuzz.log" |
        tail -n 1)
    if [ $rc -ne 0 ] || [ -z "$execs" ]; then
        failed=1
        echo "== $name: FAILED (exit $rc); the end of $work/fuzz.log:" >&2
        tail -n 40 "$work/fuzz.log" >&2
        ls "$work/artifacts" 2>/dev/null | sed 's/^/   artifact: /' >&2
        summary="$summary
$name: FAILED (exit $rc) after ${execs:-?} executions; see $work/"
        continue
    fi
    # Keep what adds coverage, if the corpus stays small.
    added=0
    if [ "$(count_files "$work/new")" -gt 0 ]; then
        mkdir -p "$work/merged"
        cp "$corpus"/* "$work/merged/"
        if timeout -k 10 "$hard_limit" "$bin" -merge=1 -timeout=10 -rss_limit_mb=2048 \
            -max_len="$max_len" "$work/merged" "$work/new" >"$work/merge.log" 2>&1; then
            total=$(count_files "$work/merged")
            if [ "$total" -le "$corpus_max" ]; then
                for f in "$work/merged"/*; do
                    [ -e "$corpus/${f##*/}" ] || cp "$f" "$corpus/"
                done
                added=$((total - before))
            else
                echo "== $name: not merging: the corpus would hold $total files (> $corpus_max)"
            fi
        else
            echo "== $name: merge failed; see $work/merge.log" >&2
        fi
    fi
    cov=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$work/fuzz.log" | tail -n 1)
    total_execs=$((total_execs + execs))
    echo "$name: $execs executions in ${secs}s, $cov, corpus $before -> $((before + added)) files"
    summary="$summary
$name: $execs executions, $cov"
done

echo "== fuzz summary (stat::number_of_executed_units):$summary
total: $total_execs executions"
exit $failed
