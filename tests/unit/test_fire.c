/* test_fire.c - the runner's rules for schedules and the end of runs
 * (lifecycle_fire, lifecycle_run_over; execution spec §2, §7), and the
 * fire_at that schedule changes leave (lifecycle_apply). */
#include "campaign.h"
#include "lifecycle.h"
#include "testutil.h"
#include "timefmt.h"

#define CID_ID "cid-c4ad0662-6c2e-48f7-9a2c-9da337d0a1b2"
#define GRACE_MS (900 * 1000)

/* A campaign with a daily 10:00 UTC schedule from 01-05 to 01-08 (three
 * occurrences), in status s, with a run before when had_run. */
static void mk(struct campaign *c, enum cstatus s, int had_run)
{
    campaign_init(c);
    c->name = xstrdup("Daily");
    c->status = s;
    c->updated_at = c->instance_updated_at = ms_of("2026-01-01T00:00:00Z");
    json_object_set_new(c->doc, "schedule",
                        json_pack("{s:b, s:b, s:s, s:s, s:{s:s, s:{s:i}}}", "isSchedulingEnabled",
                                  1, "isRecurrenceEnabled", 1, "startDateTime",
                                  "2026-01-05T10:00:00.000Z", "endDateTime",
                                  "2026-01-08T00:00:00.000Z", "recurrenceObject", "recurType",
                                  "Daily", "dailyDetails", "onceEveryNdays", 1));
    if (had_run)
        json_object_set_new(c->doc, "campaignInstanceId", json_string(CID_ID));
    c->fire_at = ms_of("2026-01-05T10:00:00Z");
}

static int enabled(const struct campaign *c)
{
    return lifecycle_scheduled(c);
}

static void test_an_occurrence_starts_a_scheduled_campaign(void **state)
{
    (void)state;
    struct campaign c;
    struct lc_effect fx;
    int64_t occ;
    mk(&c, CSTATUS_SCHEDULED, 0);
    int64_t boot = ms_of("2026-01-01T00:00:00Z");
    assert_int_equal(
        lifecycle_fire(&c, ms_of("2026-01-05T10:00:00.400Z"), boot, GRACE_MS, &fx, &occ),
        LC_FIRE_STARTED);
    assert_true(occ == ms_of("2026-01-05T10:00:00Z"));
    assert_int_equal(c.status, CSTATUS_ACTIVE);
    assert_true(fx.new_instance);
    /* stamped with the occurrence's instant, to the millisecond */
    assert_true(c.updated_at == occ && c.instance_updated_at == occ);
    assert_true(c.fire_at == ms_of("2026-01-06T10:00:00Z"));
    assert_true(enabled(&c));
    /* the next one comes while the run goes on: skipped, nothing stamped */
    assert_int_equal(lifecycle_fire(&c, ms_of("2026-01-06T10:00:01Z"), boot, GRACE_MS, &fx, &occ),
                     LC_FIRE_SKIPPED);
    assert_false(fx.new_instance);
    assert_true(occ == ms_of("2026-01-06T10:00:00Z"));
    assert_int_equal(c.status, CSTATUS_ACTIVE);
    assert_true(c.updated_at == ms_of("2026-01-05T10:00:00Z"));
    assert_true(c.fire_at == ms_of("2026-01-07T10:00:00Z"));
    /* the last one, still running: the schedule stays for the run's end */
    assert_int_equal(lifecycle_fire(&c, ms_of("2026-01-07T10:00:00Z"), boot, GRACE_MS, &fx, &occ),
                     LC_FIRE_SKIPPED);
    assert_true(c.fire_at == CAMPAIGN_NO_TIME);
    assert_true(enabled(&c));
    /* the run ends with no occurrence left: Completed, schedule cleared */
    lifecycle_run_over(&c, ms_of("2026-01-07T12:00:00Z"));
    assert_int_equal(c.status, CSTATUS_COMPLETED);
    assert_false(enabled(&c));
    assert_true(c.updated_at == ms_of("2026-01-07T12:00:00Z"));
    campaign_clear(&c);
}

static void test_not_yet_due_moves_nothing(void **state)
{
    (void)state;
    struct campaign c;
    struct lc_effect fx;
    int64_t occ;
    mk(&c, CSTATUS_RESCHEDULED, 1);
    int64_t before = c.updated_at;
    assert_int_equal(lifecycle_fire(&c, ms_of("2026-01-05T09:59:59Z"), 0, GRACE_MS, &fx, &occ),
                     LC_FIRE_NOTHING);
    assert_true(c.fire_at == ms_of("2026-01-05T10:00:00Z") && c.updated_at == before);
    assert_int_equal(c.status, CSTATUS_RESCHEDULED);
    campaign_clear(&c);
}

static void test_run_over_rescheduled_or_completed(void **state)
{
    (void)state;
    struct campaign c;
    mk(&c, CSTATUS_ACTIVE, 1);
    lifecycle_run_over(&c, ms_of("2026-01-05T11:00:00Z"));
    assert_int_equal(c.status, CSTATUS_RESCHEDULED);
    assert_true(enabled(&c));
    campaign_clear(&c);
    mk(&c, CSTATUS_PAUSED, 1);
    lifecycle_run_over(&c, ms_of("2026-01-05T11:00:00Z"));
    assert_int_equal(c.status, CSTATUS_PAUSED); /* a paused run stays paused */
    campaign_clear(&c);
    /* a started campaign without a schedule: Completed */
    campaign_init(&c);
    c.name = xstrdup("Once");
    c.status = CSTATUS_ACTIVE;
    lifecycle_run_over(&c, ms_of("2026-01-05T11:00:00Z"));
    assert_int_equal(c.status, CSTATUS_COMPLETED);
    assert_true(c.updated_at == ms_of("2026-01-05T11:00:00Z"));
    campaign_clear(&c);
}

