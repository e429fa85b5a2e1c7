/* outcome.h - the outcomes of an attempt (execution spec §4): their names
 * as dialerOutcome shows them, and which end a record.  Pure. */
#ifndef CAMPAIGND_OUTCOME_H
#define CAMPAIGND_OUTCOME_H

#include "campaign.h"

enum outcome {
    OUT_COMPLETED = 0,
    OUT_NO_ANSWER,
    OUT_BUSY,
    OUT_MACHINE,
    OUT_FAILED,
    OUT_INVALID_NUMBER,
    OUT_DNC,
    OUT_TIMEOUT,
    OUT_CHANNEL_ERROR,
    OUT_COUNT
};

/* "completed", "noAnswer", ...; never NULL for a valid outcome. */
const char *outcome_name(enum outcome o);
/* The outcome named s (exact), or -1. */
int outcome_parse(const char *s);
/* Whether o ends a record of a campaign of type t (SMS: every outcome;
 * voice: completed, invalidNumber and dnc). */
int outcome_final(enum outcome o, enum ctype t);
/* Whether a channel may report o for type t: dnc never (only campaignd
 * decides it), and an SMS is never noAnswer, busy or machine. */
int outcome_reportable(enum outcome o, enum ctype t);

#endif
