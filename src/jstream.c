/* jstream.c - the element splitter of jstream.h: a byte-at-a-time state
 * machine over a refillable window. */
#include "jstream.h"

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

/* Skips white space; the next byte, or -1 at the end (-2 on error). */
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

int jstream_next(struct jstream *s, const char **elem, size_t *len, long *line)
{
    int ch = peek_token(s);
    if (ch == -2)
        return -1;
    if (s->state == 0) {
        if (ch != '[') {
            snprintf(s->err, sizeof s->err, "the file must hold a JSON array of campaigns");
            return -1;
        }
        s->pos++;
        s->state = 1;
        if ((ch = peek_token(s)) == -2)
            return -1;
        if (ch == ']') {
            s->pos++;
            s->state = 2;
        }
    } else if (s->state == 1) {
        /* After an element: ',' or ']'. */
        if (ch == ']') {
            s->pos++;
            s->state = 2;
        } else if (ch == ',') {
            s->pos++;
            if ((ch = peek_token(s)) == -2)
                return -1;
        } else if (ch == -1) {
            snprintf(s->err, sizeof s->err, "the file ends inside the array (line %ld)", s->line);
            return -1;
        } else {
            snprintf(s->err, sizeof s->err,
                     "expected ',' or ']' after element [%zu] (line %ld)", s->count - 1, s->line);
            return -1;
        }
    }
    if (s->state == 2) {
        ch = peek_token(s);
        if (ch == -2)
            return -1;
        if (ch != -1) {
            snprintf(s->err, sizeof s->err, "unexpected text after the array (line %ld)",
                     s->line);
            return -1;
        }
        return 0;
    }
    if (ch < 0 || ch == ']' || ch == ',') {
        snprintf(s->err, sizeof s->err, ch < 0 ? "the file ends inside the array (line %ld)"
                                               : "a value is missing in the array (line %ld)",
                 s->line);
        return -1;
    }
    /* Scan one element: win[start..i). */
    *line = s->line;
    size_t start = s->pos, i = s->pos;
    int depth = 0, in_str = 0, esc = 0;
    for (;;) {
        if (i == s->len) {
            if (i - start > JSTREAM_ELEMENT_MAX) {
                snprintf(s->err, sizeof s->err,
                         "element [%zu] is larger than %zu MiB", s->count,
                         JSTREAM_ELEMENT_MAX >> 20);
                return -1;
            }
            size_t off = i - start;
            s->pos = start;
            int r = refill(s);
            if (r < 0)
                return -1;
            start = s->pos;
            i = start + off;
            if (r == 0) {
                snprintf(s->err, sizeof s->err, "the file ends inside element [%zu]", s->count);
                return -1;
            }
        }
        char c = s->win[i];
        if (in_str) {
            if (esc)
                esc = 0;
            else if (c == '\\')
                esc = 1;
            else if (c == '"')
                in_str = 0;
            else if (c == '\n')
                s->line++;
        } else if (c == '"') {
            in_str = 1;
        } else if (c == '{' || c == '[') {
            depth++;
        } else if (c == '}' || c == ']') {
            if (depth == 0)
                break; /* the array's own ']' after a scalar */
            depth--;
            if (depth == 0) {
                i++;
                break;
            }
        } else if (depth == 0 && (c == ',' || c == ' ' || c == '\t' || c == '\r' || c == '\n')) {
            break; /* end of a scalar element */
        } else if (c == '\n') {
            s->line++;
        }
        i++;
    }
    *elem = s->win + start;
    *len = i - start;
    s->pos = i;
    s->count++;
    return 1;
}
