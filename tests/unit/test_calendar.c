/* test_calendar.c - schedule occurrences and calling windows (calendar.h,
 * execution spec §2-§3) on UTC, Asia/Kolkata and America/New_York across
 * both daylight-saving changes of 2026. */
#include "calendar.h"
#include "testutil.h"
#include "timefmt.h"

/* A campaign document with a schedule and, when zone is not NULL, calling
 * hours in that zone with the given windows (a JSON array text). */
static json_t *doc(const char *start, const char *end, const char *recurrence, const char *zone,
                   const char *days)
{
    char text[2048];
    snprintf(text, sizeof text,
             "{\"schedule\": {\"isSchedulingEnabled\": true, \"isRecurrenceEnabled\": true,"
             " \"startDateTime\": \"%s\", \"endDateTime\": \"%s\", \"recurrenceObject\": %s}",
             start, end, recurrence);
    if (zone != NULL)
        snprintf(text + strlen(text), sizeof text - strlen(text),
                 ", \"dialingStrategy\": {\"callingHours\": {\"frequency\": \"Daily\","
                 " \"timezone\": \"%s\", \"days\": %s}}",
                 zone,
                 days ? days : "[{\"day\": \"MO\", \"start\": \"9:00 AM\", \"end\": \"6:00 PM\"}]");
    strcat(text, "}");
    json_error_t err;
    json_t *d = json_loads(text, 0, &err);
    if (d == NULL)
        fail_msg("bad document in test: %s", err.text);
    return d;
}

#define DAILY(n) "{\"recurType\": \"Daily\", \"dailyDetails\": {\"onceEveryNdays\": " #n "}}"
#define WEEKLY(n, days)                                                                            \
    "{\"recurType\": \"Weekly\", \"weeklyDetails\": {\"onceEveryNweeks\": " #n                     \
    ", \"whichDays\": " days "}}"

static struct sched sched_doc(json_t *d)
{
    struct sched s;
    assert_int_equal(sched_of(d, &s), 0);
    json_decref(d);
    return s;
}

/* Every occurrence from `from`, in order, against want[]. */
static void expect_occurrences(const struct sched *s, const char *from, const char *const *want)
{
    int64_t t = ms_of(from);
    for (int i = 0; want[i]; i++) {
        int64_t got = sched_next(s, t);
        char g[TIMEFMT_LEN + 1] = "never";
        if (got != SCHED_NEVER)
            timefmt_format(got, g);
        if (got != ms_of(want[i]))
            fail_msg("occurrence %d: want %s, got %s", i, want[i], g);
        t = got + 1;
    }
}

static void test_daily_utc(void **state)
{
    (void)state;
    struct sched s = sched_doc(
        doc("2026-01-05T09:00:00.000Z", "2026-01-10T00:00:00.000Z", DAILY(1), NULL, NULL));
    const char *want[] = {"2026-01-05T09:00:00Z", "2026-01-06T09:00:00Z", "2026-01-07T09:00:00Z",
                          "2026-01-08T09:00:00Z", "2026-01-09T09:00:00Z", NULL};
    expect_occurrences(&s, "2025-12-01T00:00:00Z", want);
    assert_true(sched_next(&s, ms_of("2026-01-09T09:00:00.001Z")) == SCHED_NEVER);
    assert_true(sched_prev(&s, ms_of("2026-01-07T12:00:00Z")) == ms_of("2026-01-07T09:00:00Z"));
    assert_true(sched_prev(&s, ms_of("2026-01-07T09:00:00Z")) == ms_of("2026-01-07T09:00:00Z"));
    assert_true(sched_prev(&s, ms_of("2026-01-05T08:59:59Z")) == SCHED_NEVER);
    assert_true(sched_prev(&s, ms_of("2026-02-01T00:00:00Z")) == ms_of("2026-01-09T09:00:00Z"));
}

