/* api_health.c - GET /healthz (contract.md §7). */
#include "api_store.h"
#include "api.h"

#include <stdio.h>

int api_health(struct api_call *c)
{
    if (c->draining) { /* a load balancer stops sending here */
        apierr_one(&c->err, 503, NULL, "The server is stopping");
        return -1;
    }
    struct store_err se = STORE_ERR_INIT;
    if (api_store(store_ping(c->store, &se), &se, &c->err) != 0) {
        c->err.status = 503;
        apierr_reset(&c->err, 503, "The store is unavailable");
        return -1;
    }
    c->status = 200;
    c->response = json_pack("{s:s}", "status", "ok");
    return 0;
}
