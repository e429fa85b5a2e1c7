/* outcome.c - see outcome.h; the table of execution spec §4. */
#include "outcome.h"

#include <string.h>

static const struct {
    const char *name;
    unsigned char voice_final, sms; /* sms: 0 not an SMS outcome, 1 one */
} table[OUT_COUNT] = {
    [OUT_COMPLETED] = {"completed", 1, 1},
    [OUT_NO_ANSWER] = {"noAnswer", 0, 0},
    [OUT_BUSY] = {"busy", 0, 0},
    [OUT_MACHINE] = {"machine", 0, 0},
    [OUT_FAILED] = {"failed", 0, 1},
    [OUT_INVALID_NUMBER] = {"invalidNumber", 1, 1},
    [OUT_DNC] = {"dnc", 1, 1},
    [OUT_TIMEOUT] = {"timeout", 0, 1},
    [OUT_CHANNEL_ERROR] = {"channelError", 0, 1},
};

const char *outcome_name(enum outcome o)
{
    return (unsigned)o < OUT_COUNT ? table[o].name : NULL;
}

int outcome_parse(const char *s)
{
    for (int i = 0; s != NULL && i < OUT_COUNT; i++)
        if (strcmp(s, table[i].name) == 0)
            return i;
    return -1;
}

int outcome_final(enum outcome o, enum ctype t)
{
    return t == CTYPE_SMS ? 1 : table[o].voice_final;
}

int outcome_reportable(enum outcome o, enum ctype t)
{
    return o != OUT_DNC && (t == CTYPE_VOICE || table[o].sms);
}
