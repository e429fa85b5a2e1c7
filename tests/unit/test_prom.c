/* test_prom.c - the Prometheus text exposition writer (prom.h). */
#include <time.h>

#include "prom.h"
#include "testutil.h"

static char *text_of(struct jbuf *b)
{
    size_t len;
    return jbuf_finish(b, &len);
}

static void test_family_and_samples(void **state)
{
    (void)state;
    struct jbuf b = {NULL, 0, 0};
    prom_family(&b, "campaignd_x_total", "Things\\done.\nTwo lines.", "counter");
    prom_sample(&b, "campaignd_x_total",
                (const char *const[]){"route", "/a/:id", "code", "200", NULL}, 3);
    prom_sample(&b, "campaignd_x_total", (const char *const[]){"v", "q\"b\\s\nn", NULL}, 0.25);
    prom_sample(&b, "campaignd_up", NULL, 1);
    prom_sample(&b, "campaignd_big", NULL, 1e20);
    char *t = text_of(&b);
    assert_string_equal(t, "# HELP campaignd_x_total Things\\\\done.\\nTwo lines.\n"
                           "# TYPE campaignd_x_total counter\n"
                           "campaignd_x_total{route=\"/a/:id\",code=\"200\"} 3\n"
                           "campaignd_x_total{v=\"q\\\"b\\\\s\\nn\"} 0.25\n"
                           "campaignd_up 1\n"
                           "campaignd_big 1e+20\n");
    free(t);
}

static void test_histogram(void **state)
{
    (void)state;
    static const double bounds[] = {0.01, 0.1, 1};
    struct prom_hist h;
    prom_hist_init(&h, bounds, 3);
    prom_hist_observe(&h, 0.005);
    prom_hist_observe(&h, 0.01); /* le is inclusive */
    prom_hist_observe(&h, 0.5);
    prom_hist_observe(&h, 7);
    prom_hist_observe(&h, -1); /* counted as 0 */
    struct jbuf b = {NULL, 0, 0};
    prom_hist_write(&b, "campaignd_d_seconds", (const char *const[]){"route", "/r", NULL}, &h);
    char *t = text_of(&b);
    assert_string_equal(t, "campaignd_d_seconds_bucket{route=\"/r\",le=\"0.01\"} 3\n"
                           "campaignd_d_seconds_bucket{route=\"/r\",le=\"0.1\"} 3\n"
                           "campaignd_d_seconds_bucket{route=\"/r\",le=\"1\"} 4\n"
                           "campaignd_d_seconds_bucket{route=\"/r\",le=\"+Inf\"} 5\n"
                           "campaignd_d_seconds_sum{route=\"/r\"} 7.515\n"
                           "campaignd_d_seconds_count{route=\"/r\"} 5\n");
    free(t);
}

static void test_process(void **state)
{
    (void)state;
    struct jbuf b = {NULL, 0, 0};
    prom_process(&b, 1767225600.5);
    char *t = text_of(&b);
    double rss = 0, fds = 0, start = 0, cpu = -1;
    for (char *line = strtok(t, "\n"); line != NULL; line = strtok(NULL, "\n")) {
        sscanf(line, "process_resident_memory_bytes %lf", &rss);
        sscanf(line, "process_open_fds %lf", &fds);
        sscanf(line, "process_start_time_seconds %lf", &start);
        sscanf(line, "process_cpu_seconds_total %lf", &cpu);
    }
    assert_true(rss > 1 << 20); /* a process under ASan holds more than 1 MiB */
    assert_true(fds >= 3);      /* stdin, stdout, stderr */
    assert_true(start == 1767225600.5);
    assert_true(cpu >= 0);
    free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_family_and_samples),
        cmocka_unit_test(test_histogram),
        cmocka_unit_test(test_process),
    };
    return unit_run(tests);
}
