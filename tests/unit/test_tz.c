/* test_tz.c - time zones from the host's tz database (tz.h) and the clock
 * of execution spec §1 (timefmt_clock_init). */
#include <time.h>

#include "testutil.h"
#include "timefmt.h"
#include "tz.h"

/* A wall-clock time written as if it were UTC. */
#define LOCAL(s) ms_of(s "Z")

static const struct tz *zone(const char *name)
{
    const struct tz *z = tz_get(name);
    if (z == NULL)
        fail_msg("zone %s not found", name);
    return z;
}

static void test_offsets_in_the_table(void **state)
{
    (void)state;
    const struct tz *ny = zone("America/New_York");
    assert_int_equal(tz_offset(ny, ms_of("2026-01-15T12:00:00Z")), -18000);
    assert_int_equal(tz_offset(ny, ms_of("2026-07-01T12:00:00Z")), -14400);
    /* Spring forward at 02:00 EST = 07:00Z on 2026-03-08. */
    assert_int_equal(tz_offset(ny, ms_of("2026-03-08T06:59:59.999Z")), -18000);
    assert_int_equal(tz_offset(ny, ms_of("2026-03-08T07:00:00Z")), -14400);
    /* Fall back at 02:00 EDT = 06:00Z on 2026-11-01. */
    assert_int_equal(tz_offset(ny, ms_of("2026-11-01T05:59:59Z")), -14400);
    assert_int_equal(tz_offset(ny, ms_of("2026-11-01T06:00:00Z")), -18000);
    assert_int_equal(tz_offset(zone("Asia/Kolkata"), ms_of("2026-03-08T07:00:00Z")), 19800);
    assert_int_equal(tz_offset(zone("UTC"), ms_of("2026-03-08T07:00:00Z")), 0);
    /* Before the first transition: local mean time of New York. */
    assert_int_equal(tz_offset(ny, ms_of("1850-01-01T00:00:00Z")), -17762);
}

/* After the table's last transition the footer's POSIX rule applies. */
static void test_offsets_from_the_rule(void **state)
{
    (void)state;
    const struct tz *ny = zone("America/New_York");
    /* 2040: second Sunday of March is the 11th, first of November the 4th. */
    assert_int_equal(tz_offset(ny, ms_of("2040-03-11T06:59:59Z")), -18000);
    assert_int_equal(tz_offset(ny, ms_of("2040-03-11T07:00:00Z")), -14400);
    assert_int_equal(tz_offset(ny, ms_of("2040-11-04T05:59:59Z")), -14400);
    assert_int_equal(tz_offset(ny, ms_of("2040-11-04T06:00:00Z")), -18000);
    /* The southern hemisphere: daylight time spans the new year. */
    const struct tz *syd = zone("Australia/Sydney");
    assert_int_equal(tz_offset(syd, ms_of("2045-01-15T00:00:00Z")), 39600);
    assert_int_equal(tz_offset(syd, ms_of("2045-07-15T00:00:00Z")), 36000);
    assert_int_equal(tz_offset(zone("Asia/Kolkata"), ms_of("2090-06-01T00:00:00Z")), 19800);
}

static void test_local_round_trip(void **state)
{
    (void)state;
    const struct tz *ny = zone("America/New_York");
    assert_int_equal(tz_to_local(ny, ms_of("2026-01-05T14:00:00Z")), LOCAL("2026-01-05T09:00:00"));
    assert_int_equal(tz_from_local(ny, LOCAL("2026-01-05T09:00:00")),
                     ms_of("2026-01-05T14:00:00Z"));
    assert_int_equal(tz_from_local(ny, LOCAL("2026-07-05T09:00:00")),
                     ms_of("2026-07-05T13:00:00Z"));
    assert_int_equal(tz_from_local(zone("Asia/Kolkata"), LOCAL("2026-01-05T09:00:00")),
                     ms_of("2026-01-05T03:30:00Z"));
    /* Every minute of a year maps back to itself outside the changes. */
    for (int64_t t = ms_of("2026-01-01T00:00:00Z"); t < ms_of("2027-01-01T00:00:00Z");
         t += 3600000 + 60000) {
        int64_t l = tz_to_local(ny, t);
        int64_t back = tz_from_local(ny, l);
        if (back != t)
            assert_true(tz_to_local(ny, back) == l); /* the other of a repeated hour */
    }
}