static void test_every_three_days_kolkata(void **state)
{
    (void)state;
    /* 09:00 IST = 03:30Z. */
    struct sched s = sched_doc(doc("2026-01-05T03:30:00.000Z", "2026-02-01T00:00:00.000Z", DAILY(3),
                                   "Asia/Kolkata", NULL));
    const char *want[] = {"2026-01-05T03:30:00Z", "2026-01-08T03:30:00Z", "2026-01-11T03:30:00Z",
                          "2026-01-14T03:30:00Z", NULL};
    expect_occurrences(&s, "2026-01-01T00:00:00Z", want);
    assert_true(sched_next(&s, ms_of("2026-01-06T00:00:00Z")) == ms_of("2026-01-08T03:30:00Z"));
    assert_true(sched_prev(&s, ms_of("2026-01-10T00:00:00Z")) == ms_of("2026-01-08T03:30:00Z"));
    assert_true(sched_next(&s, ms_of("2026-01-30T03:30:00.001Z")) == SCHED_NEVER);
}

/* 09:00 on New York's wall clock stays 09:00 across both changes. */
static void test_daily_new_york_across_dst(void **state)
{
    (void)state;
    struct sched s = sched_doc(doc("2026-03-06T14:00:00.000Z", "2026-12-01T00:00:00.000Z", DAILY(1),
                                   "America/New_York", NULL));
    const char *spring[] = {"2026-03-06T14:00:00Z", "2026-03-07T14:00:00Z", "2026-03-08T13:00:00Z",
                            "2026-03-09T13:00:00Z", NULL};
    expect_occurrences(&s, "2026-03-06T00:00:00Z", spring);
    const char *fall[] = {"2026-10-31T13:00:00Z", "2026-11-01T14:00:00Z", "2026-11-02T14:00:00Z",
                          NULL};
    expect_occurrences(&s, "2026-10-31T00:00:00Z", fall);
}

/* 02:30 does not exist on 2026-03-08 in New York: it happens at 03:00
 * EDT; 01:30 happens twice on 2026-11-01: the first (EDT) counts. */
static void test_new_york_gap_and_repeat(void **state)
{
    (void)state;
    struct sched gap = sched_doc(doc("2026-03-07T07:30:00.000Z", "2026-04-01T00:00:00.000Z",
                                     DAILY(1), "America/New_York", NULL));
    const char *g[] = {"2026-03-07T07:30:00Z", "2026-03-08T07:00:00Z", "2026-03-09T06:30:00Z",
                       NULL};
    expect_occurrences(&gap, "2026-03-01T00:00:00Z", g);
    struct sched rep = sched_doc(doc("2026-10-31T05:30:00.000Z", "2026-12-01T00:00:00.000Z",
                                     DAILY(1), "America/New_York", NULL));
    const char *r[] = {"2026-10-31T05:30:00Z", "2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z",
                       NULL};
    expect_occurrences(&rep, "2026-10-01T00:00:00Z", r);
    /* Weekly on Sundays at 02:30 from 2026-03-01: the 8th is in the gap. */
    struct sched wk = sched_doc(doc("2026-03-01T07:30:00.000Z", "2026-04-01T00:00:00.000Z",
                                    WEEKLY(1, "[\"Sun\"]"), "America/New_York", NULL));
    const char *w[] = {"2026-03-01T07:30:00Z", "2026-03-08T07:00:00Z", "2026-03-15T06:30:00Z",
                       NULL};
    expect_occurrences(&wk, "2026-02-01T00:00:00Z", w);
}

/* Every 2 weeks on Monday and Wednesday, from Wednesday 2026-01-07: week 0
 * is the one of Monday 2026-01-05, whose Monday is before S. */
