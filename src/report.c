/* report.c - see report.h. */
#include "report.h"

#include <stdio.h>

#include "check.h"
#include "contract.h"
#include "outcome.h"

int report_parse(const json_t *obj, struct report *r, struct apierr *e)
{
    struct check k = CHECK_BODY(e);
    r->outcome = -1;
    r->detail = json_object();
    const char *name = check_string(&k, obj, "outcome", NULL);
    int o = outcome_parse(name);
    if (name == NULL && json_object_get(obj, "outcome") == NULL)
        check_fail(&k, "outcome", "is required");
    else if (name != NULL && (o < 0 || o == OUT_DNC))
        check_fail(&k, "outcome",
                   "must be one of completed, noAnswer, busy, machine, failed, invalidNumber, "
                   "timeout, channelError");
    else
        r->outcome = o;
    static const char *const texts[] = {"botSessionId", "botOutboundStatus",
                                        "botOutboundStatusDetail"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        const char *s = check_text(&k, obj, texts[i], NULL, 0, CONTRACT_CONTACT_FIELD_MAX);
        if (s != NULL)
            json_object_set_new(r->detail, texts[i], json_string(s));
    }
    const json_t *codes = json_object_get(obj, "agentDispositionCodes");
    if (codes != NULL &&
        (!json_is_array(codes) || json_array_size(codes) > CONTRACT_DISPOSITIONS_MAX))
        check_fail(&k, "agentDispositionCodes", "must be an array of at most %d strings",
                   CONTRACT_DISPOSITIONS_MAX);
    else if (codes != NULL) {
        json_t *keep = json_array();
        size_t i;
        json_t *v;
        json_array_foreach(codes, i, v)
        {
            char field[48];
            snprintf(field, sizeof field, "agentDispositionCodes[%zu]", i);
            json_t *one = json_pack("{sO}", "v", v);
            const char *s = check_text(&k, one, "v", field, 0, CONTRACT_CONTACT_FIELD_MAX);
            if (s != NULL)
                json_array_append_new(keep, json_string(s));
            json_decref(one);
        }
        json_object_set_new(r->detail, "agentDispositionCodes", keep);
    }
    if (k.bad) {
        report_clear(r);
        return -1;
    }
    return 0;
}

void report_clear(struct report *r)
{
    json_decref(r->detail);
    r->detail = NULL;
    r->outcome = -1;
}