/* After a restart only the latest missed occurrence counts, and only if it
 * is at most the grace late; it is stamped with the moment it fires. */
static void test_catch_up_after_a_restart(void **state)
{
    (void)state;
    struct campaign c;
    struct lc_effect fx;
    int64_t occ;
    mk(&c, CSTATUS_SCHEDULED, 0);
    int64_t boot = ms_of("2026-01-06T10:10:00Z"), now = boot + 1000;
    assert_int_equal(lifecycle_fire(&c, now, boot, GRACE_MS, &fx, &occ), LC_FIRE_STARTED);
    assert_true(occ == ms_of("2026-01-06T10:00:00Z"));
    assert_true(c.updated_at == now);
    assert_true(c.fire_at == ms_of("2026-01-07T10:00:00Z"));
    campaign_clear(&c);
    mk(&c, CSTATUS_SCHEDULED, 0);
    boot = ms_of("2026-01-06T10:20:00Z");
    assert_int_equal(lifecycle_fire(&c, boot + 1000, boot, GRACE_MS, &fx, &occ), LC_FIRE_SKIPPED);
    assert_true(occ == ms_of("2026-01-06T10:00:00Z"));
    assert_int_equal(c.status, CSTATUS_SCHEDULED);
    assert_false(fx.new_instance);
    assert_true(c.fire_at == ms_of("2026-01-07T10:00:00Z"));
    campaign_clear(&c);
    /* everything missed, nothing left: cleared, Ready (never ran) */
    mk(&c, CSTATUS_SCHEDULED, 0);
    boot = ms_of("2026-01-09T00:00:00Z");
    assert_int_equal(lifecycle_fire(&c, boot, boot, GRACE_MS, &fx, &occ), LC_FIRE_EXHAUSTED);
    assert_int_equal(c.status, CSTATUS_READY);
    assert_false(enabled(&c));
    assert_true(c.fire_at == CAMPAIGN_NO_TIME);
    campaign_clear(&c);
    /* the same after a run: Completed */
    mk(&c, CSTATUS_RESCHEDULED, 1);
    assert_int_equal(lifecycle_fire(&c, boot, boot, GRACE_MS, &fx, &occ), LC_FIRE_EXHAUSTED);
    assert_int_equal(c.status, CSTATUS_COMPLETED);
    campaign_clear(&c);
}

static void test_schedule_changes_set_fire_at(void **state)
{
    (void)state;
    struct campaign c;
    struct lc_effect fx;
    struct apierr e;
    apierr_init(&e);
    campaign_init(&c);
    c.name = xstrdup("Later");
    json_t *keys = json_pack("{s:s, s:s, s:{s:s, s:{s:i, s:[s]}}}", "startDateTime",
                             "2026-01-01T09:00:00.000Z", "endDateTime", "2026-04-01T00:00:00.000Z",
                             "recurrenceObject", "recurType", "Weekly", "weeklyDetails",
                             "onceEveryNweeks", 1, "whichDays", "Fri");
    /* enabled on Wednesday 01-14: the past Fridays never fire */
    assert_int_equal(lifecycle_apply(&c, LC_SCHEDULE, keys, ms_of("2026-01-14T12:00:00Z"), &fx, &e),
                     0);
    assert_true(c.fire_at == ms_of("2026-01-16T09:00:00Z"));
    assert_int_equal(
        lifecycle_apply(&c, LC_UNSCHEDULE, NULL, ms_of("2026-01-14T12:00:01Z"), &fx, &e), 0);
    assert_true(c.fire_at == CAMPAIGN_NO_TIME);
    assert_int_equal(lifecycle_apply(&c, LC_SCHEDULE, keys, ms_of("2026-01-14T12:00:02Z"), &fx, &e),
                     0);
    /* An update recomputes from its moment, on the wall clock of the
     * calling hours' zone: 09:00Z is 04:00 in New York in January, and
     * after the change of 03-08 04:00 EDT is 08:00Z. */
    json_object_set_new(c.doc, "dialingStrategy",
                        json_pack("{s:{s:s}}", "callingHours", "timezone", "America/New_York"));
    assert_int_equal(lifecycle_apply(&c, LC_UPDATE, NULL, ms_of("2026-03-10T00:00:00Z"), &fx, &e),
                     0);
    assert_true(c.fire_at == ms_of("2026-03-13T08:00:00Z"));
    assert_int_equal(lifecycle_apply(&c, LC_STOP, NULL, ms_of("2026-03-10T00:00:01Z"), &fx, &e), 0);
    assert_true(c.fire_at == CAMPAIGN_NO_TIME);
    json_decref(keys);
    apierr_clear(&e);
    campaign_clear(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_an_occurrence_starts_a_scheduled_campaign),
        cmocka_unit_test(test_not_yet_due_moves_nothing),
        cmocka_unit_test(test_run_over_rescheduled_or_completed),
        cmocka_unit_test(test_catch_up_after_a_restart),
        cmocka_unit_test(test_schedule_changes_set_fire_at),
    };
    return unit_run(tests);
}
