/* check.c - see check.h. */
#include "check.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "contract.h"
#include "text.h"
#include "timefmt.h"

void check_fail(struct check *k, const char *field, const char *fmt, ...)
{
    char msg[256], path[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (k->prefix != NULL) {
        snprintf(path, sizeof path, "%s.%s", k->prefix, field);
        field = path;
    }
    apierr_field(k->e, field, "%s", msg);
    k->bad = 1;
}

json_t *check_get(const struct check *k, const json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    return k->null_absent && json_is_null(v) ? NULL : v;
}

const char *check_string(struct check *k, const json_t *obj, const char *key, const char *field)
{
    json_t *v = check_get(k, obj, key);
    if (v == NULL)
        return NULL;
    if (!json_is_string(v)) {
        check_fail(k, field ? field : key, "must be a string");
        return NULL;
    }
    return json_string_value(v);
}

const char *check_text(struct check *k, const json_t *obj, const char *key, const char *field,
                       size_t min, size_t max)
{
    const char *s = check_string(k, obj, key, field);
    if (s == NULL)
        return NULL;
    size_t n = text_utf8_len(s);
    if (n < min || n > max) {
        check_fail(k, field ? field : key, "must be %zu to %zu characters long", min, max);
        return NULL;
    }
    return s;
}

const char *check_name(struct check *k, const json_t *obj, const char *key, const char *field,
                       size_t max, bool required)
{
    json_t *v = check_get(k, obj, key);
    if (v == NULL && !required)
        return NULL;
    return check_name_value(k, v, field ? field : key, max);
}

const char *check_name_value(struct check *k, const json_t *v, const char *field, size_t max)
{
    const char *problem = v == NULL           ? "is required"
                          : json_is_string(v) ? check_name_problem(json_string_value(v), max)
                                              : "must be a string";
    if (problem != NULL) {
        check_fail(k, field, "%s", problem);
        return NULL;
    }
    return json_string_value(v);
}

int check_int(struct check *k, const json_t *obj, const char *key, const char *field,
              int64_t min, int64_t max, int64_t *out)
{
    json_t *v = check_get(k, obj, key);
    if (v == NULL)
        return 0;
    if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max) {
        check_fail(k, field ? field : key, "must be an integer from %lld to %lld", (long long)min,
                   (long long)max);
        return -1;
    }
    *out = json_integer_value(v);
    return 1;
}

int check_bool(struct check *k, const json_t *obj, const char *key, const char *field, bool *out)
{
    json_t *v = check_get(k, obj, key);
    if (v == NULL)
        return 0;
    if (!json_is_boolean(v)) {
        check_fail(k, field ? field : key, "must be a boolean");
        return -1;
    }
    *out = json_is_true(v);
    return 1;
}

int check_enum(struct check *k, const json_t *obj, const char *key, const char *field,
               const char *const *values, const char *msg)
{
    const char *s = check_string(k, obj, key, field);
    if (s == NULL)
        return check_get(k, obj, key) == NULL ? -1 : -2;
    for (int i = 0; values[i]; i++)
        if (strcmp(s, values[i]) == 0)
            return i;
    check_fail(k, field ? field : key, "%s", msg);
    return -2;
}

int check_time(struct check *k, const json_t *obj, const char *key, const char *field,
               int64_t *out_ms)
{
    json_t *v = check_get(k, obj, key);
    if (v == NULL)
        return 0;
    if (!json_is_string(v) ||
        timefmt_parse(json_string_value(v), json_string_length(v), out_ms) != 0) {
        check_fail(k, field ? field : key, "must be an ISO 8601 timestamp");
        return -1;
    }
    return 1;
}

const char *check_name_problem(const char *s, size_t max_cp)
{
    bool blank = true;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        if (*p < 0x20 || *p == 0x7f)
            return "must not contain control characters";
        /* jansson strings are valid UTF-8: decode one code point. */
        uint32_t cp = *p;
        int extra = cp >= 0xf0 ? 3 : cp >= 0xe0 ? 2 : cp >= 0xc0 ? 1 : 0;
        if (extra)
            cp &= 0x3fu >> extra;
        for (p++; extra > 0 && (*p & 0xc0) == 0x80; extra--, p++)
            cp = (cp << 6) | (*p & 0x3fu);
        if (!text_is_space(cp))
            blank = false;
    }
    if (*s == '\0')
        return "must not be empty";
    if (blank)
        return "must not be only whitespace";
    if (text_utf8_len(s) > max_cp)
        return "is too long";
    return NULL;
}

int check_count_value(const json_t *v, int64_t min, int64_t max, int64_t *out)
{
    if (v == NULL || json_is_null(v) || (json_is_string(v) && json_string_length(v) == 0))
        return 0;
    int64_t n = 0;
    if (json_is_integer(v)) {
        n = json_integer_value(v);
    } else if (json_is_string(v)) {
        const char *s = json_string_value(v);
        size_t len = json_string_length(v), i = 0;
        while (i + 1 < len && s[i] == '0') /* leading zeros do not count */
            i++;
        if (len - i > CONTRACT_COUNT_DIGITS_MAX)
            return -1;
        for (; i < len; i++) {
            if (s[i] < '0' || s[i] > '9')
                return -1;
            n = n * 10 + (s[i] - '0');
        }
    } else {
        return -1;
    }
    if (n < min || n > max)
        return -1;
    *out = n;
    return 1;
}

/* One paging number: def when absent or reported. */
static int64_t paging_count(struct check *k, const json_t *obj, const char *key, int64_t def,
                            int64_t min, int64_t max)
{
    int64_t n = def;
    json_t *v = json_object_get(obj, key);
    if ((json_is_null(v) && !k->null_absent) || check_count_value(v, min, max, &n) < 0) {
        check_fail(k, key, "must be an integer from %lld to %lld, a string of digits, or \"\"",
                   (long long)min, (long long)max);
        n = def;
    }
    return n;
}

void check_paging(struct check *k, const json_t *obj, bool has_skip, int64_t limit_default,
                  struct paging *out)
{
    out->limit = paging_count(k, obj, "limit", limit_default, 1, CONTRACT_LIMIT_MAX);
    out->skip = has_skip ? paging_count(k, obj, "skip", 0, 0, CONTRACT_COUNT_MAX) : 0;
    out->page = paging_count(k, obj, "page", 1, 1, CONTRACT_COUNT_MAX);
    out->offset = out->skip + (out->page - 1) * out->limit;
}

int64_t check_total_pages(int64_t total, int64_t limit)
{
    return limit > 0 ? (total + limit - 1) / limit : 0;
}
