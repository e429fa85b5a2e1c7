/* api_attempts.c - outcomes sent back (execution spec §6):
 * POST /campaignd/v1/attempts/{attemptId}/outcome.  dispatch.c has checked
 * the Standard Webhooks signature (ROUTE_SIGNED) before the body is read. */
#include "api.h"
#include "api_store.h"
#include "report.h"
#include "timefmt.h"

int api_attempt_outcome(struct api_call *c)
{
    struct report r;
    if (report_parse(c->body, &r, &c->err) != 0) {
        apierr_set(&c->err, 400, "Request validation failed");
        return -1;
    }
    struct store_err se = STORE_ERR_INIT;
    int rc = api_store(
        store_attempt_report(c->store, c->object_id, r.outcome, r.detail, timefmt_now_ms(), &se),
        &se, &c->err);
    report_clear(&r);
    return rc != 0 ? -1 : api_ok(c, 200, json_pack("{s:s}", "status", "success"));
}
