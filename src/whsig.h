/* whsig.h - Standard Webhooks signatures (standard-webhooks/standard-webhooks,
 * spec/standard-webhooks.md; execution spec §5.2 and §6): HMAC-SHA256 over
 * "<webhook-id>.<webhook-timestamp>.<body>", sent as "v1,<base64>" in the
 * webhook-signature header, one per key, space-separated.  Keys are given
 * as "whsec_<base64 of the key bytes>".  A building block: no I/O. */
#ifndef CAMPAIGND_WHSIG_H
#define CAMPAIGND_WHSIG_H

#include <stddef.h>
#include <stdint.h>

#define WHSIG_KEYS 2                       /* a key and the one it replaces, during a rotation */
#define WHSIG_KEY_MAX 128                  /* bytes of one decoded key */
#define WHSIG_HEADER_MAX (WHSIG_KEYS * 48) /* "v1," + 44 base64 + a space, per key */
#define WHSIG_TOLERANCE_S 300              /* a timestamp further from now than this is refused */

struct whsig {
    unsigned char key[WHSIG_KEYS][WHSIG_KEY_MAX];
    size_t len[WHSIG_KEYS];
    int n;
};

/* Adds the key of secret ("whsec_" and standard base64 of 1..WHSIG_KEY_MAX
 * bytes).  0, or -1 when it is not one, or WHSIG_KEYS are given already. */
int whsig_add(struct whsig *w, const char *secret);

/* The webhook-signature header for (id, ts, body) into out
 * (WHSIG_HEADER_MAX + 1 bytes): one "v1,<base64>" per key. */
void whsig_sign(const struct whsig *w, const char *id, int64_t ts, const char *body, size_t len,
                char out[WHSIG_HEADER_MAX + 1]);

enum whsig_rc {
    WHSIG_OK = 0,
    WHSIG_MISSING, /* a header is absent or empty */
    WHSIG_STALE,   /* the timestamp is not decimal seconds within tolerance_s of now_s */
    WHSIG_BAD,     /* no v1 signature in the header matches any key */
};
/* Checks the three headers' values (NULL when absent) against the body:
 * some "v1,<base64>" of sig must be the signature under one of the keys. */
enum whsig_rc whsig_verify(const struct whsig *w, const char *id, const char *ts, const char *sig,
                           const char *body, size_t len, int64_t now_s, int64_t tolerance_s);

/* Standard base64 (RFC 4648 §4, padded) of in[0..n) into out, which holds
 * 4 * ((n + 2) / 3) + 1 bytes.  Returns the length written. */
size_t whsig_b64_encode(const unsigned char *in, size_t n, char *out);
/* Decodes standard base64 (padding optional, no whitespace) of s[0..n) into
 * out (cap bytes): the length, or -1 when s is not base64 or too long. */
long whsig_b64_decode(const char *s, size_t n, unsigned char *out, size_t cap);

#endif
