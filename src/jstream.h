/* jstream.h - reads a JSON array one element at a time, from a file or
 * from memory, so an import of any size holds one element in memory, not
 * the file.  It only finds where each element ends (strings, escapes and
 * nesting); the element's bytes are then parsed, and so fully checked, by
 * jansson.  A building block: no campaign, no store. */
#ifndef CAMPAIGND_JSTREAM_H
#define CAMPAIGND_JSTREAM_H

#include <stddef.h>
#include <stdio.h>

#define JSTREAM_ELEMENT_MAX ((size_t)16 << 20) /* bytes of one element */

struct jstream;

/* f is read to its end (not closed); mem must outlive the stream. */
struct jstream *jstream_file(FILE *f);
struct jstream *jstream_mem(const char *mem, size_t len);
void jstream_free(struct jstream *s);

/* The next element: 1 with *elem and *len (valid until the next call) and the
 * line it starts on; 0 at the end of the array (nothing but white space may
 * follow it); -1 when the input is not an array or breaks off, with a
 * sentence in jstream_error(). */
int jstream_next(struct jstream *s, const char **elem, size_t *len, long *line);
const char *jstream_error(const struct jstream *s);

#endif
