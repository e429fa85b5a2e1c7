/* xalloc.h - allocation wrappers: the out-of-memory policy lives here.
 *
 * Policy: campaignd never tries to recover from a failed allocation.  Every
 * allocation in the project goes through these wrappers (jansson's too, via
 * json_set_alloc_funcs in xalloc_init), and a failure prints one line and
 * aborts.  Callers therefore never check for NULL from x*() functions. */
#ifndef CAMPAIGND_XALLOC_H
#define CAMPAIGND_XALLOC_H

#include <stddef.h>

void xalloc_init(void);
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
