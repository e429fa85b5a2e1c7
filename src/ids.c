/* ids.c - random ids. */
#include "ids.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

void ids_random(void *buf, size_t n)
{
    uint8_t *p = buf;
    while (n > 0) {
        ssize_t r = getrandom(p, n, 0);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            fprintf(stderr, "campaignd: getrandom failed\n");
            abort();
        }
        p += r;
        n -= (size_t)r;
    }
}

void ids_new(const char *prefix, char out[IDS_MAX + 1])
{
    static const char hex[] = "0123456789abcdef";
    uint8_t b[16];
    ids_random(b, sizeof b);
    b[6] = (uint8_t)((b[6] & 0x0f) | 0x40); /* version 4 */
    b[8] = (uint8_t)((b[8] & 0x3f) | 0x80); /* RFC 4122 variant */
    size_t n = strlen(prefix);
    memcpy(out, prefix, n);
    out[n++] = '-';
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out[n++] = '-';
        out[n++] = hex[b[i] >> 4];
        out[n++] = hex[b[i] & 15];
    }
    out[n] = '\0';
}

bool ids_valid(const char *prefix, const char *s, size_t len)
{
    size_t p = strlen(prefix);
    if (len != p + 37 || memcmp(s, prefix, p) != 0 || s[p] != '-')
        return false;
    const char *u = s + p + 1;
    for (size_t i = 0; i < 36; i++) {
        char c = u[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-')
                return false;
        } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return false;
        }
    }
    return true;
}
