/* lcache.c - the bounded LRU byte cache of lcache.h: a chained hash table
 * and a recency list under one mutex; values are copied in and out, so no
 * caller ever holds a reference into the cache. */
#include "lcache.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

struct entry {
    struct entry *next_hash;
    struct entry *prev, *next; /* recency: head is the most recent */
    uint64_t hash;
    size_t klen, len;
    char *key, *val;
};

struct lcache {
    pthread_mutex_t mu;
    size_t budget, bytes;
    size_t nbuckets; /* a power of two */
    struct entry **buckets;
    struct entry *head, *tail;
    struct lcache_stats st;
};

static uint64_t hash_bytes(const void *p, size_t n)
{
    const unsigned char *b = p;
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 1099511628211ULL;
    return h;
}

struct lcache *lcache_new(size_t max_bytes)
{
    if (max_bytes == 0)
        return NULL;
    struct lcache *c = xcalloc(1, sizeof *c);
    pthread_mutex_init(&c->mu, NULL);
    c->budget = max_bytes;
    c->nbuckets = 4096;
    c->buckets = xcalloc(c->nbuckets, sizeof *c->buckets);
    return c;
}

static size_t entry_cost(const struct entry *e)
{
    return e->klen + e->len + sizeof *e;
}

static void unlink_recency(struct lcache *c, struct entry *e)
{
    if (e->prev)
        e->prev->next = e->next;
    else
        c->head = e->next;
    if (e->next)
        e->next->prev = e->prev;
    else
        c->tail = e->prev;
    e->prev = e->next = NULL;
}

static void push_front(struct lcache *c, struct entry *e)
{
    e->prev = NULL;
    e->next = c->head;
    if (c->head)
        c->head->prev = e;
    c->head = e;
    if (c->tail == NULL)
        c->tail = e;
}

static struct entry **find(struct lcache *c, uint64_t h, const void *key, size_t klen)
{
    struct entry **pp = &c->buckets[h & (c->nbuckets - 1)];
    for (; *pp != NULL; pp = &(*pp)->next_hash) {
        struct entry *e = *pp;
        if (e->hash == h && e->klen == klen && memcmp(e->key, key, klen) == 0)
            return pp;
    }
    return pp;
}

static void drop(struct lcache *c, struct entry **pp)
{
    struct entry *e = *pp;
    *pp = e->next_hash;
    unlink_recency(c, e);
    c->bytes -= entry_cost(e);
    c->st.entries--;
    free(e->key);
    free(e->val);
    free(e);
}

static void grow(struct lcache *c)
{
    size_t n = c->nbuckets * 2;
    struct entry **b = xcalloc(n, sizeof *b);
    for (size_t i = 0; i < c->nbuckets; i++) {
        struct entry *e = c->buckets[i];
        while (e != NULL) {
            struct entry *next = e->next_hash;
            e->next_hash = b[e->hash & (n - 1)];
            b[e->hash & (n - 1)] = e;
            e = next;
        }
    }
    free(c->buckets);
    c->buckets = b;
    c->nbuckets = n;
}

void lcache_free(struct lcache *c)
{
    if (c == NULL)
        return;
    while (c->head != NULL) {
        struct entry *e = c->head;
        c->head = e->next;
        free(e->key);
        free(e->val);
        free(e);
    }
    free(c->buckets);
    pthread_mutex_destroy(&c->mu);
    free(c);
}

char *lcache_get(struct lcache *c, const void *key, size_t klen, size_t *len)
{
    if (c == NULL)
        return NULL;
    uint64_t h = hash_bytes(key, klen);
    char *out = NULL;
    pthread_mutex_lock(&c->mu);
    struct entry *e = *find(c, h, key, klen);
    if (e != NULL) {
        unlink_recency(c, e);
        push_front(c, e);
        out = xmalloc(e->len + 1);
        memcpy(out, e->val, e->len);
        out[e->len] = '\0';
        *len = e->len;
        c->st.hits++;
    } else {
        c->st.misses++;
    }
    pthread_mutex_unlock(&c->mu);
    return out;
}

void lcache_put(struct lcache *c, const void *key, size_t klen, const char *val, size_t len)
{
    if (c == NULL || klen + len + sizeof(struct entry) > c->budget / 8)
        return;
    struct entry *e = xcalloc(1, sizeof *e);
    e->hash = hash_bytes(key, klen);
    e->klen = klen;
    e->len = len;
    e->key = xmalloc(klen);
    memcpy(e->key, key, klen);
    e->val = xmalloc(len);
    memcpy(e->val, val, len);
    pthread_mutex_lock(&c->mu);
    struct entry **pp = find(c, e->hash, key, klen);
    if (*pp != NULL)
        drop(c, pp);
    pp = &c->buckets[e->hash & (c->nbuckets - 1)];
    e->next_hash = *pp;
    *pp = e;
    push_front(c, e);
    c->bytes += entry_cost(e);
    c->st.entries++;
    while (c->bytes > c->budget && c->tail != NULL && c->tail != e) {
        struct entry *old = c->tail;
        drop(c, find(c, old->hash, old->key, old->klen));
        c->st.evictions++;
    }
    if (c->st.entries > 2 * c->nbuckets)
        grow(c);
    pthread_mutex_unlock(&c->mu);
}

void lcache_stats(struct lcache *c, struct lcache_stats *out)
{
    memset(out, 0, sizeof *out);
    if (c == NULL)
        return;
    pthread_mutex_lock(&c->mu);
    *out = c->st;
    out->bytes = c->bytes;
    pthread_mutex_unlock(&c->mu);
}
