/* sim.c - see sim.h. */
#include "sim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sim_mix_default(enum ctype t, struct sim_mix *out)
{
    memset(out, 0, sizeof *out);
    if (t == CTYPE_SMS) {
        out->pct[OUT_COMPLETED] = 97;
        out->pct[OUT_FAILED] = 3;
    } else {
        out->pct[OUT_COMPLETED] = 70;
        out->pct[OUT_NO_ANSWER] = 15;
        out->pct[OUT_BUSY] = 10;
        out->pct[OUT_FAILED] = 5;
    }
}

int sim_mix_parse(const char *text, enum ctype t, struct sim_mix *out, char *err, size_t cap)
{
    const char *what = t == CTYPE_SMS ? "--sim-sms" : "--sim-voice";
    int seen[OUT_COUNT] = {0}, sum = 0;
    memset(out, 0, sizeof *out);
    const char *p = text;
    while (*p) {
        const char *eq = strchr(p, '='), *comma = strchr(p, ',');
        if (comma == NULL)
            comma = p + strlen(p);
        char name[32];
        if (eq == NULL || eq > comma || (size_t)(eq - p) >= sizeof name) {
            snprintf(err, cap,
                     "%s must be a list of outcome=percent, such as completed=90,failed=10", what);
            return -1;
        }
        memcpy(name, p, (size_t)(eq - p));
        name[eq - p] = '\0';
        int o = outcome_parse(name);
        if (o < 0 || !outcome_reportable((enum outcome)o, t)) {
            snprintf(err, cap, "%s: \"%s\" is not an outcome of %s attempts", what, name,
                     t == CTYPE_SMS ? "SMS" : "voice");
            return -1;
        }
        char *end;
        long v = strtol(eq + 1, &end, 10);
        if (end == eq + 1 || end != comma || v < 0 || v > 100) {
            snprintf(err, cap, "%s: the percent of %s must be a whole number from 0 to 100", what,
                     name);
            return -1;
        }
        if (seen[o]++) {
            snprintf(err, cap, "%s: %s is given twice", what, name);
            return -1;
        }
        out->pct[o] = (int)v;
        sum += (int)v;
        p = *comma ? comma + 1 : comma;
    }
    if (sum != 100) {
        snprintf(err, cap, "%s: the percents must sum to 100, not %d", what, sum);
        return -1;
    }
    return 0;
}

/* splitmix64's finaliser: every input bit moves every output bit. */
static uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

/* The outcome a test number always gives, or -1 for other numbers. */
static int test_number(const char *digits, enum ctype t)
{
    size_t n = strlen(digits);
    if (n < 4 || strncmp(digits + n - 4, "000", 3) != 0)
        return -1;
    static const int voice[] = {
        -1, OUT_BUSY, OUT_NO_ANSWER, OUT_FAILED, OUT_INVALID_NUMBER, OUT_MACHINE, OUT_COMPLETED};
    int k = digits[n - 1] - '0';
    if (k < 1 || k > 6)
        return -1;
    if (t == CTYPE_SMS && voice[k] != OUT_INVALID_NUMBER && voice[k] != OUT_COMPLETED)
        return OUT_FAILED;
    return voice[k];
}

enum outcome sim_draw(uint64_t seed, const char *digits, int attempt, enum ctype t,
                      const struct sim_mix *mix)
{
    int fixed = test_number(digits, t);
    if (fixed >= 0)
        return (enum outcome)fixed;
    uint64_t h = mix64(seed ^ UINT64_C(0x9e3779b97f4a7c15));
    for (const char *p = digits; *p; p++)
        h = mix64(h ^ (uint64_t)(unsigned char)*p);
    h = mix64(h ^ (uint64_t)(unsigned)attempt ^ ((uint64_t)t << 40));
    int r = (int)(h % 100), acc = 0;
    for (int o = 0; o < OUT_COUNT; o++) {
        acc += mix->pct[o];
        if (r < acc)
            return (enum outcome)o;
    }
    return OUT_COMPLETED; /* a mix that sums to 100 never gets here */
}
