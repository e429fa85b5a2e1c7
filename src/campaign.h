/* campaign.h - the campaign model: what is stored, how a Get All Campaigns
 * result item is rendered (contract.md §4), and how an imported item is
 * read back into the model (contract.md §6).
 *
 * The fields that the listing sorts or filters on are typed members; every
 * other documented value lives in `doc`, a JSON object whose keys are the
 * documented key names.  Rendering picks keys in the documented order, so the
 * order of `doc` never matters. */
#ifndef CAMPAIGND_CAMPAIGN_H
#define CAMPAIGND_CAMPAIGN_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "apierr.h"
#include "contract.h"
#include "ids.h"

enum ctype { CTYPE_VOICE = 0, CTYPE_SMS = 1 };

/* Statuses in a fixed order: the code is the bit used in filter masks and
 * the integer stored in the `status` column.  Never reorder. */
enum cstatus {
    CSTATUS_ACTIVE = 0, CSTATUS_COMPLETED, CSTATUS_READY, CSTATUS_PAUSED,
    CSTATUS_PREPARING, CSTATUS_STOPPED, CSTATUS_SCHEDULED, CSTATUS_RESCHEDULED,
    CSTATUS_COUNT
};

/* Dialing modes; 0 means none (every SMS campaign, and voice without one). */
enum cmode { CMODE_NONE = 0, CMODE_PROGRESSIVE, CMODE_PREVIEW, CMODE_AGENTLESS, CMODE_COUNT };

#define CAMPAIGN_NO_TIME INT64_MIN

struct campaign {
    int64_t pk;                    /* the store's key; 0 before the campaign is stored */
    char id[IDS_MAX + 1];          /* "cd-…"; empty before the store assigns one */
    enum ctype type;
    char *name;                    /* owned */
    enum cstatus status;
    int priority;                  /* 1..5 */
    enum cmode mode;
    int64_t created_at, updated_at;      /* ms; CAMPAIGN_NO_TIME = generate */
    int64_t instance_updated_at;         /* ms; CAMPAIGN_NO_TIME = absent */
    int64_t fire_at;               /* ms: when the runner must next look at the schedule
                                      (execution spec §2); CAMPAIGN_NO_TIME = never */
    json_t *dnc;                   /* {"id"?, "name"} or NULL; owned */
    json_t *contact_lists;         /* array of list names, or NULL; owned */
    json_t *doc;                   /* every other documented key; owned, never NULL.
                                      A doc read from the store may be shared with
                                      other readers: copy it before changing it. */
    /* Set by campaign_apply_body for the store to resolve in the same write: */
    char *flow_name;               /* experienceFlowName given; owned */
    int message_given;             /* message given: resolve its template */
    int invalid;                   /* the body had problems (already reported): the
                                      store still resolves the names, so that every
                                      problem is listed, then fails with 400 */
};

void campaign_init(struct campaign *c);
void campaign_clear(struct campaign *c);

const char *campaign_type_name(enum ctype t);
const char *campaign_status_name(enum cstatus s);
const char *campaign_mode_name(enum cmode m);
/* Exact, case-sensitive lookups; -1 when unknown. */
int campaign_status_parse(const char *s);
int campaign_mode_parse(const char *s);
int campaign_type_parse(const char *s);

/* A priority given as an integer 1..5 or a string of digits of value 1..5;
 * -1 otherwise. */
int campaign_priority_parse(const json_t *v);
/* The same, but a string must be exactly one digit ("05" is refused), as
 * bodies and import elements require; the listing's filter takes any
 * digits. */
int campaign_priority_exact(const json_t *v);

/* The result item of contract.md §4 for c, keys in documented order, absent
 * values omitted, appended to b as JSON text (the listing's hot path). */
struct jbuf;
void campaign_write_item(struct jbuf *b, const struct campaign *c);

/* The same item as a new json_t (parsed from campaign_write_item's text). */
json_t *campaign_render_item(const struct campaign *c);

/* The export element: {"type": …} followed by the result item. */
json_t *campaign_render_export(const struct campaign *c);

/* Reads one import element (contract.md §6) into c, which must be freshly
 * initialised.  Problems are added to e with fields prefixed by `where`
 * (e.g. "[3]").  Returns 0 when the element is valid, -1 otherwise. */
int campaign_from_item(json_t *item, const char *where, struct campaign *c,
                       struct apierr *e);

/* The get/update/delete document (family spec §4.2, §5.2). */
json_t *campaign_render_document(const struct campaign *c);

/* The `data` of a create response (family spec §4.1, §5.1). */
json_t *campaign_render_created(const struct campaign *c);

/* A campaign's dialingStrategy in its type's documented key order. */
json_t *campaign_render_strategy(const struct campaign *c);

/* Create/update bodies (campaign_body.c).  campaign_apply_body checks every
 * given field and merges it into c (whose type is set, and whose doc must be
 * c's own, not a shared one); creating = 1 also requires the fields a create
 * needs.  campaign_complete then checks what the resulting SMS format or
 * voice dialing mode needs and drops what does not belong.  Problems go to
 * e with their field paths; each returns 0 when there were none. */
int campaign_apply_body(struct campaign *c, json_t *body, int creating, struct apierr *e);
int campaign_complete(struct campaign *c, struct apierr *e);

/* The body of an enable-schedule request (family spec §8.3) at time now:
 * *out receives the schedule's keys {startDateTime, endDateTime,
 * recurrenceObject} in stored form.  Every problem goes to e; 0 when none.
 * body may be NULL (every field missing). */
int campaign_schedule_parse(json_t *body, int64_t now, json_t **out, struct apierr *e);

/* Phone numbers: ^\+?[1-9][0-9]{6,14}$ (family spec §1.2). */
int campaign_phone_valid(const char *s);

#endif