static void test_weekly_every_two_weeks(void **state)
{
    (void)state;
    struct sched s = sched_doc(doc("2026-01-07T10:00:00.000Z", "2026-02-05T00:00:00.000Z",
                                   WEEKLY(2, "[\"Wed\", \"Mon\"]"), "UTC", NULL));
    const char *want[] = {"2026-01-07T10:00:00Z", "2026-01-19T10:00:00Z", "2026-01-21T10:00:00Z",
                          "2026-02-02T10:00:00Z", "2026-02-04T10:00:00Z", NULL};
    expect_occurrences(&s, "2026-01-01T00:00:00Z", want);
    assert_true(sched_next(&s, ms_of("2026-02-04T10:00:00.001Z")) == SCHED_NEVER);
    assert_true(sched_prev(&s, ms_of("2026-01-20T00:00:00Z")) == ms_of("2026-01-19T10:00:00Z"));
    assert_true(sched_prev(&s, ms_of("2026-01-18T00:00:00Z")) == ms_of("2026-01-07T10:00:00Z"));
    assert_true(sched_prev(&s, ms_of("2026-01-07T09:59:59Z")) == SCHED_NEVER);
}

/* next and prev agree with a brute-force walk minute by minute. */
static void test_against_brute_force(void **state)
{
    (void)state;
    struct sched s =
        sched_doc(doc("2026-02-25T07:15:00.000Z", "2026-03-25T00:00:00.000Z",
                      WEEKLY(1, "[\"Sun\", \"Tue\", \"Sat\"]"), "America/New_York", NULL));
    int64_t prev = SCHED_NEVER;
    for (int64_t t = ms_of("2026-02-20T00:00:00Z"); t < ms_of("2026-03-28T00:00:00Z");
         t += 15 * 60000) {
        int64_t p = sched_prev(&s, t);
        if (prev != SCHED_NEVER && p != prev)
            assert_true(p > prev && p <= t && sched_next(&s, prev + 1) == p);
        if (p != SCHED_NEVER) {
            assert_true(p <= t);
            int64_t n = sched_next(&s, p);
            assert_true(n == p);
            prev = p;
        }
    }
    assert_true(prev == ms_of("2026-03-24T06:15:00Z")); /* Tue 02:15 EDT */
}

static void test_schedules_that_never_fire(void **state)
{
    (void)state;
    struct sched s;
    json_t *d = json_loads("{\"schedule\": {\"isSchedulingEnabled\": true,"
                           " \"isRecurrenceEnabled\": true}}",
                           0, NULL);
    assert_int_equal(sched_of(d, &s), -1); /* imported: two booleans only */
    json_decref(d);
    d = doc("2026-01-05T09:00:00.000Z", "2026-01-10T00:00:00.000Z", DAILY(1), NULL, NULL);
    json_object_set_new(json_object_get(d, "schedule"), "isSchedulingEnabled", json_false());
    assert_int_equal(sched_of(d, &s), -1);
    json_decref(d);
    assert_int_equal(sched_of(NULL, &s), -1);
}

static struct hours hours_doc(const char *zone, const char *days)
{
    json_t *d = doc("2026-01-05T09:00:00.000Z", "2026-01-10T00:00:00.000Z", DAILY(1), zone, days);
    struct hours h;
    assert_int_equal(hours_of(d, &h), 1);
    json_decref(d);
    return h;
}

static void expect_open(const struct hours *h, const char *zone, const char *t, const char *want,
                        const char *want_until)
{
    int64_t until = 0;
    int64_t got = hours_next_open(h, zone ? tz_get(zone) : NULL, ms_of(t), &until);
    char g[TIMEFMT_LEN + 1] = "never";
    if (got != SCHED_NEVER)
        timefmt_format(got, g);
    if (got != ms_of(want))
        fail_msg("from %s: want open at %s, got %s", t, want, g);
    if (until != ms_of(want_until))
        fail_msg("from %s: want the window to end at %s", t, want_until);
}

