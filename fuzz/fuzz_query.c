/* fuzz_query.c - request bodies: bytes -> jsonio_parse_object (depth 32) ->
 * query_parse -> query_order, checking the invariants the store relies on
 * (contract §3, §5).  Aborts when one does not hold. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jsonio.h"
#include "query.h"
#include "xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_DEPTH 32

static size_t depth_of(const json_t *v)
{
    size_t d = 0, i;
    const char *k;
    json_t *x;
    if (json_is_object(v)) {
        json_object_foreach((json_t *)(uintptr_t)v, k, x) {
            size_t c = depth_of(x);
            d = c > d ? c : d;
        }
        return d + 1;
    }
    if (json_is_array(v)) {
        json_array_foreach(v, i, x) {
            size_t c = depth_of(x);
            d = c > d ? c : d;
        }
        return d + 1;
    }
    return 0;
}

/* A mask is all-ones (no filter) or a non-empty subset of the allowed bits. */
static int mask_ok(uint32_t m, uint32_t allowed)
{
    return m == QUERY_MASK_ALL || (m != 0 && (m & ~allowed) == 0);
}

static void check_query(const struct list_query *q)
{
    if (q->type != CTYPE_VOICE && q->type != CTYPE_SMS)
        abort();
    if (q->limit < 1 || q->limit > CONTRACT_LIMIT_MAX)
        abort();
    if (q->offset < 0 || q->offset > CONTRACT_COUNT_MAX + (CONTRACT_COUNT_MAX - 1) * CONTRACT_LIMIT_MAX)
        abort();
    if (q->start_ms != INT64_MIN && q->end_ms != INT64_MAX && q->start_ms > q->end_ms)
        abort();
    if (q->nsort < 0 || q->nsort > CONTRACT_SORT_KEYS_MAX)
        abort();
    for (int i = 0; i < q->nsort; i++) {
        if ((unsigned)q->sort[i].field > SORT_UPDATED_AT || (q->sort[i].desc & ~1) != 0)
            abort();
        for (int j = 0; j < i; j++)
            if (q->sort[j].field == q->sort[i].field)
                abort(); /* a key given twice: duplicates should not get here */
    }
    if (!mask_ok(q->status_mask, (1u << CSTATUS_COUNT) - 1) ||
        !mask_ok(q->priority_mask, 0x3eu) || !mask_ok(q->mode_mask, 0x0eu))
        abort();
    if (q->type == CTYPE_SMS && q->mode_mask != QUERY_MASK_ALL)
        abort();
    int f[4], d[4];
    int n = query_order(q, f, d);
    if (n != (q->nsort ? q->nsort : 1) + 1 || f[n - 1] != -1 || d[n - 1] != d[n - 2])
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) {
        xalloc_init();
        ready = 1;
    }
    struct apierr e;
    apierr_init(&e);
    json_t *body = jsonio_parse_object((const char *)data, size, FUZZ_DEPTH, &e);
    if (body == NULL) {
        if (e.status != 400 || apierr_count(&e) == 0)
            abort();
    } else {
        if (!json_is_object(body) || depth_of(body) > FUZZ_DEPTH || e.status != 0)
            abort();
        struct list_query q;
        int rc = query_parse(body, &q, &e);
        if (rc == 0) {
            if (e.status != 0 || apierr_count(&e) != 0)
                abort();
            check_query(&q);
        } else if (rc != -1 || e.status != 400 || apierr_count(&e) == 0) {
            abort();
        }
        json_decref(body);
    }
    /* Every error renders into the contract's body. */
    json_t *eb = apierr_body(&e);
    char *s = jsonio_dump(eb, NULL);
    if (s == NULL)
        abort();
    free(s);
    json_decref(eb);
    apierr_clear(&e);
    return 0;
}
