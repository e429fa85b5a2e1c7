/* test_lifecycle.c - the campaign status machine (family spec §7.2, §12):
 * lifecycle_apply for every cell of the transition table, from each status,
 * with and without a campaignInstanceId ("had run") and with and without an
 * enabled schedule, for both campaign types.
 *
 * The expected outcome of each cell is written out below from the table
 * (oracle()), independently of lifecycle.c.  A cell checks: 0 or a 409 with
 * the documented sentence and one `errors` entry without a field; the status
 * after; whether a new instance is opened; the schedule kept, cleared or
 * replaced; updatedAt and campaignInstanceUpdatedAt set to `now` on writes;
 * and that a refused operation changes nothing. */
#include "testutil.h"
#include "campaign.h"
#include "lifecycle.h"
#include "timefmt.h"

#define CD_ID "cd-9e14b72c-88cc-4544-9a98-7aee9b7c4d5e"
#define CID_ID "cid-c4ad0662-6c2e-48f7-9a2c-9da337d0a1b2"
/* A name with printf and JSON specials: the sentences use it verbatim. */
#define NAME "Spring Sale | 50% off %s \"Q1\""

static const enum cstatus ALL[] = {
    CSTATUS_READY,  CSTATUS_PREPARING, CSTATUS_SCHEDULED, CSTATUS_RESCHEDULED,
    CSTATUS_ACTIVE, CSTATUS_PAUSED,    CSTATUS_STOPPED,   CSTATUS_COMPLETED,
};
#define NSTATUS (sizeof ALL / sizeof ALL[0])

#define T0_TS "2025-12-08T05:29:38.298Z"
#define NOW_TS "2026-01-02T03:04:05.678Z"

/* The stored schedule of an enabled schedule, and the keys of a new one. */
static json_t *old_schedule(void)
{
    return json_pack("{s:b, s:b, s:s, s:s, s:{s:s, s:{s:i}}}", "isSchedulingEnabled", 1,
                     "isRecurrenceEnabled", 1, "startDateTime", "2026-01-27T18:29:00.000Z",
                     "endDateTime", "2026-02-27T18:29:00.000Z", "recurrenceObject", "recurType",
                     "Daily", "dailyDetails", "onceEveryNdays", 1);
}

static json_t *new_schedule_keys(void)
{
    return json_pack("{s:s, s:s, s:{s:s, s:{s:i, s:[s,s]}}}", "startDateTime",
                     "2026-03-01T00:00:00.000Z", "endDateTime", "2026-06-01T00:00:00.000Z",
                     "recurrenceObject", "recurType", "Weekly", "weeklyDetails", "onceEveryNweeks",
                     2, "whichDays", "Mon", "Fri");
}

static json_t *cleared_schedule(void)
{
    return json_pack("{s:b, s:b}", "isSchedulingEnabled", 0, "isRecurrenceEnabled", 0);
}

static void mk(struct campaign *c, enum ctype t, enum cstatus s, int had_run, int scheduled)
{
    campaign_init(c);
    c->type = t;
    c->name = xstrdup(NAME);
    c->status = s;
    memcpy(c->id, CD_ID, sizeof CD_ID);
    c->created_at = c->updated_at = c->instance_updated_at = ms_of(T0_TS);
    json_object_set_new(c->doc, "description", json_string("d"));
    json_object_set_new(c->doc, "isFiltersEnabled", json_false());
    if (had_run)
        json_object_set_new(c->doc, "campaignInstanceId", json_string(CID_ID));
    json_object_set_new(c->doc, "schedule", scheduled ? old_schedule() : cleared_schedule());
}

/* ---- the table of §7.2 (with §12), written out ------------------------------ */

enum sched_fx { S_KEPT, S_CLEARED, S_REPLACED };

struct want {
    const char *conflict;   /* NULL: success; else the verb, or "" for "has no schedule" */
    enum cstatus status;    /* after a success */
    int new_instance;
    enum sched_fx schedule;
    int writes;             /* updatedAt and campaignInstanceUpdatedAt become now */
};

static struct want ok(enum cstatus s, int new_instance, enum sched_fx sch)
{
    struct want w = {NULL, s, new_instance, sch, 1};
    return w;
}

static struct want refused(const char *verb)
{
    struct want w = {verb, CSTATUS_READY, 0, S_KEPT, 0};
    return w;
}

