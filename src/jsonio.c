/* jsonio.c - see jsonio.h. */
#include "jsonio.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "timefmt.h"
#include "xalloc.h"

bool jsonio_depth_ok(const char *buf, size_t len, size_t max_depth)
{
    size_t depth = 0;
    bool in_str = false;
    for (size_t i = 0; i < len; i++) {
        char c = buf[i];
        if (in_str) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_str = false;
        } else if (c == '"') {
            in_str = true;
        } else if (c == '{' || c == '[') {
            if (++depth > max_depth)
                return false;
        } else if ((c == '}' || c == ']') && depth > 0) {
            depth--;
        }
    }
    return true;
}

/* The length of path after appending n bytes at len: a segment that does
 * not fit was cut by snprintf, and the value is still searched, reported at
 * the path as far as it fits. */
static size_t path_grow(size_t len, int n, size_t cap)
{
    return n < 0 ? len : (size_t)n < cap - len ? len + (size_t)n : cap - 1;
}

/* Reports every string value holding U+0000 (jansson stops reading such a
 * string there, so it must never reach a check or the store) at its JSON
 * path.  Depth is bounded by the parser's limit. */
static void nul_strings(const json_t *v, char *path, size_t len, size_t cap, struct apierr *e)
{
    if (json_is_string(v)) {
        if (strlen(json_string_value(v)) != json_string_length(v))
            apierr_field(e, path[0] ? path : NULL, "must not contain the character U+0000");
        return;
    }
    if (json_is_object(v)) {
        const char *k;
        json_t *x;
        json_object_foreach((json_t *)(uintptr_t)v, k, x) {
            int n = snprintf(path + len, cap - len, "%s%s", len ? "." : "", k);
            nul_strings(x, path, path_grow(len, n, cap), cap, e);
            path[len] = '\0';
        }
    } else if (json_is_array(v)) {
        for (size_t i = 0; i < json_array_size(v); i++) {
            int n = snprintf(path + len, cap - len, "[%zu]", i);
            nul_strings(json_array_get(v, i), path, path_grow(len, n, cap), cap, e);
            path[len] = '\0';
        }
    }
}

void jsonio_body_required(struct apierr *e)
{
    apierr_one(e, 400, NULL, "Request body is required and must be a JSON object");
}

json_t *jsonio_parse_object(const char *buf, size_t len, size_t max_depth, struct apierr *e)
{
    if (len == 0) {
        jsonio_body_required(e);
        return NULL;
    }
    if (!jsonio_depth_ok(buf, len, max_depth)) {
        apierr_set(e, 400, "Request body is nested too deeply");
        apierr_field(e, NULL, "JSON nesting deeper than %zu levels", max_depth);
        return NULL;
    }
    json_error_t je;
    json_t *v = json_loadb(buf, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &je);
    if (v == NULL) {
        apierr_set(e, 400, "Request body is not valid JSON");
        apierr_field(e, NULL, "%s at line %d, column %d", je.text, je.line, je.column);
        return NULL;
    }
    if (!json_is_object(v)) {
        json_decref(v);
        apierr_one(e, 400, NULL, "Request body must be a JSON object");
        return NULL;
    }
    char path[512] = "";
    size_t before = apierr_count(e);
    nul_strings(v, path, 0, sizeof path, e);
    if (apierr_count(e) > before) {
        apierr_set(e, 400, "Request validation failed");
        json_decref(v);
        return NULL;
    }
    return v;
}

static void jbuf_reserve(struct jbuf *b, size_t n)
{
    if (b->len + n <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 1024;
    while (cap < b->len + n)
        cap *= 2;
    b->p = xrealloc(b->p, cap);
    b->cap = cap;
}

void jbuf_put(struct jbuf *b, const char *s, size_t n)
{
    jbuf_reserve(b, n);
    memcpy(b->p + b->len, s, n);
    b->len += n;
}

void jbuf_string(struct jbuf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    jbuf_reserve(b, n + 2);
    b->p[b->len++] = '"';
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        jbuf_put(b, s + run, i - run);
        run = i + 1;
        char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
        switch (c) {
        case '"': jbuf_put(b, "\\\"", 2); break;
        case '\\': jbuf_put(b, "\\\\", 2); break;
        case '\n': jbuf_put(b, "\\n", 2); break;
        case '\r': jbuf_put(b, "\\r", 2); break;
        case '\t': jbuf_put(b, "\\t", 2); break;
        case '\b': jbuf_put(b, "\\b", 2); break;
        case '\f': jbuf_put(b, "\\f", 2); break;
        default: jbuf_put(b, esc, 6); break;
        }
    }
    jbuf_put(b, s + run, n - run);
    jbuf_put(b, "\"", 1);
}

int jbuf_value(struct jbuf *b, const json_t *v)
{
    char num[32];
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        jbuf_put(b, "{", 1);
        int first = 1;
        const char *k;
        json_t *x;
        /* jansson keeps insertion order, which is the documented order. */
        json_object_foreach((json_t *)(uintptr_t)v, k, x) {
            if (!first)
                jbuf_put(b, ",", 1);
            first = 0;
            jbuf_string(b, k, strlen(k));
            jbuf_put(b, ":", 1);
            if (jbuf_value(b, x) != 0)
                return -1;
        }
        jbuf_put(b, "}", 1);
        return 0;
    }
    case JSON_ARRAY: {
        jbuf_put(b, "[", 1);
        for (size_t i = 0; i < json_array_size(v); i++) {
            if (i > 0)
                jbuf_put(b, ",", 1);
            if (jbuf_value(b, json_array_get(v, i)) != 0)
                return -1;
        }
        jbuf_put(b, "]", 1);
        return 0;
    }
    case JSON_STRING:
        jbuf_string(b, json_string_value(v), json_string_length(v));
        return 0;
    case JSON_INTEGER: {
        int n = snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        jbuf_put(b, num, (size_t)n);
        return 0;
    }
    case JSON_REAL: {
        /* Never in a response today; let jansson format it exactly. */
        char *r = json_dumps(v, JSON_ENCODE_ANY);
        if (r == NULL)
            return -1;
        jbuf_put(b, r, strlen(r));
        free(r);
        return 0;
    }
    case JSON_TRUE: jbuf_put(b, "true", 4); return 0;
    case JSON_FALSE: jbuf_put(b, "false", 5); return 0;
    case JSON_NULL: jbuf_put(b, "null", 4); return 0;
    }
    return -1;
}

char *jbuf_finish(struct jbuf *b, size_t *len)
{
    jbuf_put(b, "", 1);
    if (len != NULL)
        *len = b->len - 1;
    char *p = b->p;
    b->p = NULL;
    b->len = b->cap = 0;
    return p;
}

char *jsonio_dump(const json_t *v, size_t *len)
{
    struct jbuf b = {NULL, 0, 0};
    if (v == NULL || jbuf_value(&b, v) != 0) {
        free(b.p);
        return NULL;
    }
    return jbuf_finish(&b, len);
}

json_t *jsonio_time(int64_t ms)
{
    char buf[TIMEFMT_LEN + 1];
    timefmt_format(ms, buf);
    return json_stringn(buf, TIMEFMT_LEN);
}
