/* whsig.c - see whsig.h. */
#include "whsig.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

#define SHA256_LEN 32
#define SIG_B64_LEN 44 /* base64 of 32 bytes, padded */

static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t whsig_b64_encode(const unsigned char *in, size_t n, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16;
        if (i + 1 < n)
            v |= (uint32_t)in[i + 1] << 8;
        if (i + 2 < n)
            v |= in[i + 2];
        out[o++] = B64[v >> 18 & 63];
        out[o++] = B64[v >> 12 & 63];
        out[o++] = i + 1 < n ? B64[v >> 6 & 63] : '=';
        out[o++] = i + 2 < n ? B64[v & 63] : '=';
    }
    out[o] = '\0';
    return o;
}

static int b64_value(char c)
{
    const char *p = c != '\0' ? strchr(B64, c) : NULL;
    return p != NULL ? (int)(p - B64) : -1;
}

long whsig_b64_decode(const char *s, size_t n, unsigned char *out, size_t cap)
{
    /* Padding, when present, only at the end and only to a multiple of 4. */
    size_t pad = 0;
    while (pad < 2 && n > 0 && s[n - 1] == '=') {
        n--;
        pad++;
    }
    if (n % 4 == 1 || (pad > 0 && (n + pad) % 4 != 0))
        return -1;
    size_t len = n / 4 * 3 + (n % 4 == 0 ? 0 : n % 4 - 1);
    if (len > cap)
        return -1;
    uint32_t acc = 0;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        int v = b64_value(s[i]);
        if (v < 0)
            return -1;
        acc = acc << 6 | (uint32_t)v;
        if (i % 4 == 3) {
            out[o++] = (unsigned char)(acc >> 16);
            out[o++] = (unsigned char)(acc >> 8);
            out[o++] = (unsigned char)acc;
            acc = 0;
        }
    }
    /* The bits a short last group leaves over must be zero (canonical). */
    if (n % 4 == 2) {
        if (acc & 0xF)
            return -1;
        out[o++] = (unsigned char)(acc >> 4);
    } else if (n % 4 == 3) {
        if (acc & 0x3)
            return -1;
        out[o++] = (unsigned char)(acc >> 10);
        out[o++] = (unsigned char)(acc >> 2);
    }
    return (long)o;
}

int whsig_add(struct whsig *w, const char *secret)
{
    static const char prefix[] = "whsec_";
    if (w->n >= WHSIG_KEYS || secret == NULL || strncmp(secret, prefix, sizeof prefix - 1) != 0)
        return -1;
    const char *b = secret + sizeof prefix - 1;
    long len = whsig_b64_decode(b, strlen(b), w->key[w->n], WHSIG_KEY_MAX);
    if (len <= 0)
        return -1;
    w->len[w->n++] = (size_t)len;
    return 0;
}

/* The base64 HMAC-SHA256 of "<id>.<ts>.<body>" under key k into out. */
static void sign_one(const struct whsig *w, int k, const char *id, const char *ts, const char *body,
                     size_t len, char out[SIG_B64_LEN + 1])
{
    size_t idn = strlen(id), tsn = strlen(ts);
    char *msg = xmalloc(idn + tsn + len + 3);
    memcpy(msg, id, idn);
    msg[idn] = '.';
    memcpy(msg + idn + 1, ts, tsn);
    msg[idn + 1 + tsn] = '.';
    if (len > 0)
        memcpy(msg + idn + tsn + 2, body, len);
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int maclen = 0;
    HMAC(EVP_sha256(), w->key[k], (int)w->len[k], (const unsigned char *)msg, idn + tsn + 2 + len,
         mac, &maclen);
    free(msg);
    whsig_b64_encode(mac, maclen, out);
}

void whsig_sign(const struct whsig *w, const char *id, int64_t ts, const char *body, size_t len,
                char out[WHSIG_HEADER_MAX + 1])
{
    char tss[24], one[SIG_B64_LEN + 1];
    snprintf(tss, sizeof tss, "%lld", (long long)ts);
    size_t o = 0;
    out[0] = '\0';
    for (int k = 0; k < w->n; k++) {
        sign_one(w, k, id, tss, body, len, one);
        o += (size_t)snprintf(out + o, WHSIG_HEADER_MAX + 1 - o, "%sv1,%s", k ? " " : "", one);
    }
}

/* Decimal seconds, at most 15 digits: 0 with *v, or -1. */
static int parse_ts(const char *s, int64_t *v)
{
    size_t n = strlen(s);
    if (n == 0 || n > 15 || strspn(s, "0123456789") != n)
        return -1;
    *v = strtoll(s, NULL, 10);
    return 0;
}

enum whsig_rc whsig_verify(const struct whsig *w, const char *id, const char *ts, const char *sig,
                           const char *body, size_t len, int64_t now_s, int64_t tolerance_s)
{
    if (id == NULL || ts == NULL || sig == NULL || !*id || !*ts || !*sig)
        return WHSIG_MISSING;
    int64_t t;
    if (parse_ts(ts, &t) != 0 || t < now_s - tolerance_s || t > now_s + tolerance_s)
        return WHSIG_STALE;
    char want[WHSIG_KEYS][SIG_B64_LEN + 1];
    for (int k = 0; k < w->n; k++)
        sign_one(w, k, id, ts, body, len, want[k]);
    /* Each space-separated "v1,<base64>", compared in constant time. */
    for (const char *p = sig; *p;) {
        size_t n = strcspn(p, " ");
        if (n == 3 + SIG_B64_LEN && strncmp(p, "v1,", 3) == 0)
            for (int k = 0; k < w->n; k++)
                if (CRYPTO_memcmp(p + 3, want[k], SIG_B64_LEN) == 0)
                    return WHSIG_OK;
        p += n;
        while (*p == ' ')
            p++;
    }
    return WHSIG_BAD;
}