static struct want oracle(enum lc_op op, enum cstatus s, int had_run, int scheduled)
{
    /* An imported Preparing campaign behaves exactly like a Ready one (§7.1). */
    enum cstatus b = s == CSTATUS_PREPARING ? CSTATUS_READY : s;
    int running = b == CSTATUS_ACTIVE || b == CSTATUS_PAUSED;
    switch (op) {
    case LC_PLAY:
        if (b == CSTATUS_ACTIVE)
            return refused("started");
        /* Resuming a pause keeps its instance; a Paused campaign without one
         * (imported) opens one (§12).  The schedule is kept. */
        return ok(CSTATUS_ACTIVE, !(b == CSTATUS_PAUSED && had_run), S_KEPT);
    case LC_STOP:
        if (b == CSTATUS_READY || b == CSTATUS_STOPPED || b == CSTATUS_COMPLETED)
            return refused("stopped");
        return ok(CSTATUS_STOPPED, 0, S_CLEARED);
    case LC_SCHEDULE:
        if (running)
            return refused("scheduled");
        switch (b) {
        case CSTATUS_READY: return ok(CSTATUS_SCHEDULED, 0, S_REPLACED);
        case CSTATUS_SCHEDULED: return ok(CSTATUS_SCHEDULED, 0, S_REPLACED);
        case CSTATUS_RESCHEDULED: return ok(CSTATUS_RESCHEDULED, 0, S_REPLACED);
        case CSTATUS_STOPPED:
            return ok(had_run ? CSTATUS_RESCHEDULED : CSTATUS_SCHEDULED, 0, S_REPLACED);
        case CSTATUS_COMPLETED: return ok(CSTATUS_RESCHEDULED, 0, S_REPLACED);
        default: break;
        }
        break;
    case LC_UNSCHEDULE:
        if (b == CSTATUS_SCHEDULED || b == CSTATUS_RESCHEDULED)
            return ok(had_run ? CSTATUS_STOPPED : CSTATUS_READY, 0, S_CLEARED);
        if (running)
            return scheduled ? ok(s, 0, S_CLEARED) : refused("");
        return refused("");
    case LC_UPDATE:
        if (running)
            return refused("updated");
        return ok(s, 0, S_KEPT);
    case LC_DELETE:
        if (running)
            return refused("deleted");
        {
            struct want w = ok(s, 0, S_KEPT);
            w.writes = 0; /* the document is returned as it was */
            return w;
        }
    case LC_PAUSE:
        if (b == CSTATUS_ACTIVE && had_run)
            return ok(CSTATUS_PAUSED, 0, S_KEPT);
        return refused("paused");
    case LC_COMPLETE:
        if (running && had_run)
            return ok(CSTATUS_COMPLETED, 0, S_CLEARED);
        return refused("completed");
    }
    fail_msg("no oracle for op %d status %d", (int)op, (int)s);
    return refused("?");
}

static const char *op_name(enum lc_op op)
{
    static const char *const names[] = {"play", "stop", "schedule", "unschedule",
                                        "update", "delete", "pause", "complete"};
    return names[op];
}

