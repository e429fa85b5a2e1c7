/* jstream.c - the element splitter of jstream.h: a byte-at-a-time state
 * machine over a refillable window. */
#include "jstream.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

#define CHUNK 65536

struct jstream {
    FILE *f;              /* NULL for memory */
    const char *mem;
    size_t memlen, mempos;
    char *win;            /* bytes read and not yet consumed: win[pos..len) */
    size_t pos, len, cap;
    long line;
    int state;            /* 0 before '[', 1 inside, 2 after ']' */
    size_t count;         /* elements returned */
    char err[160];
};

struct jstream *jstream_file(FILE *f)
{
    struct jstream *s = xcalloc(1, sizeof *s);
    s->f = f;
    s->line = 1;
    return s;
}

struct jstream *jstream_mem(const char *mem, size_t len)
{
    struct jstream *s = xcalloc(1, sizeof *s);
    s->mem = mem;
    s->memlen = len;
    s->line = 1;
    return s;
}

void jstream_free(struct jstream *s)
{
    if (s == NULL)
        return;
    free(s->win);
    free(s);
}

const char *jstream_error(const struct jstream *s)
{
    return s->err;
}

/* Appends more input to the window (keeping win[pos..len)); 0 at the end
 * of the input, -1 on a read error. */
static int refill(struct jstream *s)
{
    if (s->pos > 0) {
        memmove(s->win, s->win + s->pos, s->len - s->pos);
        s->len -= s->pos;
        s->pos = 0;
    }
    if (s->cap - s->len < CHUNK) {
        s->cap = s->cap ? s->cap * 2 : 2 * CHUNK;
        s->win = xrealloc(s->win, s->cap);
    }
    size_t n;
    if (s->f != NULL) {
        n = fread(s->win + s->len, 1, s->cap - s->len, s->f);
        if (n == 0 && ferror(s->f)) {
            snprintf(s->err, sizeof s->err, "the file cannot be read");
            return -1;
        }
    } else {
        n = s->memlen - s->mempos;
        if (n > s->cap - s->len)
            n = s->cap - s->len;
        memcpy(s->win + s->len, s->mem + s->mempos, n);
        s->mempos += n;
    }
    s->len += n;
    return n > 0 ? 1 : 0;
}

/* Records why the stream stops (printf format) in s->err; returns -2, the
 * "error" of peek_token. */
static int __attribute__((format(printf, 2, 3))) fail(struct jstream *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->err, sizeof s->err, fmt, ap);
    va_end(ap);
    return -2;
}

/* Skips white space: the next byte, -1 at the end of the input, or -2 on
 * an error (in s->err). */
static int peek_token(struct jstream *s)
{
    for (;;) {
        while (s->pos < s->len) {
            char ch = s->win[s->pos];
            if (ch == '\n')
                s->line++;
            else if (ch != ' ' && ch != '\t' && ch != '\r')
                return (unsigned char)ch;
            s->pos++;
        }
        int r = refill(s);
        if (r <= 0)
            return r < 0 ? -2 : -1;
    }
}

/* The array's opening '[' is ch: the byte after it, as peek_token. */
static int open_array(struct jstream *s, int ch)
{
    if (ch != '[')
        return fail(s, "the file must hold a JSON array of campaigns");
    s->pos++;
    s->state = 1;
    ch = peek_token(s);
    if (ch == ']') {
        s->pos++;
        s->state = 2;
    }
    return ch;
}

/* After an element, ch must be ',' or ']': the byte after it, as
 * peek_token. */
static int after_element(struct jstream *s, int ch)
{
    if (ch == ']') {
        s->pos++;
        s->state = 2;
        return ch;
    }
    if (ch == ',') {
        s->pos++;
        return peek_token(s);
    }
    if (ch == -1)
        return fail(s, "the file ends inside the array (line %ld)", s->line);
    return fail(s, "expected ',' or ']' after element [%zu] (line %ld)", s->count - 1, s->line);
}

/* After the array's ']': 0 when nothing but white space follows, else -1. */
static int array_end(struct jstream *s)
{
    int ch = peek_token(s);
    if (ch == -1)
        return 0;
    if (ch != -2)
        fail(s, "unexpected text after the array (line %ld)", s->line);
    return -1;
}

/* Moves past the array's punctuation to where the next element starts:
 * 1 when one starts at s->pos, 0 at the end of the array, -1 on an error. */
static int to_element(struct jstream *s)
{
    int ch = peek_token(s);
    if (ch != -2 && s->state == 0)
        ch = open_array(s, ch);
    else if (ch != -2 && s->state == 1)
        ch = after_element(s, ch);
    if (ch == -2)
        return -1;
    if (s->state == 2)
        return array_end(s);
    if (ch < 0 || ch == ']' || ch == ',') {
        fail(s, ch < 0 ? "the file ends inside the array (line %ld)"
                       : "a value is missing in the array (line %ld)",
             s->line);
        return -1;
    }
    return 1;
}

/* Where the scan of an element is. */
struct scan {
    int depth, in_str, esc;
};

/* Takes the element's next byte c: 0 to go on, 1 when the element ended
 * before c, 2 when c is its last byte. */
static int scan_byte(struct jstream *s, struct scan *k, char c)
{
    if (k->in_str) {
        if (k->esc)
            k->esc = 0;
        else if (c == '\\')
            k->esc = 1;
        else if (c == '"')
            k->in_str = 0;
        else if (c == '\n')
            s->line++;
    } else if (c == '"') {
        k->in_str = 1;
    } else if (c == '{' || c == '[') {
        k->depth++;
    } else if (c == '}' || c == ']') {
        if (k->depth == 0)
            return 1; /* the array's own ']' after a scalar */
        if (--k->depth == 0)
            return 2;
    } else if (k->depth == 0 && (c == ',' || c == ' ' || c == '\t' || c == '\r' || c == '\n')) {
        return 1; /* end of a scalar element */
    } else if (c == '\n') {
        s->line++;
    }
    return 0;
}

/* The element's first n bytes fill the window: reads more, keeping them.
 * 0, or -1 on an error (the element too large, a read error, or the input
 * ends inside it). */
static int more_input(struct jstream *s, size_t n)
{
    if (n > JSTREAM_ELEMENT_MAX) {
        fail(s, "element [%zu] is larger than %zu MiB", s->count, JSTREAM_ELEMENT_MAX >> 20);
        return -1;
    }
    int r = refill(s);
    if (r == 0)
        fail(s, "the file ends inside element [%zu]", s->count);
    return r > 0 ? 0 : -1;
}

/* Finds the end of the element at s->pos: 0 with *elem and *len, and
 * s->pos after it; -1 on an error. */
static int scan_element(struct jstream *s, const char **elem, size_t *len)
{
    struct scan k = {0, 0, 0};
    size_t n = 0;
    for (;;) {
        if (s->pos + n == s->len && more_input(s, n) != 0)
            return -1;
        int end = scan_byte(s, &k, s->win[s->pos + n]);
        if (end == 2)
            n++;
        if (end != 0)
            break;
        n++;
    }
    *elem = s->win + s->pos;
    *len = n;
    s->pos += n;
    return 0;
}

int jstream_next(struct jstream *s, const char **elem, size_t *len, long *line)
{
    int r = to_element(s);
    if (r != 1)
        return r;
    *line = s->line;
    if (scan_element(s, elem, len) != 0)
        return -1;
    s->count++;
    return 1;
}
