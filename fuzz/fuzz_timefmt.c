/* fuzz_timefmt.c - timestamps: bytes -> timefmt_parse; whatever parses must
 * format and parse back to the same instant (contract §3, §4).  Aborts
 * otherwise. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "timefmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    int64_t ms = 0x5a5a5a5a;
    if (timefmt_parse(s, size, &ms) != 0) {
        if (ms != 0x5a5a5a5a)
            abort(); /* untouched on failure */
        return 0;
    }
    char out[TIMEFMT_LEN + 1];
    timefmt_format(ms, out);
    if (strlen(out) != TIMEFMT_LEN)
        abort();
    int64_t again = 0;
    if (timefmt_parse(out, TIMEFMT_LEN, &again) != 0 || again != ms)
        abort();
    /* A stamp already in the canonical form formats back byte for byte. */
    if (size == TIMEFMT_LEN && s[10] == 'T' && s[19] == '.' && s[23] == 'Z' &&
        memcmp(out, s, TIMEFMT_LEN) != 0)
        abort();
    /* The bare date is midnight UTC. */
    if (size == 10 && ms % 86400000 != 0)
        abort();
    return 0;
}