/* Runs one cell; returns the number of problems (printed). */
static int cell(enum lc_op op, enum ctype t, enum cstatus s, int had_run, int scheduled)
{
    struct campaign c;
    mk(&c, t, s, had_run, scheduled);
    json_t *doc_before = json_deep_copy(c.doc);
    struct want w = oracle(op, s, had_run, scheduled);
    json_t *keys = new_schedule_keys();
    struct apierr e;
    apierr_init(&e);
    struct lc_effect fx;
    fx.new_instance = 12345; /* must be overwritten */
    int64_t now = ms_of(NOW_TS), t0 = ms_of(T0_TS);
    int rc = lifecycle_apply(&c, op, op == LC_SCHEDULE ? keys : NULL, now, &fx, &e);

    int bad = 0;
    char where[160];
    snprintf(where, sizeof where, "%s %s from %s%s%s", t == CTYPE_SMS ? "sms" : "voice",
             op_name(op), campaign_status_name(s), had_run ? ", had run" : "",
             scheduled ? ", schedule enabled" : "");
#define PROBLEM(...)                                                                               \
    do {                                                                                           \
        print_error("%s: ", where);                                                                \
        print_error(__VA_ARGS__);                                                                  \
        print_error("\n");                                                                         \
        bad++;                                                                                     \
    } while (0)

    if (w.conflict != NULL) {
        char sentence[256];
        if (w.conflict[0] == '\0')
            snprintf(sentence, sizeof sentence, "Campaign %s has no schedule enabled", NAME);
        else
            snprintf(sentence, sizeof sentence, "Campaign %s cannot be %s in status %s", NAME,
                     w.conflict, campaign_status_name(s));
        if (rc != -1)
            PROBLEM("want 409, got rc %d (status now %s)", rc, campaign_status_name(c.status));
        if (e.status != 409)
            PROBLEM("want status 409, got %d", e.status);
        /* The pause/complete sentences are the CLI's own; the documented ones
         * are checked exactly. */
        if (op != LC_PAUSE && op != LC_COMPLETE && strcmp(e.message, sentence) != 0)
            PROBLEM("want message \"%s\", got \"%s\"", sentence, e.message);
        if (strncmp(e.message, "Campaign " NAME " ", strlen("Campaign " NAME " ")) != 0)
            PROBLEM("message \"%s\" does not name the campaign verbatim", e.message);
        if (json_array_size(e.errors) != 1) {
            PROBLEM("want one errors entry, got %zu", json_array_size(e.errors));
        } else {
            json_t *x = json_array_get(e.errors, 0);
            if (json_object_get(x, "field") != NULL)
                PROBLEM("the errors entry has a field");
            if (!json_is_string(json_object_get(x, "msg")) ||
                strcmp(json_string_value(json_object_get(x, "msg")), e.message) != 0)
                PROBLEM("the errors entry's msg is not the sentence");
        }
        if (c.status != s)
            PROBLEM("status changed to %s", campaign_status_name(c.status));
        if (c.updated_at != t0 || c.instance_updated_at != t0)
            PROBLEM("timestamps changed");
        if (!json_equal(c.doc, doc_before))
            PROBLEM("the document changed");
        if (fx.new_instance != 0)
            PROBLEM("new_instance set on a refusal");
    } else {
        if (rc != 0)
            PROBLEM("want success, got rc %d: %s", rc, e.message);
        if (e.status != 0 || json_array_size(e.errors) != 0)
            PROBLEM("errors set on success");
        if (rc == 0) {
            if (c.status != w.status)
                PROBLEM("want status %s, got %s", campaign_status_name(w.status),
                        campaign_status_name(c.status));
            if (fx.new_instance != w.new_instance)
                PROBLEM("want new_instance %d, got %d", w.new_instance, fx.new_instance);
            json_t *sch = json_object_get(c.doc, "schedule");
            json_t *want_sch = NULL;
            if (w.schedule == S_KEPT) {
                want_sch = json_incref(json_object_get(doc_before, "schedule"));
            } else if (w.schedule == S_CLEARED) {
                want_sch = cleared_schedule();
            } else {
                want_sch = json_pack("{s:b, s:b}", "isSchedulingEnabled", 1,
                                     "isRecurrenceEnabled", 1);
                json_object_update(want_sch, keys);
            }
            if (!json_equal(sch, want_sch)) {
                char *g = json_dumps(sch, JSON_COMPACT | JSON_ENCODE_ANY);
                char *x = json_dumps(want_sch, JSON_COMPACT | JSON_ENCODE_ANY);
                PROBLEM("schedule %s, want %s", g ? g : "(none)", x);
                free(g);
                free(x);
            }
            if (w.schedule == S_REPLACED) {
                /* Keys in the stored order: the booleans first (§8.4). */
                const char *order[] = {"isSchedulingEnabled", "isRecurrenceEnabled",
                                       "startDateTime", "endDateTime", "recurrenceObject"};
                size_t i = 0;
                const char *k;
                json_t *v;
                json_object_foreach(sch, k, v) {
                    if (i >= 5 || strcmp(k, order[i]) != 0)
                        PROBLEM("schedule key %zu is %s", i, k);
                    i++;
                }
            }
            json_decref(want_sch);
            /* Nothing else of the document changes: the store, not the state
             * machine, records a new instance id. */
            json_t *rest = json_deep_copy(c.doc), *rest_before = json_deep_copy(doc_before);
            json_object_del(rest, "schedule");
            json_object_del(rest_before, "schedule");
            if (!json_equal(rest, rest_before))
                PROBLEM("keys other than schedule changed");
            json_decref(rest);
            json_decref(rest_before);
            int64_t want_t = w.writes ? now : t0;
            if (c.updated_at != want_t)
                PROBLEM("updatedAt %lld, want %lld", (long long)c.updated_at, (long long)want_t);
            if (c.instance_updated_at != want_t)
                PROBLEM("campaignInstanceUpdatedAt %lld, want %lld",
                        (long long)c.instance_updated_at, (long long)want_t);
            if (c.created_at != t0)
                PROBLEM("createdAt changed");
        }
    }
#undef PROBLEM
    json_decref(keys);
    json_decref(doc_before);
    apierr_clear(&e);
    campaign_clear(&c);
    return bad;
}

