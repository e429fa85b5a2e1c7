/* demo.c - the demo tenant of `serve --demo`: the documented sample
 * campaigns (demo/samples.json, compiled in), under the documented account
 * and stream ids with their redacted digits replaced by zeros. */
#include <string.h>

#include "api_store.h"
#include "cli.h"

#define DEMO_ACCOUNT "67777ce93e25326494e00000"
#define DEMO_STREAM "st-0603182c-7ffb-53c3-b307-47ca14b00000"

extern const char demo_samples_json[]; /* generated from demo/samples.json */

int demo_ensure(struct store *s, struct store_creds *creds, struct apierr *e)
{
    struct store_err se = STORE_ERR_INIT;
    struct apierr probe;
    apierr_init(&probe);
    int rc = api_store(store_app_first_client(s, DEMO_STREAM, creds, &se), &se, &probe);
    int missing = rc != 0 && probe.status == 404;
    if (rc != 0 && !missing)
        apierr_set(e, probe.status, "%s", apierr_message(&probe));
    apierr_clear(&probe);
    if (rc == 0)
        return 0;           /* loaded by an earlier run */
    if (!missing)
        return -1;
    int64_t app_pk;
    if (api_store(store_app_create(s, DEMO_ACCOUNT, DEMO_STREAM, "campaignd demo", SCOPE_CAMPAIGNS,
                                   creds, &se),
                  &se, e) != 0 ||
        api_store(store_app_find(s, DEMO_ACCOUNT, DEMO_STREAM, &app_pk, &se), &se, e) != 0)
        return -1;
    return cli_import_text(s, app_pk, demo_samples_json, strlen(demo_samples_json), e) < 0 ? -1
                                                                                          : 0;
}
