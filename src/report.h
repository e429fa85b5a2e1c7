/* report.h - an attempt's outcome as a channel reports it (execution spec
 * §6): the callback's body, a webhook's synchronous answer, and the admin
 * CLI's `campaign outcome`.  Model layer: JSON in, checked fields out. */
#ifndef CAMPAIGND_REPORT_H
#define CAMPAIGND_REPORT_H

#include <jansson.h>

#include "apierr.h"

struct report {
    int outcome;    /* enum outcome; never dnc */
    json_t *detail; /* owned: the contacts view fields given (botSessionId,
                       agentDispositionCodes, botOutboundStatus,
                       botOutboundStatusDetail), possibly empty */
};

/* Checks obj as a report: `outcome` required, one of the §4 names but dnc;
 * the four view fields optional, strings of at most
 * CONTRACT_CONTACT_FIELD_MAX code points (agentDispositionCodes an array of
 * at most CONTRACT_DISPOSITIONS_MAX of them); other keys ignored.  0 with
 * *r filled (report_clear frees it), or -1 with every problem on e (400). */
int report_parse(const json_t *obj, struct report *r, struct apierr *e);
void report_clear(struct report *r);

#endif
