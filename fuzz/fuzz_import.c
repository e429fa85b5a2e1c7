/* fuzz_import.c - import files: bytes -> JSON (as `campaignd import` reads
 * it) -> campaign_from_item on each array element (or on a lone object) ->
 * campaign_render_item on success.  Checks that a rendered item keeps the
 * documented key order (contract §4) and that export -> import -> render
 * gives the same item again (contract §6).  Aborts otherwise. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign.h"
#include "xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const voice_order[] = {
    "_id", "name", "description", "dncLists", "priority", "dialingMode", "status",
    "isFiltersEnabled", "createdAt", "updatedAt", "campaignInstanceUpdatedAt", "schedule",
    "connection", "contactLists", NULL,
};
static const char *const sms_order[] = {
    "name", "description", "status", "dncLists", "priority", "message", "experienceFlow",
    "createdAt", "updatedAt", "schedule", "campaignInstanceId", "id", "totalMessagesSent",
    "campaignInstanceUpdatedAt", "campaignExecutionType", "contactLists", "format", NULL,
};

/* The keys of o are a subsequence of order, and no value is null. */
static void check_order(json_t *o, const char *const *order)
{
    const char *k;
    json_t *v;
    if (!json_is_object(o))
        abort();
    json_object_foreach(o, k, v) {
        while (*order && strcmp(*order, k) != 0)
            order++;
        if (*order == NULL || json_is_null(v))
            abort();
    }
}

static void one_item(json_t *item, size_t i)
{
    char where[32];
    snprintf(where, sizeof where, "[%zu]", i);
    struct campaign c;
    struct apierr e;
    campaign_init(&c);
    apierr_init(&e);
    int rc = campaign_from_item(item, where, &c, &e);
    if (rc == 0 && apierr_count(&e) != 0)
        abort();
    if (rc != 0 && (rc != -1 || apierr_count(&e) == 0))
        abort();
    if (rc == 0) {
        /* The store assigns an id when none is given. */
        if (c.id[0] == '\0')
            memcpy(c.id, "cd-00000000-0000-4000-8000-000000000000", 40);
        json_t *r1 = campaign_render_item(&c);
        check_order(r1, c.type == CTYPE_VOICE ? voice_order : sms_order);
        json_t *exp = campaign_render_export(&c);
        struct campaign c2;
        struct apierr e2;
        campaign_init(&c2);
        apierr_init(&e2);
        if (campaign_from_item(exp, "[0]", &c2, &e2) != 0)
            abort(); /* an exported element must import */
        json_t *r2 = campaign_render_item(&c2);
        if (!json_equal(r1, r2))
            abort();
        json_decref(r2);
        json_decref(exp);
        json_decref(r1);
        apierr_clear(&e2);
        campaign_clear(&c2);
    }
    apierr_clear(&e);
    campaign_clear(&c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) {
        xalloc_init();
        ready = 1;
    }
    json_t *v = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY,
                           NULL);
    if (v == NULL)
        return 0;
    if (json_is_array(v)) {
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) one_item(x, i);
    } else {
        one_item(v, 0);
    }
    json_decref(v);
    return 0;
}