/* A local time skipped by spring forward happens at the first instant
 * after the gap; one repeated by fall back at the first of the two. */
static void test_gap_and_overlap(void **state)
{
    (void)state;
    const struct tz *ny = zone("America/New_York");
    assert_int_equal(tz_from_local(ny, LOCAL("2026-03-08T02:30:00")),
                     ms_of("2026-03-08T07:00:00Z"));
    assert_int_equal(tz_from_local(ny, LOCAL("2026-03-08T02:00:00")),
                     ms_of("2026-03-08T07:00:00Z"));
    assert_int_equal(tz_from_local(ny, LOCAL("2026-03-08T03:00:00")),
                     ms_of("2026-03-08T07:00:00Z"));
    assert_int_equal(tz_from_local(ny, LOCAL("2026-03-08T01:59:59")),
                     ms_of("2026-03-08T06:59:59Z"));
    assert_int_equal(tz_from_local(ny, LOCAL("2026-11-01T01:30:00")),
                     ms_of("2026-11-01T05:30:00Z"));
    assert_int_equal(tz_from_local(ny, LOCAL("2026-11-01T02:00:00")),
                     ms_of("2026-11-01T07:00:00Z"));
    /* The same from the rule, past the table. */
    assert_int_equal(tz_from_local(ny, LOCAL("2040-03-11T02:30:00")),
                     ms_of("2040-03-11T07:00:00Z"));
    assert_int_equal(tz_from_local(ny, LOCAL("2040-11-04T01:30:00")),
                     ms_of("2040-11-04T05:30:00Z"));
}

static void test_unknown_and_unsafe_names(void **state)
{
    (void)state;
    const char *bad[] = {
        "",        "Mars/Olympus",     "../etc/passwd", "/etc/passwd", "America/../UTC",
        "America", "America/New York", "UTC\n",         "zone.tab",    NULL};
    for (int i = 0; bad[i]; i++)
        if (tz_get(bad[i]) != NULL)
            fail_msg("tz_get accepted \"%s\"", bad[i]);
    assert_null(tz_get(NULL));
    char longname[80];
    memset(longname, 'A', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    assert_null(tz_get(longname));
    /* The same name twice is the same zone. */
    assert_ptr_equal(tz_get("Europe/Paris"), tz_get("Europe/Paris"));
}

/* The clock: start + rate x real time elapsed, never backwards. */
static void test_clock(void **state)
{
    (void)state;
    int64_t start = ms_of("2030-01-01T00:00:00Z");
    timefmt_clock_init(start, 1000);
    int64_t a = timefmt_now_ms();
    assert_true(a >= start && a < start + 60000);
    struct timespec nap = {0, 50 * 1000 * 1000};
    nanosleep(&nap, NULL);
    int64_t b = timefmt_now_ms();
    /* 50 ms of real time is at least 50 s of clock time. */
    assert_true(b - a >= 50000);
    assert_true(b - a < 50000 + 5 * 60000);
    int64_t prev = b;
    for (int i = 0; i < 10000; i++) {
        int64_t t = timefmt_now_ms();
        assert_true(t >= prev);
        prev = t;
    }
    assert_true(timefmt_clock_rate() == 1000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_offsets_in_the_table),
        cmocka_unit_test(test_offsets_from_the_rule),
        cmocka_unit_test(test_local_round_trip),
        cmocka_unit_test(test_gap_and_overlap),
        cmocka_unit_test(test_unknown_and_unsafe_names),
        cmocka_unit_test(test_clock),
    };
    return unit_run(tests);
}
