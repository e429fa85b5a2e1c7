/* ratelimit.c - see ratelimit.h. */
#include "ratelimit.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

#define RL_SLOTS 4096   /* a power of two */
#define RL_PROBE 8      /* slots looked at per key */
#define RL_KEY_MAX 48   /* "cs-" + uuid fits */

struct bucket {
    char key[RL_KEY_MAX];
    double tokens;
    int64_t at_ms;      /* last refill; 0 = free slot */
};

struct ratelimit {
    pthread_mutex_t mu;
    double rate, burst;
    struct bucket slots[RL_SLOTS];
};

struct ratelimit *ratelimit_new(double rate, double burst)
{
    struct ratelimit *rl = xcalloc(1, sizeof *rl);
    pthread_mutex_init(&rl->mu, NULL);
    rl->rate = rate;
    rl->burst = burst < 1 ? 1 : burst;
    return rl;
}

void ratelimit_free(struct ratelimit *rl)
{
    if (rl == NULL)
        return;
    pthread_mutex_destroy(&rl->mu);
    free(rl);
}

static uint32_t hash(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

int ratelimit_take(struct ratelimit *rl, const char *key, int64_t now_ms)
{
    uint32_t h = hash(key);
    int wait = 0;
    pthread_mutex_lock(&rl->mu);
    struct bucket *b = NULL, *oldest = NULL;
    for (int i = 0; i < RL_PROBE && b == NULL; i++) {
        struct bucket *s = &rl->slots[(h + (uint32_t)i) & (RL_SLOTS - 1)];
        if (s->at_ms != 0 && strncmp(s->key, key, RL_KEY_MAX) == 0)
            b = s;
        else if (oldest == NULL || s->at_ms < oldest->at_ms)
            oldest = s;
    }
    if (b == NULL) {
        b = oldest;
        strncpy(b->key, key, RL_KEY_MAX - 1);
        b->key[RL_KEY_MAX - 1] = '\0';
        b->tokens = rl->burst;
        b->at_ms = now_ms;
    }
    double t = b->tokens + (double)(now_ms - b->at_ms) / 1000.0 * rl->rate;
    b->tokens = t > rl->burst ? rl->burst : t;
    b->at_ms = now_ms > 0 ? now_ms : 1;
    if (b->tokens >= 1.0)
        b->tokens -= 1.0;
    else
        wait = (int)ceil((1.0 - b->tokens) / rl->rate);
    pthread_mutex_unlock(&rl->mu);
    return wait;
}
