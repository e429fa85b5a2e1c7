/* listener.h - the server's own accept loop and connection table (server
 * layer, below server.c).
 *
 * libmicrohttpd's accept stops at its connection limit and leaves new
 * clients in the kernel's queue, unanswered, and its timeouts count only
 * silence.  So the server accepts connections itself, here, and hands each
 * socket to libmicrohttpd.  Knowing every connection and what it is doing,
 * the listener:
 *   - bounds connections in total and per client address; when full it
 *     closes the oldest idle keep-alive connection to take the new one, or
 *     answers at once (503 full, 429 per address), never leaving a client
 *     waiting unanswered;
 *   - gives each request one deadline for its whole arrival (past it: 408,
 *     then close) and each response one for its whole departure (a client
 *     that does not read is cut off);
 *   - closes idle connections after the idle timeout, and sooner when
 *     idle ones hold over half the limit;
 *   - on stop, accepts and hands over what the kernel already queued before
 *     closing the listening socket.
 *
 * A connection's phase moves READING -> HANDLING -> WRITING -> IDLE ->
 * READING ...; the worker serving it moves it, and the reaper thread moves
 * it to CLOSING when a deadline passes.  The moves are compare-and-swap, so
 * exactly one of them answers a request. */
#ifndef CAMPAIGND_LISTENER_H
#define CAMPAIGND_LISTENER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

struct listener_config {
    int max_conns;          /* connections at once (>= 1) */
    int max_conns_per_ip;   /* per client address; 0 = no limit */
    int request_timeout_s;  /* a request's arrival, a response's departure */
    int idle_timeout_s;     /* a keep-alive connection between requests */
    /* Complete raw HTTP responses (head and body) the listener writes
     * itself, with Connection: close: a request past its deadline, the
     * server full, one address over its limit.  NULL (over TLS): the
     * connection is closed without a word. */
    const char *resp_408, *resp_503, *resp_429;
};

/* Takes a newly accepted socket (non-blocking): 0 when handed over, -1 when
 * refused (the socket is then closed by the callee). */
typedef int (*listener_add_fn)(void *cls, int fd, const struct sockaddr *sa, socklen_t len);
struct listener;

/* Binds and listens on addr (nothing is accepted yet): NULL with errno set
 * on failure.  cfg's strings must outlive the listener. */
struct listener *listener_open(const struct sockaddr *addr, socklen_t len,
                               const struct listener_config *cfg);
/* The bound port. */
uint16_t listener_port(const struct listener *l);
/* Starts the accept and reaper threads: 0, or -1. */
int listener_start(struct listener *l, listener_add_fn add, void *cls);

/* The worker's moves, by the connection's socket.  A request starts
 * (READING, its deadline counted from now unless it is the connection's
 * first); its body is complete (HANDLING); a response is queued (WRITING,
 * its departure deadline counted from now); it was sent (IDLE).
 * listener_handle and listener_respond return 0 when the reaper has taken
 * the connection: the worker must then close it without answering. */
void listener_request(struct listener *l, int fd);
int listener_handle(struct listener *l, int fd);
int listener_respond(struct listener *l, int fd);
void listener_done(struct listener *l, int fd);
/* The connection is gone (libmicrohttpd's close notification, before the
 * socket is closed). */
void listener_closed(struct listener *l, int fd);

/* Connections with a request in progress (READING, HANDLING, WRITING). */
int listener_busy(struct listener *l);
/* Stops accepting: what the kernel has queued is accepted and handed over
 * first, then the listening socket is closed. */
void listener_stop_accepting(struct listener *l);
/* Stops the threads and frees l (after libmicrohttpd has stopped). */
void listener_free(struct listener *l);

#endif
