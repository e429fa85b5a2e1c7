/* testutil.h - what the unit tests share, written once: the includes cmocka
 * needs (in the order it needs them), JSON written with single quotes, a
 * request body parsed as the server parses it, the field list of an apierr,
 * key order, timestamps, exactly sized copies for ASan and a repeatable
 * random stream.  Every helper fails the running test (cmocka) rather than
 * returning an error.  Header-only: each test is one translation unit. */
#ifndef CAMPAIGND_TESTUTIL_H
#define CAMPAIGND_TESTUTIL_H

/* cmocka.h needs these before it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "apierr.h"
#include "jsonio.h"
#include "timefmt.h"
#include "xalloc.h"

/* The nesting limit `campaignd serve` applies by default (--max-depth). */
#define TEST_MAX_DEPTH 32

/* main's last line: the group, under xalloc's policy (jansson allocating
 * through it, as in the server), with group setup and teardown or without. */
#define unit_run_group(tests, setup, teardown) \
    (xalloc_init(), cmocka_run_group_tests(tests, setup, teardown))
#define unit_run(tests) unit_run_group(tests, NULL, NULL)

/* A copy of s[0..n) with every ' turned into ", NUL-terminated; caller frees.
 * JSON in C reads better with single quotes. */
static inline char *sq_n(const char *s, size_t n)
{
    char *d = xstrndup(s, n);
    for (size_t i = 0; i < n; i++)
        if (d[i] == '\'')
            d[i] = '"';
    return d;
}

static inline char *sq(const char *s)
{
    return sq_n(s, strlen(s));
}

/* The JSON value written in s with single quotes (any type, duplicate keys
 * refused); fails the test when s is not JSON. */
static inline json_t *jsq(const char *s)
{
    char *d = sq(s);
    json_error_t je;
    json_t *v = json_loads(d, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
    if (v == NULL)
        fail_msg("bad test JSON %s: %s", d, je.text);
    free(d);
    return v;
}

/* A heap copy of exactly s[0..len), no NUL after it, so that ASan reports
 * any read past len by the code under test; caller frees. */
static inline char *exact_copy(const char *s, size_t len)
{
    char *copy = xmalloc(len ? len : 1);
    memcpy(copy, s, len);
    return copy;
}

/* jsonio_parse_object, as the server parses a request body, on an exactly
 * sized copy of buf[0..len) at TEST_MAX_DEPTH. */
static inline json_t *parse_body(const char *buf, size_t len, struct apierr *e)
{
    char *copy = exact_copy(buf, len);
    json_t *v = jsonio_parse_object(copy, len, TEST_MAX_DEPTH, e);
    free(copy);
    return v;
}

/* n copies of unit (a UTF-8 sequence); caller frees. */
static inline char *rep(const char *unit, size_t n)
{
    size_t u = strlen(unit);
    char *s = xmalloc(u * n + 1);
    for (size_t i = 0; i < n; i++)
        memcpy(s + i * u, unit, u);
    s[u * n] = '\0';
    return s;
}

/* The `field` of each entry of e->errors, in order, joined by "," ("-" for
 * an entry without one).  Every entry must have a non-empty msg. */
static inline void fields_of(const struct apierr *e, char *out, size_t cap)
{
    size_t n = 0;
    out[0] = '\0';
    size_t i;
    json_t *x;
    json_array_foreach(e->errors, i, x) {
        const char *f = json_string_value(json_object_get(x, "field"));
        const char *msg = json_string_value(json_object_get(x, "msg"));
        if (msg == NULL || msg[0] == '\0')
            fail_msg("error %zu (field %s) has no msg", i, f ? f : "-");
        int w = snprintf(out + n, cap - n, "%s%s", i ? "," : "", f ? f : "-");
        assert_true(w > 0 && (size_t)w < cap - n);
        n += (size_t)w;
    }
}

/* e has exactly this status and these fields (fields_of form, in order). */
static inline void assert_fields(const struct apierr *e, int status, const char *want)
{
    char got[4096];
    fields_of(e, got, sizeof got);
    if (e->status != status || strcmp(got, want) != 0)
        fail_msg("status %d fields \"%s\", expected %d \"%s\"", e->status, got, status, want);
}

/* The keys of object o, in iteration order, joined by ",". */
static inline void keys_of(const json_t *o, char *out, size_t cap)
{
    size_t n = 0;
    out[0] = '\0';
    assert_true(json_is_object(o));
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)(uintptr_t)o, k, v) {
        int w = snprintf(out + n, cap - n, "%s%s", n ? "," : "", k);
        assert_true(w > 0 && (size_t)w < cap - n);
        n += (size_t)w;
    }
}

static inline void assert_keys(const json_t *o, const char *want)
{
    char got[2048];
    keys_of(o, got, sizeof got);
    assert_string_equal(got, want);
}

/* got equals the JSON want_sq (single quotes); prints both when not. */
static inline void assert_json(const json_t *got, const char *want_sq)
{
    json_t *want = jsq(want_sq);
    if (!json_equal((json_t *)(uintptr_t)got, want)) {
        char *g = json_dumps(got, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
        char *w = json_dumps(want, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
        print_error("got  %s\nwant %s\n", g ? g : "(null)", w);
        free(g);
        free(w);
        json_decref(want);
        fail();
    }
    json_decref(want);
}

/* A repeatable pseudo-random stream (xorshift64): the same values on every
 * run, so that a failure reproduces.  *state must not be 0. */
static inline uint64_t xorshift64(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *state = x;
}

/* The instant of an RFC 3339 timestamp; fails the test when ts is not one. */
static inline int64_t ms_of(const char *ts)
{
    int64_t ms = 0;
    if (timefmt_parse(ts, strlen(ts), &ms) != 0)
        fail_msg("bad test timestamp %s", ts);
    return ms;
}

#endif
