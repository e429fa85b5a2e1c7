/* jsonio.h - JSON in and out on top of jansson, knowing no server types:
 * the strict parse of a request body and the fast compact writer of every
 * response.  (Field checks are check.h; plain text helpers text.h.) */
#ifndef CAMPAIGND_JSONIO_H
#define CAMPAIGND_JSONIO_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "apierr.h"

/* True when the nesting depth of the JSON text buf[0..len) (arrays and
 * objects, strings skipped) never exceeds max_depth.  Runs before jansson,
 * whose own limit (2048) is far above the contract's. */
bool jsonio_depth_ok(const char *buf, size_t len, size_t max_depth);

/* The 400 of a route that needs a JSON object body and got none. */
void jsonio_body_required(struct apierr *e);

/* Parses buf[0..len) as one JSON object: duplicate keys rejected, depth
 * limited.  On failure returns NULL and sets a 400 on e naming the problem. */
json_t *jsonio_parse_object(const char *buf, size_t len, size_t max_depth, struct apierr *e);

/* A growable output buffer for JSON text: {NULL, 0, 0} is empty.  The
 * writers below append to it (aborting on allocation failure, xalloc.h). */
struct jbuf {
    char *p;
    size_t len, cap;
};

void jbuf_put(struct jbuf *b, const char *s, size_t n);
/* A JSON string of s[0..n), escaped. */
void jbuf_string(struct jbuf *b, const char *s, size_t n);
/* v in compact form; -1 for an invalid v. */
int jbuf_value(struct jbuf *b, const json_t *v);
/* NUL-terminates and hands over the text (caller frees); b is empty again. */
char *jbuf_finish(struct jbuf *b, size_t *len);

/* Serialises v compactly, as json_dumps(v, JSON_COMPACT) would (UTF-8 kept,
 * '/' not escaped, keys in insertion order; the one difference is that a
 * control character's \u escape has lowercase hex digits, the same JSON)
 * but several times faster: this
 * is the hot path of every response.  Caller frees.  NULL for invalid v. */
char *jsonio_dump(const json_t *v, size_t *len);

/* A timestamp (ms since the epoch) in contract §4 form as a new JSON string. */
json_t *jsonio_time(int64_t ms);

#endif