/* Every status x had run x schedule enabled x type for one operation. */
static void all_cells(enum lc_op op)
{
    int bad = 0;
    for (size_t i = 0; i < NSTATUS; i++)
        for (int had_run = 0; had_run <= 1; had_run++)
            for (int scheduled = 0; scheduled <= 1; scheduled++)
                for (int t = 0; t <= 1; t++)
                    bad += cell(op, t ? CTYPE_SMS : CTYPE_VOICE, ALL[i], had_run, scheduled);
    if (bad)
        fail_msg("%d problems in the %s column", bad, op_name(op));
}

static void test_play(void **state)
{
    (void)state;
    all_cells(LC_PLAY);
}

static void test_stop(void **state)
{
    (void)state;
    all_cells(LC_STOP);
}

static void test_schedule(void **state)
{
    (void)state;
    all_cells(LC_SCHEDULE);
}

static void test_unschedule(void **state)
{
    (void)state;
    all_cells(LC_UNSCHEDULE);
}

static void test_update(void **state)
{
    (void)state;
    all_cells(LC_UPDATE);
}

static void test_delete(void **state)
{
    (void)state;
    all_cells(LC_DELETE);
}

static void test_pause(void **state)
{
    (void)state;
    all_cells(LC_PAUSE);
}

static void test_complete(void **state)
{
    (void)state;
    all_cells(LC_COMPLETE);
}

/* ---- spot checks of the table, written out -------------------------------------- */

static void expect_409(struct campaign *c, enum lc_op op, const char *sentence)
{
    struct apierr e;
    struct lc_effect fx;
    apierr_init(&e);
    json_t *keys = new_schedule_keys();
    assert_int_equal(lifecycle_apply(c, op, op == LC_SCHEDULE ? keys : NULL, ms_of(NOW_TS), &fx, &e),
                     -1);
    assert_int_equal(e.status, 409);
    assert_string_equal(e.message, sentence);
    assert_int_equal(json_array_size(e.errors), 1);
    assert_null(json_object_get(json_array_get(e.errors, 0), "field"));
    assert_string_equal(json_string_value(json_object_get(json_array_get(e.errors, 0), "msg")),
                        sentence);
    json_decref(keys);
    apierr_clear(&e);
}

static void test_sentences(void **state)
{
    (void)state;
    struct campaign c;
    mk(&c, CTYPE_VOICE, CSTATUS_ACTIVE, 1, 0);
    expect_409(&c, LC_PLAY, "Campaign " NAME " cannot be started in status Active");
    expect_409(&c, LC_SCHEDULE, "Campaign " NAME " cannot be scheduled in status Active");
    expect_409(&c, LC_UPDATE, "Campaign " NAME " cannot be updated in status Active");
    expect_409(&c, LC_DELETE, "Campaign " NAME " cannot be deleted in status Active");
    expect_409(&c, LC_UNSCHEDULE, "Campaign " NAME " has no schedule enabled");
    campaign_clear(&c);

    mk(&c, CTYPE_SMS, CSTATUS_PAUSED, 1, 0);
    expect_409(&c, LC_UPDATE, "Campaign " NAME " cannot be updated in status Paused");
    expect_409(&c, LC_DELETE, "Campaign " NAME " cannot be deleted in status Paused");
    expect_409(&c, LC_SCHEDULE, "Campaign " NAME " cannot be scheduled in status Paused");
    campaign_clear(&c);

    /* <status> is the stored one, Preparing included (§12). */
    mk(&c, CTYPE_VOICE, CSTATUS_PREPARING, 0, 0);
    expect_409(&c, LC_STOP, "Campaign " NAME " cannot be stopped in status Preparing");
    expect_409(&c, LC_UNSCHEDULE, "Campaign " NAME " has no schedule enabled");
    campaign_clear(&c);

    mk(&c, CTYPE_SMS, CSTATUS_READY, 0, 0);
    expect_409(&c, LC_STOP, "Campaign " NAME " cannot be stopped in status Ready");
    campaign_clear(&c);
    mk(&c, CTYPE_SMS, CSTATUS_STOPPED, 1, 0);
    expect_409(&c, LC_STOP, "Campaign " NAME " cannot be stopped in status Stopped");
    expect_409(&c, LC_UNSCHEDULE, "Campaign " NAME " has no schedule enabled");
    campaign_clear(&c);
    mk(&c, CTYPE_VOICE, CSTATUS_COMPLETED, 1, 0);
    expect_409(&c, LC_STOP, "Campaign " NAME " cannot be stopped in status Completed");
    expect_409(&c, LC_UNSCHEDULE, "Campaign " NAME " has no schedule enabled");
    campaign_clear(&c);
}

