/* api_health.c - GET /healthz (contract.md §7). */
#include "api.h"

#include <stdio.h>

int api_health(struct api_call *c)
{
    if (store_ping(c->store, &c->err) != 0) {
        c->err.status = 503;
        apierr_reset(&c->err, 503, "The store is unavailable");
        return -1;
    }
    c->status = 200;
    c->response = json_pack("{s:s}", "status", "ok");
    return 0;
}
