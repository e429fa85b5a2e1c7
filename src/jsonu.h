/* jsonu.h - JSON helpers on top of jansson that know no server types. */
#ifndef CAMPAIGND_JSONU_H
#define CAMPAIGND_JSONU_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "apierr.h"

/* True when the nesting depth of the JSON text buf[0..len) (arrays and
 * objects, strings skipped) never exceeds max_depth.  Runs before jansson,
 * whose own limit (2048) is far above the contract's. */
bool jsonu_depth_ok(const char *buf, size_t len, size_t max_depth);

/* Parses buf[0..len) as one JSON object: duplicate keys rejected, depth
 * limited.  On failure returns NULL and sets a 400 on e naming the problem. */
json_t *jsonu_parse_object(const char *buf, size_t len, size_t max_depth, struct apierr *e);

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
 * '/' not escaped, keys in insertion order) but several times faster: this
 * is the hot path of every response.  Caller frees.  NULL for invalid v. */
char *jsonu_dump(const json_t *v, size_t *len);

/* Number of Unicode code points in the UTF-8 string s (jansson strings are
 * valid UTF-8). */
size_t jsonu_utf8_len(const char *s);

/* A "name" as family spec §1.2 defines it: non-empty, not only whitespace,
 * no control characters, at most max_cp code points.  Returns NULL when
 * valid, else a static message. */
const char *jsonu_name_problem(const char *s, size_t max_cp);

/* A count as contract §3 accepts it: a JSON integer, a string of decimal
 * digits (at most 12), "" or null (absent).  Returns 1 and sets *out when a
 * value in [min, max] is given, 0 when absent (*out untouched), -1 when the
 * value is anything else. */
int jsonu_count(const json_t *v, int64_t min, int64_t max, int64_t *out);

/* A timestamp (ms since the epoch) in contract §4 form as a new JSON string. */
json_t *jsonu_time(int64_t ms);

/* ASCII-lowered copy of s (A-Z -> a-z, all else unchanged); caller frees. */
char *jsonu_lower(const char *s);

#endif