static void apply_ok(struct campaign *c, enum lc_op op, int64_t now, enum cstatus want,
                     int want_new)
{
    struct apierr e;
    struct lc_effect fx;
    apierr_init(&e);
    json_t *keys = new_schedule_keys();
    int rc = lifecycle_apply(c, op, op == LC_SCHEDULE ? keys : NULL, now, &fx, &e);
    if (rc != 0)
        fail_msg("%s refused: %s", op_name(op), e.message);
    assert_int_equal(c->status, want);
    assert_int_equal(fx.new_instance, want_new);
    if (op != LC_DELETE) {
        assert_true(c->updated_at == now);
        assert_true(c->instance_updated_at == now);
    }
    /* What the store does for a new instance. */
    if (fx.new_instance)
        json_object_set_new(c->doc, "campaignInstanceId", json_string(CID_ID));
    json_decref(keys);
    apierr_clear(&e);
}

/* A life: every status change goes through the table. */
static void test_sequences(void **state)
{
    (void)state;
    struct campaign c;
    mk(&c, CTYPE_VOICE, CSTATUS_READY, 0, 0);
    apply_ok(&c, LC_SCHEDULE, 1000, CSTATUS_SCHEDULED, 0);
    assert_true(lifecycle_scheduled(&c));
    apply_ok(&c, LC_SCHEDULE, 2000, CSTATUS_SCHEDULED, 0); /* replaced */
    apply_ok(&c, LC_UNSCHEDULE, 3000, CSTATUS_READY, 0);   /* never ran */
    assert_false(lifecycle_scheduled(&c));
    assert_false(lifecycle_has_run(&c));
    apply_ok(&c, LC_SCHEDULE, 4000, CSTATUS_SCHEDULED, 0);
    apply_ok(&c, LC_PLAY, 5000, CSTATUS_ACTIVE, 1);
    assert_true(lifecycle_has_run(&c));
    assert_true(lifecycle_scheduled(&c)); /* a manual start keeps the schedule */
    apply_ok(&c, LC_UNSCHEDULE, 6000, CSTATUS_ACTIVE, 0);
    assert_false(lifecycle_scheduled(&c));
    expect_409(&c, LC_UNSCHEDULE, "Campaign " NAME " has no schedule enabled");
    apply_ok(&c, LC_PAUSE, 7000, CSTATUS_PAUSED, 0);
    apply_ok(&c, LC_PLAY, 8000, CSTATUS_ACTIVE, 0); /* resume: same instance */
    apply_ok(&c, LC_STOP, 9000, CSTATUS_STOPPED, 0);
    apply_ok(&c, LC_UPDATE, 10000, CSTATUS_STOPPED, 0);
    apply_ok(&c, LC_SCHEDULE, 11000, CSTATUS_RESCHEDULED, 0); /* had run */
    apply_ok(&c, LC_UNSCHEDULE, 12000, CSTATUS_STOPPED, 0);
    apply_ok(&c, LC_SCHEDULE, 13000, CSTATUS_RESCHEDULED, 0);
    apply_ok(&c, LC_STOP, 14000, CSTATUS_STOPPED, 0);
    assert_false(lifecycle_scheduled(&c)); /* a stop always clears */
    apply_ok(&c, LC_PLAY, 15000, CSTATUS_ACTIVE, 1);
    apply_ok(&c, LC_COMPLETE, 16000, CSTATUS_COMPLETED, 0);
    apply_ok(&c, LC_SCHEDULE, 17000, CSTATUS_RESCHEDULED, 0);
    apply_ok(&c, LC_PLAY, 18000, CSTATUS_ACTIVE, 1);
    assert_true(lifecycle_scheduled(&c));
    apply_ok(&c, LC_STOP, 19000, CSTATUS_STOPPED, 0);
    apply_ok(&c, LC_DELETE, 20000, CSTATUS_STOPPED, 0);
    assert_true(c.updated_at == 19000); /* delete is not a write of the campaign */
    campaign_clear(&c);

    /* A Stopped campaign that never ran (stopped while Scheduled) schedules
     * as Scheduled, and disabling returns it to Ready. */
    mk(&c, CTYPE_SMS, CSTATUS_SCHEDULED, 0, 1);
    apply_ok(&c, LC_STOP, 1000, CSTATUS_STOPPED, 0);
    assert_false(lifecycle_has_run(&c));
    apply_ok(&c, LC_SCHEDULE, 2000, CSTATUS_SCHEDULED, 0);
    apply_ok(&c, LC_UNSCHEDULE, 3000, CSTATUS_READY, 0);
    campaign_clear(&c);

    /* An imported Paused campaign without an instance opens one on start. */
    mk(&c, CTYPE_VOICE, CSTATUS_PAUSED, 0, 0);
    apply_ok(&c, LC_PLAY, 1000, CSTATUS_ACTIVE, 1);
    campaign_clear(&c);
}

