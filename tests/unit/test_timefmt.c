/* test_timefmt.c - RFC 3339 parsing and formatting (timefmt.h, contract §3, §4). */
#include <time.h>

#include "testutil.h"
#include "timefmt.h"

#define MS_MIN (-62167219200000LL)  /* 0000-01-01T00:00:00.000Z */
#define MS_MAX 253402300799999LL    /* 9999-12-31T23:59:59.999Z */
#define SENTINEL 0x5a5a5a5a5a5aLL

/* Parses s from an exactly sized heap copy (no NUL), so ASan reports any
 * read past len. */
static int parse_exact(const char *s, size_t len, int64_t *ms)
{
    char *copy = exact_copy(s, len);
    int rc = timefmt_parse(copy, len, ms);
    free(copy);
    return rc;
}

static int64_t ok(const char *s)
{
    int64_t ms = SENTINEL;
    int rc = parse_exact(s, strlen(s), &ms);
    if (rc != 0)
        fail_msg("timefmt_parse rejected \"%s\"", s);
    return ms;
}

static void bad(const char *s)
{
    int64_t ms = SENTINEL;
    int rc = parse_exact(s, strlen(s), &ms);
    if (rc != -1)
        fail_msg("timefmt_parse accepted \"%s\" as %lld", s, (long long)ms);
    assert_int_equal(ms, SENTINEL); /* untouched on failure */
}

static void assert_formats(int64_t ms, const char *want)
{
    char buf[TIMEFMT_LEN + 1];
    memset(buf, '#', sizeof buf);
    timefmt_format(ms, buf);
    assert_int_equal(strlen(buf), TIMEFMT_LEN);
    assert_string_equal(buf, want);
}

static void test_known_instants(void **state)
{
    (void)state;
    assert_int_equal(ok("1970-01-01T00:00:00Z"), 0);
    assert_int_equal(ok("1970-01-01T00:00:00.000Z"), 0);
    assert_int_equal(ok("2025-12-08T09:17:21.090Z"), 1765185441090LL);
    assert_int_equal(ok("2025-12-01T00:00:00.000Z"), 1764547200000LL);
    assert_int_equal(ok("2000-02-29T12:34:56.789Z"), 951827696789LL);
    assert_int_equal(ok("1969-12-31T23:59:59.999Z"), -1);
}

static void test_bare_date_is_midnight_utc(void **state)
{
    (void)state;
    assert_int_equal(ok("2025-12-01"), 1764547200000LL);
    assert_int_equal(ok("2025-12-01"), ok("2025-12-01T00:00:00.000Z"));
    assert_int_equal(ok("1970-01-01"), 0);
    assert_int_equal(ok("1969-12-31"), -86400000LL);
    assert_int_equal(ok("2024-02-29"), 1709164800000LL);
    assert_int_equal(ok("0000-01-01"), MS_MIN);
    assert_int_equal(ok("9999-12-31"), MS_MAX - 86399999LL);
}

static void test_round_trips(void **state)
{
    (void)state;
    static const char *const canon[] = {
        "2025-12-08T09:17:21.090Z", "2025-12-08T07:19:58.279Z", "2025-12-04T09:51:08.181Z",
        "1970-01-01T00:00:00.000Z", "1969-12-31T23:59:59.999Z", "2000-02-29T23:59:59.999Z",
        "2024-02-29T00:00:00.001Z", "1900-03-01T00:00:00.000Z", "0000-01-01T00:00:00.000Z",
        "0000-02-29T12:00:00.500Z", "9999-12-31T23:59:59.999Z", "2038-01-19T03:14:08.000Z",
        "1600-12-31T23:59:59.000Z",
    };
    for (size_t i = 0; i < sizeof canon / sizeof canon[0]; i++) {
        int64_t ms = ok(canon[i]);
        assert_formats(ms, canon[i]);
    }
    /* Instants -> text -> instants. */
    static const int64_t instants[] = {0, 1, -1, 999, -999, 86399999, -86400000, -86400001,
                                       MS_MIN, MS_MIN + 1, MS_MAX, MS_MAX - 1, 1765185441090LL};
    for (size_t i = 0; i < sizeof instants / sizeof instants[0]; i++) {
        char buf[TIMEFMT_LEN + 1];
        timefmt_format(instants[i], buf);
        assert_int_equal(ok(buf), instants[i]);
    }
}

