/* SPDX-License-Identifier: MIT */
/*
 * An index by hash over an array the caller keeps: open addressing with
 * linear probing, each slot the entry's index + 1 (0: empty), never more
 * than half full, so a walk is short.  The caller hashes and compares; the
 * index only finds where to look.  Uses nothing of the library; returns
 * -ENOMEM and never exits.
 */
#ifndef IOP_CLI_SLOTS_H
#define IOP_CLI_SLOTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cli_slots {
	unsigned *v;
	size_t n; /* a power of two (64 at least), or 0: no index yet */
};

/* Indexes entries 0..count-1 (entry i of hash hash_of(ctx, i)) with room
 * for 'room' entries (count at most): the smallest table that holds that
 * many at most half full, smaller than before too.  0, or -ENOMEM with the
 * index as it was (a table that must shrink and cannot keeps its size, and
 * is filled anew). */
int cli_slots_index(struct cli_slots *s, size_t count, size_t room,
		    uint64_t (*hash_of)(const void *ctx, size_t i), const void *ctx);

/* Whether count entries fit at most half full. */
static inline bool cli_slots_fit(const struct cli_slots *s, size_t count)
{
	return count * 2 <= s->n;
}

/* Adds entry i of hash h; there must be room (cli_slots_fit()). */
void cli_slots_put(struct cli_slots *s, uint64_t h, size_t i);

/* The entries that may have hash h, in turn:
 *	for (struct cli_slots_walk w = cli_slots_walk(s, h); cli_slots_next(&w, &i);)
 * with i each candidate's index (the caller checks it is the one). */
struct cli_slots_walk {
	const struct cli_slots *s;
	size_t at;
};

static inline struct cli_slots_walk cli_slots_walk(const struct cli_slots *s, uint64_t h)
{
	return (struct cli_slots_walk){ s, s->n ? (size_t)h & (s->n - 1) : 0 };
}

static inline bool cli_slots_next(struct cli_slots_walk *w, size_t *i)
{
	if (!w->s->n || !w->s->v[w->at])
		return false;
	*i = w->s->v[w->at] - 1;
	w->at = (w->at + 1) & (w->s->n - 1);
	return true;
}

void cli_slots_free(struct cli_slots *s);

#endif
