/* sim.h - the simulator's outcomes (execution spec §5.1): drawn from the
 * seed, the record's phone digits and the attempt's number for that
 * record, so that a run over the same audience draws the same outcomes
 * every time; test numbers always give the same outcome.  Pure. */
#ifndef CAMPAIGND_SIM_H
#define CAMPAIGND_SIM_H

#include <stddef.h>
#include <stdint.h>

#include "outcome.h"

/* Percentages per outcome, summing to 100. */
struct sim_mix {
    int pct[OUT_COUNT];
};

/* The default mix of type t: voice completed 70, noAnswer 15, busy 10,
 * failed 5; SMS completed 97, failed 3. */
void sim_mix_default(enum ctype t, struct sim_mix *out);

/* "outcome=percent,..." (--sim-voice, --sim-sms) for type t: 0, or -1
 * with a sentence in err (an unknown or unreportable outcome, a percent
 * outside 0..100, a repeated outcome, or a sum other than 100). */
int sim_mix_parse(const char *text, enum ctype t, struct sim_mix *out, char *err, size_t cap);

/* The outcome of attempt number `attempt` (1, 2, ...) at the number whose
 * digits are `digits`. */
enum outcome sim_draw(uint64_t seed, const char *digits, int attempt, enum ctype t,
                      const struct sim_mix *mix);

#endif
