/* test_sim.c - outcomes (outcome.h) and the simulator's draws (sim.h,
 * execution spec §4 and §5.1). */
#include "sim.h"
#include "testutil.h"

static void test_outcome_table(void **state)
{
    (void)state;
    const char *names[] = {"completed",     "noAnswer", "busy",    "machine",     "failed",
                           "invalidNumber", "dnc",      "timeout", "channelError"};
    for (int i = 0; i < OUT_COUNT; i++) {
        assert_string_equal(outcome_name((enum outcome)i), names[i]);
        assert_int_equal(outcome_parse(names[i]), i);
        assert_true(outcome_final((enum outcome)i, CTYPE_SMS));
    }
    assert_int_equal(outcome_parse("Completed"), -1);
    assert_int_equal(outcome_parse("Pending"), -1);
    assert_int_equal(outcome_parse(NULL), -1);
    /* voice: completed, invalidNumber and dnc end a record; the rest retry */
    int final_voice = 0;
    for (int i = 0; i < OUT_COUNT; i++)
        final_voice |= outcome_final((enum outcome)i, CTYPE_VOICE) << i;
    assert_int_equal(final_voice,
                     (1 << OUT_COMPLETED) | (1 << OUT_INVALID_NUMBER) | (1 << OUT_DNC));
    assert_false(outcome_reportable(OUT_DNC, CTYPE_VOICE));
    assert_false(outcome_reportable(OUT_BUSY, CTYPE_SMS));
    assert_true(outcome_reportable(OUT_TIMEOUT, CTYPE_SMS));
    assert_true(outcome_reportable(OUT_MACHINE, CTYPE_VOICE));
}

static void test_test_numbers(void **state)
{
    (void)state;
    struct sim_mix v, s;
    sim_mix_default(CTYPE_VOICE, &v);
    sim_mix_default(CTYPE_SMS, &s);
    const int voice[] = {OUT_BUSY,           OUT_NO_ANSWER, OUT_FAILED,
                         OUT_INVALID_NUMBER, OUT_MACHINE,   OUT_COMPLETED};
    const int sms[] = {OUT_FAILED,         OUT_FAILED, OUT_FAILED,
                       OUT_INVALID_NUMBER, OUT_FAILED, OUT_COMPLETED};
    for (int k = 1; k <= 6; k++) {
        char digits[32];
        snprintf(digits, sizeof digits, "1415555000%d", k);
        for (int a = 1; a <= 5; a++) {
            assert_int_equal(sim_draw(7, digits, a, CTYPE_VOICE, &v), voice[k - 1]);
            assert_int_equal(sim_draw(7, digits, a, CTYPE_SMS, &s), sms[k - 1]);
        }
    }
}

static void test_draws_are_deterministic_and_follow_the_mix(void **state)
{
    (void)state;
    struct sim_mix v;
    sim_mix_default(CTYPE_VOICE, &v);
    int count[OUT_COUNT] = {0}, differs = 0;
    for (int i = 0; i < 20000; i++) {
        char digits[32];
        /* ending in 9: never a test number */
        snprintf(digits, sizeof digits, "1212%06d9", 1000 + i * 7);
        enum outcome o = sim_draw(1, digits, 1, CTYPE_VOICE, &v);
        assert_int_equal(o, sim_draw(1, digits, 1, CTYPE_VOICE, &v));
        differs += o != sim_draw(2, digits, 1, CTYPE_VOICE, &v);
        differs += o != sim_draw(1, digits, 2, CTYPE_VOICE, &v);
        count[o]++;
    }
    /* 70 / 15 / 10 / 5 percent, within 1.5 points over 20,000 draws */
    assert_in_range(count[OUT_COMPLETED], 13700, 14300);
    assert_in_range(count[OUT_NO_ANSWER], 2700, 3300);
    assert_in_range(count[OUT_BUSY], 1700, 2300);
    assert_in_range(count[OUT_FAILED], 700, 1300);
    assert_int_equal(count[OUT_MACHINE] + count[OUT_DNC] + count[OUT_TIMEOUT], 0);
    /* another seed or attempt number draws differently (about 46% of the time) */
    assert_in_range(differs, 15000, 22000);
}

static void test_mix_parse(void **state)
{
    (void)state;
    struct sim_mix m;
    char err[200];
    assert_int_equal(
        sim_mix_parse("completed=90,busy=5,machine=5", CTYPE_VOICE, &m, err, sizeof err), 0);
    assert_int_equal(m.pct[OUT_COMPLETED], 90);
    assert_int_equal(m.pct[OUT_MACHINE], 5);
    assert_int_equal(sim_mix_parse("completed=100", CTYPE_SMS, &m, err, sizeof err), 0);
    for (int i = 0; i < 50; i++) /* all completed */
        assert_int_equal(sim_draw(3, "14155551234", i, CTYPE_SMS, &m), OUT_COMPLETED);
    const struct {
        const char *text;
        enum ctype t;
        const char *want;
    } bad[] = {
        {"completed=90", CTYPE_VOICE, "--sim-voice: the percents must sum to 100, not 90"},
        {"busy=100", CTYPE_SMS, "--sim-sms: \"busy\" is not an outcome of SMS attempts"},
        {"dnc=100", CTYPE_VOICE, "--sim-voice: \"dnc\" is not an outcome of voice attempts"},
        {"completed=50,completed=50", CTYPE_VOICE, "--sim-voice: completed is given twice"},
        {"completed=x", CTYPE_VOICE,
         "--sim-voice: the percent of completed must be a whole number from 0 to 100"},
        {"completed=101", CTYPE_VOICE,
         "--sim-voice: the percent of completed must be a whole number from 0 to 100"},
        {"completed", CTYPE_VOICE,
         "--sim-voice must be a list of outcome=percent, such as completed=90,failed=10"},
        {"", CTYPE_VOICE, "--sim-voice: the percents must sum to 100, not 0"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        assert_int_equal(sim_mix_parse(bad[i].text, bad[i].t, &m, err, sizeof err), -1);
        assert_string_equal(err, bad[i].want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_outcome_table),
        cmocka_unit_test(test_test_numbers),
        cmocka_unit_test(test_draws_are_deterministic_and_follow_the_mix),
        cmocka_unit_test(test_mix_parse),
    };
    return unit_run(tests);
}
