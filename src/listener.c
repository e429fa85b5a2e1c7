/* listener.c - see listener.h.
 *
 * Each open connection has a slot indexed by its socket descriptor (the
 * table has one slot per descriptor the process may open).  `lock` guards
 * a slot's life (taken at accept, given back at libmicrohttpd's close
 * notification, which comes before the socket is closed, so a descriptor
 * the reaper acts on is always the connection it means), the counts and
 * the address table.  The phase and the times are atomics the worker moves
 * without the lock. */
#include "listener.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "xalloc.h"

#define REAP_EVERY_MS 100
#define LINGER_US 1000000  /* after a 408: the client's last bytes, then close */
#define IDLE_SHORT_US 2000000  /* idle timeout while idle ones hold over half */
#define IP_BUCKETS 1024
#define BACKLOG 4096

enum phase { PH_FREE, PH_READING, PH_HANDLING, PH_WRITING, PH_IDLE, PH_CLOSING };

struct ipcount {
    unsigned char addr[16];
    int n;
    struct ipcount *next;
};

struct slot {
    _Atomic int phase;
    _Atomic int64_t deadline_us;  /* READING, WRITING, IDLE: when it ends */
    _Atomic int64_t since_us;     /* IDLE: since when; CLOSING: since when */
    struct ipcount *ip;           /* under lock; NULL without a per-IP limit */
};

struct listener {
    int fd;                       /* listening socket; -1 once closed */
    int wake[2];                  /* a byte here stops the threads */
    uint16_t port;
    struct listener_config cfg;
    listener_add_fn add;
    void *add_cls;
    pthread_t acceptor, reaper;
    int accepting, reaping;       /* the threads run */
    pthread_mutex_t lock;
    struct slot *slots;
    int nslots;
    int hi;                       /* slots in use are below this */
    int open;                     /* counted connections (not CLOSING) */
    struct ipcount *ips[IP_BUCKETS];
    atomic_int stopping;
};

static int64_t mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* The instant secs seconds after now (microseconds). */
static int64_t after(int64_t now, int secs)
{
    return now + (int64_t)secs * 1000000;
}

/* ---- client addresses ----------------------------------------------------- */

