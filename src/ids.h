/* ids.h - object ids: a short prefix, a dash and a lowercase UUID
 * ("cd-0b6e3f1c-9a2d-4c8e-b1f0-7d3a5e9c2b41"), contract.md §4. */
#ifndef CAMPAIGND_IDS_H
#define CAMPAIGND_IDS_H

#include <stdbool.h>
#include <stddef.h>

/* Longest id: "cmt-" + 36. */
#define IDS_MAX 40

/* Writes prefix "-" uuid-v4 into out (IDS_MAX + 1 bytes); prefix is one of
 * "cd", "cid", "cl", "cf", "cmt", "cs", "st". Randomness from getrandom(2). */
void ids_new(const char *prefix, char out[IDS_MAX + 1]);

/* True when s[0..len) is prefix "-" followed by a lowercase UUID of any
 * version (8-4-4-4-12 hex digits).  Imported ids need not be v4. */
bool ids_valid(const char *prefix, const char *s, size_t len);

/* Fills buf with n random bytes from the kernel; aborts if it cannot. */
void ids_random(void *buf, size_t n);

#endif