/* Formatting agrees with glibc's gmtime_r (proleptic Gregorian, any year)
 * over the whole range, and parsing gives the instant back. */
static void test_format_matches_gmtime(void **state)
{
    (void)state;
    uint64_t x = 88172645463325252ULL; /* xorshift: deterministic spread */
    for (int i = 0; i < 20000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        int64_t ms = MS_MIN + (int64_t)(x % (uint64_t)(MS_MAX - MS_MIN + 1));
        if (i < 4)
            ms = (int64_t[]){MS_MIN, MS_MAX, 0, -1}[i];
        int64_t sec = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
        int64_t frac = ms - sec * 1000;
        time_t t = (time_t)sec;
        struct tm tm;
        assert_non_null(gmtime_r(&t, &tm));
        char want[64];
        snprintf(want, sizeof want, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)frac);
        assert_formats(ms, want);
        assert_int_equal(ok(want), ms);
    }
}

static void test_offsets(void **state)
{
    (void)state;
    int64_t utc = ok("2025-12-01T00:00:00Z");
    assert_int_equal(ok("2025-12-01T05:30:00+05:30"), utc);
    assert_int_equal(ok("2025-11-30T16:00:00-08:00"), utc);
    assert_int_equal(ok("2025-12-01T00:00:00+00:00"), utc);
    assert_int_equal(ok("2025-12-01T00:00:00-00:00"), utc);
    assert_int_equal(ok("2025-12-01T00:00:00.000+05:30"), utc - 330LL * 60000);
    assert_int_equal(ok("2025-12-01T00:00:00-08:00"), utc + 8LL * 3600000);
    assert_int_equal(ok("2025-12-01T00:00:00+23:59"), utc - (23LL * 60 + 59) * 60000);
    assert_int_equal(ok("2025-12-01T00:00:00-23:59"), utc + (23LL * 60 + 59) * 60000);
    /* An offset crossing a day, month and year boundary. */
    assert_int_equal(ok("2026-01-01T01:00:00+05:30"), ok("2025-12-31T19:30:00Z"));
    char buf[TIMEFMT_LEN + 1];
    timefmt_format(ok("2025-12-08T14:47:21.090+05:30"), buf);
    assert_string_equal(buf, "2025-12-08T09:17:21.090Z");
    timefmt_format(ok("1970-01-01T00:00:00+00:01"), buf);
    assert_string_equal(buf, "1969-12-31T23:59:00.000Z");
}