/* The address of sa as 16 bytes (IPv4 mapped into IPv6). */
static void addr_key(const struct sockaddr *sa, unsigned char key[16])
{
    memset(key, 0, 16);
    if (sa->sa_family == AF_INET6) {
        memcpy(key, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, 16);
    } else if (sa->sa_family == AF_INET) {
        key[10] = key[11] = 0xff;
        memcpy(key + 12, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
    }
}

/* The bucket of address key. */
static struct ipcount **ip_bucket(struct listener *l, const unsigned char key[16])
{
    uint32_t h = 2166136261u;
    for (int i = 0; i < 16; i++)
        h = (h ^ key[i]) * 16777619u;
    return &l->ips[h % IP_BUCKETS];
}

/* The count of sa's address, made when new.  Under lock. */
static struct ipcount *ip_get(struct listener *l, const struct sockaddr *sa)
{
    unsigned char key[16];
    addr_key(sa, key);
    struct ipcount **head = ip_bucket(l, key);
    for (struct ipcount *c = *head; c != NULL; c = c->next)
        if (memcmp(c->addr, key, 16) == 0)
            return c;
    struct ipcount *c = xcalloc(1, sizeof *c);
    memcpy(c->addr, key, 16);
    c->next = *head;
    *head = c;
    return c;
}

/* Forgets c when it has no connection left.  Under lock. */
static void ip_forget_unused(struct listener *l, struct ipcount *c)
{
    if (c == NULL || c->n > 0)
        return;
    for (struct ipcount **p = ip_bucket(l, c->addr); *p != NULL; p = &(*p)->next) {
        if (*p == c) {
            *p = c->next;
            free(c);
            return;
        }
    }
}

/* ---- slots ---------------------------------------------------------------- */

/* Stops counting slot fd (it is closing or gone).  Under lock. */
static void uncount(struct listener *l, struct slot *s)
{
    l->open--;
    if (s->ip != NULL) {
        s->ip->n--;
        ip_forget_unused(l, s->ip);
        s->ip = NULL;
    }
}

/* Moves fd from phase `from` to CLOSING if it is still there (the reaper's
 * one way of taking a connection): 1 when taken.  Under lock. */
static int take(struct listener *l, int fd, int from, int64_t now)
{
    struct slot *s = &l->slots[fd];
    int expect = from;
    if (!atomic_compare_exchange_strong(&s->phase, &expect, PH_CLOSING))
        return 0;
    atomic_store(&s->since_us, now);
    uncount(l, s);
    return 1;
}

/* Writes a whole small response to a socket whose send buffer is empty or
 * nearly (best effort, never blocks). */
static void send_raw(int fd, const char *resp)
{
    if (resp == NULL) /* TLS: nothing can be written in clear */
        return;
    size_t len = strlen(resp), off = 0;
    while (off < len) {
        ssize_t n = send(fd, resp + off, len - off, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n <= 0)
            return;
        off += (size_t)n;
    }
}

/* The oldest idle connection of address c (any when c is NULL) idle since
 * before `before`, closed: 1, or 0 when there is none.  Under lock. */
static int close_oldest_idle(struct listener *l, const struct ipcount *c, int64_t before,
                             int64_t now)
{
    int best = -1;
    int64_t oldest = before;
    for (int fd = 0; fd < l->hi; fd++) {
        struct slot *s = &l->slots[fd];
        if (atomic_load(&s->phase) != PH_IDLE || (c != NULL && s->ip != c))
            continue;
        int64_t since = atomic_load(&s->since_us);
        if (since < oldest) {
            oldest = since;
            best = fd;
        }
    }
    if (best < 0 || !take(l, best, PH_IDLE, now))
        return 0;
    shutdown(best, SHUT_RDWR);
    return 1;
}

/* Decides whether the new connection fd from sa may be served, making room
 * by closing an idle one if needed; when it may, its slot is taken.  0, or
 * the status to answer with.  Under lock. */
static int admit(struct listener *l, int fd, const struct sockaddr *sa, int64_t now)
{
    if (fd >= l->nslots)
        return 503;
    /* The newcomer counts for its address from here, so that closing the
     * address's last idle connection to make room cannot free c. */
    struct ipcount *c = l->cfg.max_conns_per_ip > 0 ? ip_get(l, sa) : NULL;
    if (c != NULL)
        c->n++;
    int refused = 0;
    if (c != NULL && c->n > l->cfg.max_conns_per_ip && !close_oldest_idle(l, c, INT64_MAX, now))
        refused = 429;
    else if (l->open >= l->cfg.max_conns && !close_oldest_idle(l, NULL, INT64_MAX, now))
        refused = 503;
    if (refused) {
        if (c != NULL) {
            c->n--;
            ip_forget_unused(l, c);
        }
        return refused;
    }
    struct slot *s = &l->slots[fd];
    s->ip = c;
    l->open++;
    if (fd >= l->hi)
        l->hi = fd + 1;
    atomic_store(&s->deadline_us, after(now, l->cfg.request_timeout_s));
    atomic_store(&s->since_us, now);
    atomic_store(&s->phase, PH_READING);
    return 0;
}

/* Gives slot fd back if it is still held: the connection is gone.  Under
 * lock. */
static void release(struct listener *l, int fd)
{
    if (fd < 0 || fd >= l->nslots)
        return;
    struct slot *s = &l->slots[fd];
    int ph = atomic_exchange(&s->phase, PH_FREE);
    if (ph != PH_FREE && ph != PH_CLOSING)
        uncount(l, s);
}

/* ---- accepting ------------------------------------------------------------ */

/* Accepts every connection queued now and hands each over (or answers it
 * at once when it cannot be served). */
static void accept_ready(struct listener *l)
{
    for (;;) {
        struct sockaddr_storage ss;
        socklen_t len = sizeof ss;
        int fd = accept4(l->fd, (struct sockaddr *)&ss, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            if (errno == EMFILE || errno == ENFILE) {
                log_warn("accept: %s; the connection waits in the queue", strerror(errno));
                struct timespec ts = {0, 10 * 1000 * 1000};
                nanosleep(&ts, NULL);
            }
            return;
        }
        pthread_mutex_lock(&l->lock);
        int refused = admit(l, fd, (struct sockaddr *)&ss, mono_us());
        pthread_mutex_unlock(&l->lock);
        if (refused) {
            send_raw(fd, refused == 429 ? l->cfg.resp_429 : l->cfg.resp_503); /* or nothing */
            log_access("-", "-", refused, 0, 0, "-");
            close(fd);
            continue;
        }
        if (l->add(l->add_cls, fd, (struct sockaddr *)&ss, len) != 0) {
            pthread_mutex_lock(&l->lock);
            release(l, fd);
            pthread_mutex_unlock(&l->lock);
        }
    }
}

static void *accept_main(void *arg)
{
    struct listener *l = arg;
    for (;;) {
        struct pollfd p[2] = {{.fd = l->fd, .events = POLLIN}, {.fd = l->wake[0], .events = POLLIN}};
        if (poll(p, 2, -1) < 0 && errno != EINTR)
            break;
        if (p[1].revents != 0)
            break;
        if (p[0].revents != 0)
            accept_ready(l);
    }
    return NULL;
}

/* ---- deadlines ------------------------------------------------------------ */

/* One pass of the reaper over every slot.  Under lock. */
static void reap(struct listener *l, int64_t now)
{
    int idle = 0;
    for (int fd = 0; fd < l->hi; fd++) {
        struct slot *s = &l->slots[fd];
        int ph = atomic_load(&s->phase);
        if (ph == PH_FREE || ph == PH_HANDLING)
            continue;
        if (ph == PH_CLOSING) {
            /* after a 408, the client had its lingering second */
            if (now - atomic_load(&s->since_us) > LINGER_US)
                shutdown(fd, SHUT_RDWR);
            continue;
        }
        if (ph == PH_IDLE)
            idle++;
        if (now <= atomic_load(&s->deadline_us) || !take(l, fd, ph, now))
            continue;
        if (ph == PH_READING && l->cfg.resp_408 != NULL) {
            send_raw(fd, l->cfg.resp_408);
            log_access("-", "-", 408, 0, 0, "-");
            shutdown(fd, SHUT_WR);
        } else {
            shutdown(fd, SHUT_RDWR);
            if (ph == PH_WRITING)
                log_warn("a response was not read within %d s; connection closed",
                         l->cfg.request_timeout_s);
        }
        if (ph == PH_IDLE)
            idle--;
    }
    /* Idle connections holding over half the limit: those idle for
     * IDLE_SHORT_US go, the longest idle first, down to half. */
    while (2 * idle > l->cfg.max_conns && close_oldest_idle(l, NULL, now - IDLE_SHORT_US, now))
        idle--;
}

static void *reaper_main(void *arg)
{
    struct listener *l = arg;
    while (!atomic_load(&l->stopping)) {
        struct timespec ts = {0, REAP_EVERY_MS * 1000 * 1000};
        nanosleep(&ts, NULL);
        pthread_mutex_lock(&l->lock);
        reap(l, mono_us());
        pthread_mutex_unlock(&l->lock);
    }
    return NULL;
}

/* ---- the worker's moves --------------------------------------------------- */

static struct slot *slot_of(struct listener *l, int fd)
{
    return fd >= 0 && fd < l->nslots ? &l->slots[fd] : NULL;
}

/* Moves s from `from` to `to` if it is there: the phase it had. */
static int move(struct slot *s, int from, int to)
{
    atomic_compare_exchange_strong(&s->phase, &from, to);
    return from;
}

void listener_request(struct listener *l, int fd)
{
    struct slot *s = slot_of(l, fd);
    if (s == NULL || atomic_load(&s->phase) != PH_IDLE)
        return; /* a connection's first request counts from its accept */
    atomic_store(&s->deadline_us, after(mono_us(), l->cfg.request_timeout_s));
    move(s, PH_IDLE, PH_READING);
}

int listener_handle(struct listener *l, int fd)
{
    struct slot *s = slot_of(l, fd);
    return s == NULL || move(s, PH_READING, PH_HANDLING) != PH_CLOSING;
}

int listener_respond(struct listener *l, int fd)
{
    struct slot *s = slot_of(l, fd);
    if (s == NULL)
        return 1;
    atomic_store(&s->deadline_us, after(mono_us(), l->cfg.request_timeout_s));
    return move(s, PH_HANDLING, PH_WRITING) != PH_CLOSING &&
           move(s, PH_READING, PH_WRITING) != PH_CLOSING;
}

void listener_done(struct listener *l, int fd)
{
    struct slot *s = slot_of(l, fd);
    if (s == NULL)
        return;
    int64_t now = mono_us();
    atomic_store(&s->since_us, now);
    atomic_store(&s->deadline_us, after(now, l->cfg.idle_timeout_s));
    if (move(s, PH_WRITING, PH_IDLE) == PH_HANDLING)
        move(s, PH_HANDLING, PH_IDLE);
}

void listener_closed(struct listener *l, int fd)
{
    pthread_mutex_lock(&l->lock);
    release(l, fd);
    pthread_mutex_unlock(&l->lock);
}

int listener_busy(struct listener *l)
{
    int n = 0;
    pthread_mutex_lock(&l->lock);
    for (int fd = 0; fd < l->hi; fd++) {
        int ph = atomic_load(&l->slots[fd].phase);
        n += ph == PH_READING || ph == PH_HANDLING || ph == PH_WRITING;
    }
    pthread_mutex_unlock(&l->lock);
    return n;
}

/* ---- life ----------------------------------------------------------------- */

struct listener *listener_open(const struct sockaddr *addr, socklen_t len,
                               const struct listener_config *cfg)
{
    int fd = socket(addr->sa_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return NULL;
    int on = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    struct sockaddr_storage bound;
    socklen_t blen = sizeof bound;
    if (bind(fd, addr, len) != 0 || listen(fd, BACKLOG) != 0 ||
        getsockname(fd, (struct sockaddr *)&bound, &blen) != 0) {
        int err = errno;
        close(fd);
        errno = err;
        return NULL;
    }
    struct listener *l = xcalloc(1, sizeof *l);
    l->fd = fd;
    l->port = ntohs(bound.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&bound)->sin6_port
                                                : ((struct sockaddr_in *)&bound)->sin_port);
    l->cfg = *cfg;
    struct rlimit rl;
    l->nslots = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < (1u << 22) ? (int)rl.rlim_cur
                                                                              : 1 << 22;
    l->slots = xcalloc((size_t)l->nslots, sizeof *l->slots);
    pthread_mutex_init(&l->lock, NULL);
    atomic_init(&l->stopping, 0);
    l->wake[0] = l->wake[1] = -1;
    return l;
}

uint16_t listener_port(const struct listener *l)
{
    return l->port;
}

int listener_start(struct listener *l, listener_add_fn add, void *cls)
{
    l->add = add;
    l->add_cls = cls;
    if (pipe2(l->wake, O_CLOEXEC) != 0)
        return -1;
    if (pthread_create(&l->reaper, NULL, reaper_main, l) != 0)
        return -1;
    if (pthread_create(&l->acceptor, NULL, accept_main, l) != 0) {
        atomic_store(&l->stopping, 1);
        pthread_join(l->reaper, NULL);
        return -1;
    }
    l->accepting = l->reaping = 1;
    return 0;
}

void listener_stop_accepting(struct listener *l)
{
    if (l->accepting) {
        l->accepting = 0;
        (void)!write(l->wake[1], "x", 1);
        pthread_join(l->acceptor, NULL);
    }
    if (l->fd >= 0) {
        if (l->add != NULL)
            accept_ready(l); /* what the kernel queued before the close */
        close(l->fd);
        l->fd = -1;
    }
}

void listener_free(struct listener *l)
{
    if (l == NULL)
        return;
    listener_stop_accepting(l);
    if (l->reaping) {
        atomic_store(&l->stopping, 1);
        pthread_join(l->reaper, NULL);
    }
    for (int i = 0; i < 2; i++)
        if (l->wake[i] >= 0)
            close(l->wake[i]);
    for (size_t b = 0; b < IP_BUCKETS; b++) {
        while (l->ips[b] != NULL) {
            struct ipcount *c = l->ips[b];
            l->ips[b] = c->next;
            free(c);
        }
    }
    pthread_mutex_destroy(&l->lock);
    free(l->slots);
    free(l);
}