static void test_calling_hours(void **state)
{
    (void)state;
    struct hours h = hours_doc("America/New_York", NULL); /* MO 9:00 AM - 6:00 PM */
    expect_open(&h, NULL, "2026-01-05T13:00:00Z", "2026-01-05T14:00:00Z", "2026-01-05T23:00:00Z");
    expect_open(&h, NULL, "2026-01-05T15:00:00Z", "2026-01-05T15:00:00Z", "2026-01-05T23:00:00Z");
    /* end is exclusive */
    expect_open(&h, NULL, "2026-01-05T23:00:00Z", "2026-01-12T14:00:00Z", "2026-01-12T23:00:00Z");
    /* the record's own zone */
    expect_open(&h, "Asia/Kolkata", "2026-01-05T00:00:00Z", "2026-01-05T03:30:00Z",
                "2026-01-05T12:30:00Z");
    expect_open(&h, "Asia/Kolkata", "2026-01-05T13:00:00Z", "2026-01-12T03:30:00Z",
                "2026-01-12T12:30:00Z");
    /* After the change a 9:00 AM window opens at 9:00 EDT. */
    expect_open(&h, NULL, "2026-03-09T00:00:00Z", "2026-03-09T13:00:00Z", "2026-03-09T22:00:00Z");
}

static void test_calling_hours_on_dst_days(void **state)
{
    (void)state;
    struct hours h = hours_doc("America/New_York",
                               "[{\"day\": \"SU\", \"start\": \"9:00 AM\", \"end\": \"10:00 AM\"},"
                               " {\"day\": \"SU\", \"start\": \"1:30 AM\", \"end\": \"2:30 AM\"}]");
    /* 2026-03-08: 1:30 EST = 06:30Z; 2:30 is in the gap, so the window ends at 03:00 EDT. */
    expect_open(&h, NULL, "2026-03-08T00:00:00Z", "2026-03-08T06:30:00Z", "2026-03-08T07:00:00Z");
    expect_open(&h, NULL, "2026-03-08T07:00:00Z", "2026-03-08T13:00:00Z", "2026-03-08T14:00:00Z");
    /* 2026-11-01: 1:30 EDT = 05:30Z to 2:30 EST = 07:30Z, two hours long. */
    expect_open(&h, NULL, "2026-11-01T00:00:00Z", "2026-11-01T05:30:00Z", "2026-11-01T07:30:00Z");
    expect_open(&h, NULL, "2026-11-01T08:00:00Z", "2026-11-01T14:00:00Z", "2026-11-01T15:00:00Z");
}

static void test_no_calling_hours(void **state)
{
    (void)state;
    struct hours h;
    json_t *d = json_loads("{\"name\": \"imported\"}", 0, NULL);
    assert_int_equal(hours_of(d, &h), 0);
    json_decref(d);
    d = doc("2026-01-05T09:00:00.000Z", "2026-01-10T00:00:00.000Z", DAILY(1), "Mars/Olympus", NULL);
    assert_int_equal(hours_of(d, &h), -1);
    json_decref(d);
    assert_int_equal(sched_clock_minutes("12:00 AM"), 0);
    assert_int_equal(sched_clock_minutes("12:30 PM"), 750);
    assert_int_equal(sched_clock_minutes("9:05 PM"), 1265);
    assert_int_equal(sched_clock_minutes("13:00 PM"), -1);
    assert_int_equal(sched_clock_minutes("9:00"), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_daily_utc),
        cmocka_unit_test(test_every_three_days_kolkata),
        cmocka_unit_test(test_daily_new_york_across_dst),
        cmocka_unit_test(test_new_york_gap_and_repeat),
        cmocka_unit_test(test_weekly_every_two_weeks),
        cmocka_unit_test(test_against_brute_force),
        cmocka_unit_test(test_schedules_that_never_fire),
        cmocka_unit_test(test_calling_hours),
        cmocka_unit_test(test_calling_hours_on_dst_days),
        cmocka_unit_test(test_no_calling_hours),
    };
    return unit_run(tests);
}