/* The admin CLI's operations keep the invariant: Paused and Completed
 * campaigns have an instance; Paused only from Active. */
static void test_cli_invariants(void **state)
{
    (void)state;
    for (size_t i = 0; i < NSTATUS; i++) {
        for (int had_run = 0; had_run <= 1; had_run++) {
            for (int op = LC_PAUSE; op <= LC_COMPLETE; op++) {
                struct campaign c;
                struct apierr e;
                struct lc_effect fx;
                mk(&c, CTYPE_VOICE, ALL[i], had_run, 0);
                apierr_init(&e);
                int rc = lifecycle_apply(&c, (enum lc_op)op, NULL, 5, &fx, &e);
                if (rc == 0) {
                    assert_true(lifecycle_has_run(&c));
                    assert_int_equal(c.status, op == LC_PAUSE ? CSTATUS_PAUSED : CSTATUS_COMPLETED);
                    if (op == LC_PAUSE)
                        assert_int_equal(ALL[i], CSTATUS_ACTIVE);
                    else
                        assert_true(ALL[i] == CSTATUS_ACTIVE || ALL[i] == CSTATUS_PAUSED);
                    assert_int_equal(fx.new_instance, 0);
                } else {
                    assert_int_equal(e.status, 409);
                    assert_int_equal(c.status, ALL[i]);
                }
                apierr_clear(&e);
                campaign_clear(&c);
            }
        }
    }
}

/* has_run needs a campaignInstanceId string; scheduled needs true. */
static void test_predicates(void **state)
{
    (void)state;
    struct campaign c;
    mk(&c, CTYPE_SMS, CSTATUS_READY, 0, 0);
    assert_false(lifecycle_has_run(&c));
    assert_false(lifecycle_scheduled(&c));
    json_object_set_new(c.doc, "campaignInstanceId", json_string(CID_ID));
    assert_true(lifecycle_has_run(&c));
    json_object_set_new(c.doc, "schedule", old_schedule());
    assert_true(lifecycle_scheduled(&c));
    json_object_set_new(c.doc, "schedule", json_pack("{s:s}", "isSchedulingEnabled", "true"));
    assert_false(lifecycle_scheduled(&c));
    json_object_del(c.doc, "schedule");
    assert_false(lifecycle_scheduled(&c));
    campaign_clear(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_play),
        cmocka_unit_test(test_stop),
        cmocka_unit_test(test_schedule),
        cmocka_unit_test(test_unschedule),
        cmocka_unit_test(test_update),
        cmocka_unit_test(test_delete),
        cmocka_unit_test(test_pause),
        cmocka_unit_test(test_complete),
        cmocka_unit_test(test_sentences),
        cmocka_unit_test(test_sequences),
        cmocka_unit_test(test_cli_invariants),
        cmocka_unit_test(test_predicates),
    };
    return unit_run(tests);
}
