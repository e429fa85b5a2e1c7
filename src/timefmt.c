/* timefmt.c - RFC 3339 parsing and formatting without libc's time zone
 * machinery (no gmtime, no TZ), so it is thread-safe and exact. */
#include "timefmt.h"

#include <time.h>

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar
 * (Howard Hinnant's days_from_civil). */
int64_t timefmt_days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void timefmt_civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

/* Reads exactly n decimal digits at s; -1 when any is not a digit. */
static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

int timefmt_parse(const char *s, size_t len, int64_t *ms)
{
    if (len < 10 || s[4] != '-' || s[7] != '-')
        return -1;
    int y = digits(s, 4), mo = digits(s + 5, 2), d = digits(s + 8, 2);
    if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo))
        return -1;
    int64_t days = timefmt_days_from_civil(y, mo, d);
    if (len == 10) {
        *ms = days * 86400000;
        return 0;
    }
    /* "THH:MM:SS" then an optional fraction, then the zone. */
    if (len < 20 || (s[10] != 'T' && s[10] != 't') || s[13] != ':' || s[16] != ':')
        return -1;
    int h = digits(s + 11, 2), mi = digits(s + 14, 2), se = digits(s + 17, 2);
    if (h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 59)
        return -1;
    size_t i = 19;
    int frac_ms = 0;
    if (s[i] == '.') {
        size_t start = ++i;
        while (i < len && s[i] >= '0' && s[i] <= '9') {
            if (i - start < 3)
                frac_ms = frac_ms * 10 + (s[i] - '0');
            i++;
        }
        size_t nd = i - start;
        if (nd == 0 || nd > 9)
            return -1;
        for (size_t k = nd; k < 3; k++)
            frac_ms *= 10;
    }
    if (i >= len)
        return -1;
    int offset_min = 0;
    if ((s[i] == 'Z' || s[i] == 'z') && i + 1 == len) {
        offset_min = 0;
    } else if ((s[i] == '+' || s[i] == '-') && i + 6 == len && s[i + 3] == ':') {
        int oh = digits(s + i + 1, 2), om = digits(s + i + 4, 2);
        if (oh < 0 || oh > 23 || om < 0 || om > 59)
            return -1;
        offset_min = oh * 60 + om;
        if (s[i] == '-')
            offset_min = -offset_min;
    } else {
        return -1;
    }
    int64_t secs = days * 86400 + h * 3600 + mi * 60 + se - (int64_t)offset_min * 60;
    int64_t v = secs * 1000 + frac_ms;
    /* An offset may push the instant outside 0000..9999; keep formatting total. */
    if (v < timefmt_days_from_civil(0, 1, 1) * 86400000 || v >= timefmt_days_from_civil(10000, 1, 1) * 86400000)
        return -1;
    *ms = v;
    return 0;
}

static void put_digits(char *out, int v, int n)
{
    for (int i = n - 1; i >= 0; i--) {
        out[i] = (char)('0' + v % 10);
        v /= 10;
    }
}

void timefmt_format(int64_t ms, char out[TIMEFMT_LEN + 1])
{
    int64_t days = timefmt_floor_div(ms, 86400000);
    int64_t rem = ms - days * 86400000;
    int y, mo, d;
    timefmt_civil_from_days(days, &y, &mo, &d);
    put_digits(out, y, 4);
    out[4] = '-';
    put_digits(out + 5, mo, 2);
    out[7] = '-';
    put_digits(out + 8, d, 2);
    out[10] = 'T';
    put_digits(out + 11, (int)(rem / 3600000), 2);
    out[13] = ':';
    put_digits(out + 14, (int)(rem / 60000 % 60), 2);
    out[16] = ':';
    put_digits(out + 17, (int)(rem / 1000 % 60), 2);
    out[19] = '.';
    put_digits(out + 20, (int)(rem % 1000), 3);
    out[23] = 'Z';
    out[24] = '\0';
}

/* The clock (execution spec §1): start + rate x monotonic time elapsed
 * since clock_init.  Before timefmt_clock_init it is the system's time. */
static struct {
    int set;
    int64_t start_ms;
    double rate;
    struct timespec mono0;
} clk;

static int64_t real_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void timefmt_clock_init(int64_t start_ms, double rate)
{
    clk.start_ms = start_ms == TIMEFMT_CLOCK_SYSTEM ? real_ms() : start_ms;
    clk.rate = rate;
    clock_gettime(CLOCK_MONOTONIC, &clk.mono0);
    clk.set = 1;
}

int64_t timefmt_mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t timefmt_mono_ms(void)
{
    return timefmt_mono_us() / 1000;
}

double timefmt_clock_rate(void)
{
    return clk.set ? clk.rate : 1.0;
}

int64_t timefmt_now_ms(void)
{
    if (!clk.set)
        return real_ms();
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    double ns = (double)(ts.tv_sec - clk.mono0.tv_sec) * 1e9 + (double)(ts.tv_nsec - clk.mono0.tv_nsec);
    return clk.start_ms + (int64_t)(ns * clk.rate / 1e6);
}