static void test_fraction_digits_truncate(void **state)
{
    (void)state;
    int64_t base = ok("2025-12-01T00:00:00Z");
    static const struct {
        const char *s;
        int64_t frac;
    } cases[] = {
        {"2025-12-01T00:00:00Z", 0},
        {"2025-12-01T00:00:00.1Z", 100},
        {"2025-12-01T00:00:00.12Z", 120},
        {"2025-12-01T00:00:00.123Z", 123},
        {"2025-12-01T00:00:00.1234Z", 123},
        {"2025-12-01T00:00:00.12345Z", 123},
        {"2025-12-01T00:00:00.123456Z", 123},
        {"2025-12-01T00:00:00.1234567Z", 123},
        {"2025-12-01T00:00:00.12345678Z", 123},
        {"2025-12-01T00:00:00.123456789Z", 123},
        {"2025-12-01T00:00:00.999999999Z", 999}, /* truncated, not rounded */
        {"2025-12-01T00:00:00.0009Z", 0},
        {"2025-12-01T00:00:00.000000000Z", 0},
        {"2025-12-01T00:00:00.5+00:00", 500},
        {"2025-12-01T00:00:00.05-00:00", 50},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_int_equal(ok(cases[i].s), base + cases[i].frac);
    /* Truncation applies to negative instants too: towards the past. */
    assert_int_equal(ok("1969-12-31T23:59:59.9999Z"), -1);
    bad("2025-12-01T00:00:00.1234567890Z"); /* 10 digits */
    bad("2025-12-01T00:00:00.12345678901234567890Z");
    bad("2025-12-01T00:00:00.Z");
    bad("2025-12-01T00:00:00.+05:30");
    bad("2025-12-01T00:00:00,5Z");
    bad("2025-12-01T00:00:00.5");
    bad("2025-12-01T00:00:00.");
    bad("2025-12-01T00:00:00.1a2Z");
}

static void test_lowercase_t_and_z(void **state)
{
    (void)state;
    int64_t want = ok("2025-12-08T09:17:21.090Z");
    assert_int_equal(ok("2025-12-08t09:17:21.090Z"), want);
    assert_int_equal(ok("2025-12-08T09:17:21.090z"), want);
    assert_int_equal(ok("2025-12-08t09:17:21.090z"), want);
    assert_int_equal(ok("2025-12-08t14:47:21.090+05:30"), want);
    bad("2025-12-08 09:17:21.090Z");
    bad("2025-12-08x09:17:21.090Z");
    bad("2025-12-08T09:17:21.090x");
}

static void test_calendar_validation(void **state)
{
    (void)state;
    bad("2025-13-01");
    bad("2025-00-01");
    bad("2025-12-00");
    bad("2025-12-32");
    bad("2025-04-31");
    bad("2025-06-31T00:00:00Z");
    bad("2025-13-01T00:00:00Z");
    /* Feb 29: only in leap years (divisible by 4, centuries by 400). */
    bad("2025-02-29");
    bad("2023-02-29T00:00:00Z");
    bad("1900-02-29");
    bad("2100-02-29T12:00:00Z");
    bad("2024-02-30");
    ok("2024-02-29");
    ok("2024-02-29T23:59:59.999Z");
    ok("2000-02-29");
    ok("1600-02-29");
    ok("0000-02-29");
    ok("2025-02-28");
    ok("2025-01-31");
    ok("2025-12-31T23:59:59Z");
    assert_int_equal(ok("2024-03-01") - ok("2024-02-28"), 2LL * 86400000);
    assert_int_equal(ok("2025-03-01") - ok("2025-02-28"), 86400000LL);
}

static void test_clock_validation(void **state)
{
    (void)state;
    bad("2025-12-01T24:00:00Z");
    bad("2025-12-01T25:00:00Z");
    bad("2025-12-01T00:60:00Z");
    bad("2025-12-01T00:00:60Z"); /* no leap seconds */
    bad("2025-12-01T23:59:60Z");
    bad("2025-12-01T00:00:99Z");
    ok("2025-12-01T23:59:59Z");
    ok("2025-12-01T00:00:00Z");
    /* Offsets: hh 00..23, mm 00..59, with a colon, nothing after. */
    bad("2025-12-01T00:00:00+24:00");
    bad("2025-12-01T00:00:00+05:60");
    bad("2025-12-01T00:00:00+0530");
    bad("2025-12-01T00:00:00+05");
    bad("2025-12-01T00:00:00+5:30");
    bad("2025-12-01T00:00:00+05:30Z");
    bad("2025-12-01T00:00:00+05:30:00");
    bad("2025-12-01T00:00:00 +05:30");
    bad("2025-12-01T00:00:00*05:30");
    bad("2025-12-01T00:00:00+ab:cd");
}

static void test_missing_zone_and_garbage(void **state)
{
    (void)state;
    bad("2025-12-01T00:00:00");
    bad("2025-12-01T00:00:00.000");
    bad("2025-12-01T00:00");
    bad("2025-12-01T00:00Z");
    bad("2025-12-01T");
    bad("2025-12-01Z");
    bad("2025-12-01 ");
    bad(" 2025-12-01");
    bad("2025-12-01T00:00:00Z ");
    bad("2025-12-01T00:00:00ZZ");
    bad("2025-12-1");
    bad("2025-1-01");
    bad("25-12-01");
    bad("2025/12/01");
    bad("20251201");
    bad("20251201T000000Z");
    bad("+2025-12-01");
    bad("-025-12-01");
    bad("2025-+1-01");
    bad("2025-12--1");
    bad("yesterday");
    bad("garbage!garbage!garbage!");
    bad("0");
    bad("");
    bad("T");
    bad("2025-12-01T00-00-00Z");
    bad("2025-12-01T00:00:00\xc2\xa0Z");
    bad("\xef\xbc\x92" "025-12-01");
}

static void test_length_is_honoured(void **state)
{
    (void)state;
    int64_t ms = SENTINEL;
    const char *s = "2025-12-01T00:00:00.000Z";
    /* A valid prefix is parsed by itself; the rest is never looked at. */
    assert_int_equal(timefmt_parse(s, 10, &ms), 0);
    assert_int_equal(ms, ok("2025-12-01"));
    /* Every shorter or longer cut of a valid stamp: no crash, no over-read. */
    for (size_t n = 0; n < strlen(s); n++) {
        ms = SENTINEL;
        int rc = parse_exact(s, n, &ms);
        if (n == 10)
            assert_int_equal(rc, 0);
        else
            assert_int_equal(rc, -1);
    }
    /* An embedded NUL is a character like any other: invalid. */
    assert_int_equal(parse_exact("2025-12-01T00:00:00\0Z", 21, &ms), -1);
    assert_int_equal(parse_exact("2025-12-01\0", 11, &ms), -1);
}

static void test_epoch_and_negative_edge(void **state)
{
    (void)state;
    assert_formats(0, "1970-01-01T00:00:00.000Z");
    assert_formats(-1, "1969-12-31T23:59:59.999Z");
    assert_formats(-999, "1969-12-31T23:59:59.001Z");
    assert_formats(-1000, "1969-12-31T23:59:59.000Z");
    assert_formats(-1001, "1969-12-31T23:59:58.999Z");
    assert_formats(-86400000, "1969-12-31T00:00:00.000Z");
    assert_formats(-86400001, "1969-12-30T23:59:59.999Z");
    assert_formats(86399999, "1970-01-01T23:59:59.999Z");
    assert_int_equal(ok("1970-01-01T00:00:00+00:01"), -60000);
    assert_int_equal(ok("1969-12-31T16:00:00-08:00"), 0);
    assert_int_equal(ok("1970-01-01T05:30:00.001+05:30"), 1);
}

static void test_years_0000_and_9999(void **state)
{
    (void)state;
    assert_formats(MS_MIN, "0000-01-01T00:00:00.000Z");
    assert_formats(MS_MAX, "9999-12-31T23:59:59.999Z");
    assert_formats(MS_MIN + 59LL * 86400000, "0000-02-29T00:00:00.000Z"); /* year 0 is leap */
    assert_formats(ok("0999-12-31T23:59:59.999Z") + 1, "1000-01-01T00:00:00.000Z");
    assert_formats(ok("0009-05-06T07:08:09.010Z"), "0009-05-06T07:08:09.010Z");
    assert_int_equal(ok("0000-01-01T00:00:00Z"), MS_MIN);
    assert_int_equal(ok("0000-01-01T00:00:00.000z"), MS_MIN);
    assert_int_equal(ok("9999-12-31T23:59:59.999Z"), MS_MAX);
    assert_int_equal(ok("9999-12-31T23:59:59.999999999Z"), MS_MAX);
    assert_int_equal(ok("0000-01-01T05:30:00+05:30"), MS_MIN);
    assert_int_equal(ok("9999-12-31T15:59:59.999-08:00"), MS_MAX);
    /* An offset pushing the instant out of 0000..9999 is rejected, so every
     * parsed instant can be formatted. */
    bad("0000-01-01T00:00:00+00:01");
    bad("0000-01-01T05:29:59.999+05:30");
    bad("9999-12-31T23:59:59.999-00:01");
    bad("9999-12-31T16:00:00-08:00");
}

static void test_now_is_plausible(void **state)
{
    (void)state;
    int64_t a = timefmt_now_ms();
    int64_t b = timefmt_now_ms();
    assert_true(a > ok("2024-01-01"));
    assert_true(a < ok("2100-01-01"));
    assert_true(b >= a);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    int64_t wall = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
    assert_true(wall - b < 5000 && b - wall < 5000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_instants),
        cmocka_unit_test(test_bare_date_is_midnight_utc),
        cmocka_unit_test(test_round_trips),
        cmocka_unit_test(test_format_matches_gmtime),
        cmocka_unit_test(test_offsets),
        cmocka_unit_test(test_fraction_digits_truncate),
        cmocka_unit_test(test_lowercase_t_and_z),
        cmocka_unit_test(test_calendar_validation),
        cmocka_unit_test(test_clock_validation),
        cmocka_unit_test(test_missing_zone_and_garbage),
        cmocka_unit_test(test_length_is_honoured),
        cmocka_unit_test(test_epoch_and_negative_edge),
        cmocka_unit_test(test_years_0000_and_9999),
        cmocka_unit_test(test_now_is_plausible),
    };
    return unit_run(tests);
}
