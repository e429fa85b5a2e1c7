/* channel_sim.c - the simulator channel: see channel.h and sim.h.  With a
 * log file it remembers every attempt it acted on, across restarts, and
 * answers an attempt id it has seen with its first outcome without acting
 * again, as a gateway honouring Idempotency-Key does (execution spec §5.1). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "channel.h"
#include "log.h"
#include "sim.h"
#include "timefmt.h"
#include "xalloc.h"

/* Attempt ids seen, with their outcomes: open addressing, a power of two. */
struct seen {
    char (*id)[IDS_MAX + 1];
    int *outcome;
    size_t cap, n;
};

struct sim_channel {
    struct channel ch; /* first: the ops */
    uint64_t seed;
    int64_t latency_ms;
    struct sim_mix voice, sms;
    FILE *log; /* --sim-log, or NULL */
    struct seen seen;
};

static size_t slot_of(const struct seen *s, const char *id)
{
    uint64_t h = 1469598103934665603ULL;
    for (const char *p = id; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    size_t i = (size_t)h & (s->cap - 1);
    while (s->id[i][0] != '\0' && strcmp(s->id[i], id) != 0)
        i = (i + 1) & (s->cap - 1);
    return i;
}

static void seen_put(struct seen *s, const char *id, int outcome)
{
    if (2 * (s->n + 1) > s->cap) {
        struct seen bigger = {xcalloc(s->cap ? 2 * s->cap : 1024, sizeof *s->id),
                              xcalloc(s->cap ? 2 * s->cap : 1024, sizeof *s->outcome),
                              s->cap ? 2 * s->cap : 1024, 0};
        for (size_t i = 0; i < s->cap; i++)
            if (s->id[i][0] != '\0')
                seen_put(&bigger, s->id[i], s->outcome[i]);
        free(s->id);
        free(s->outcome);
        *s = bigger;
    }
    size_t i = slot_of(s, id);
    if (s->id[i][0] == '\0') {
        snprintf(s->id[i], sizeof s->id[i], "%s", id);
        s->outcome[i] = outcome;
        s->n++;
    }
}

static int seen_get(const struct seen *s, const char *id)
{
    if (s->cap == 0)
        return -1;
    size_t i = slot_of(s, id);
    return s->id[i][0] != '\0' ? s->outcome[i] : -1;
}

/* Reads the log's lines; a torn last line (no newline, or not JSON) is
 * ignored.  Returns the number of attempts read. */
static size_t read_log(struct sim_channel *sc, FILE *f)
{
    char line[1024];
    size_t n = 0;
    while (fgets(line, sizeof line, f) != NULL) {
        if (strchr(line, '\n') == NULL)
            break;
        json_t *j = json_loads(line, 0, NULL);
        const char *id = json_string_value(json_object_get(j, "attemptId"));
        int o = outcome_parse(json_string_value(json_object_get(j, "outcome")));
        if (id != NULL && o >= 0 && strlen(id) <= IDS_MAX) {
            seen_put(&sc->seen, id, o);
            n++;
        }
        json_decref(j);
    }
    return n;
}

/* One attempt: its first outcome when seen before, else a draw (logged). */
static void sim_one(struct sim_channel *sc, const struct store_attempt *a, int64_t now,
                    struct channel_result *out)
{
    out->kind = CH_ACCEPTED;
    out->at = now + sc->latency_ms;
    out->detail = NULL;
    int known = seen_get(&sc->seen, a->id);
    if (known >= 0) {
        out->outcome = known;
        return;
    }
    out->outcome = (int)sim_draw(sc->seed, a->digits, a->n, a->type,
                                 a->type == CTYPE_SMS ? &sc->sms : &sc->voice);
    if (sc->log == NULL)
        return;
    char at[TIMEFMT_LEN + 1];
    timefmt_format(now, at);
    json_t *j = json_pack("{s:s, s:s, s:s, s:s}", "attemptId", a->id, "phoneNumber", a->phone,
                          "outcome", outcome_name((enum outcome)out->outcome), "at", at);
    char *text = json_dumps(j, JSON_COMPACT);
    /* On disk (the kernel's) before the answer: a kill -9 after this
     * line cannot make the simulator act on the attempt again. */
    fprintf(sc->log, "%s\n", text);
    fflush(sc->log);
    free(text);
    json_decref(j);
    seen_put(&sc->seen, a->id, out->outcome);
}

static void sim_send(struct channel *ch, const struct store_attempt *a, size_t n, int64_t now,
                     struct channel_result *out)
{
    for (size_t i = 0; i < n; i++)
        sim_one((struct sim_channel *)ch, &a[i], now, &out[i]);
}

static void sim_close(struct channel *ch)
{
    struct sim_channel *sc = (struct sim_channel *)ch;
    if (sc->log != NULL)
        fclose(sc->log);
    free(sc->seen.id);
    free(sc->seen.outcome);
    free(sc);
}

struct channel *channel_sim_open(uint64_t seed, int64_t latency_ms, const char *log_path,
                                 const struct sim_mix *voice, const struct sim_mix *sms)
{
    struct sim_channel *sc = xcalloc(1, sizeof *sc);
    sc->ch.name = "simulator";
    sc->ch.send = sim_send;
    sc->ch.close = sim_close;
    sc->seed = seed;
    sc->latency_ms = latency_ms;
    sim_mix_default(CTYPE_VOICE, &sc->voice);
    sim_mix_default(CTYPE_SMS, &sc->sms);
    if (voice != NULL)
        sc->voice = *voice;
    if (sms != NULL)
        sc->sms = *sms;
    if (log_path != NULL) {
        FILE *f = fopen(log_path, "r");
        int torn = 0;
        if (f != NULL) {
            log_info("simulator: %zu attempts read from %s", read_log(sc, f), log_path);
            /* A torn last line gets its end, so that the next line stands alone. */
            torn = fseek(f, -1, SEEK_END) == 0 && fgetc(f) != '\n';
            fclose(f);
        }
        if ((sc->log = fopen(log_path, "a")) == NULL) {
            log_error("simulator: cannot open %s for appending", log_path);
            sim_close(&sc->ch);
            return NULL;
        }
        if (torn)
            fputc('\n', sc->log);
    }
    return &sc->ch;
}
