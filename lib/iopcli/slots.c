/* SPDX-License-Identifier: MIT */
/* See slots.h. */
#include "iopcli/slots.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int cli_slots_index(struct cli_slots *s, size_t count, size_t room,
		    uint64_t (*hash_of)(const void *ctx, size_t i), const void *ctx)
{
	size_t want = 64;

	while (want < room * 2) {
		if (want > SIZE_MAX / 2 / sizeof(*s->v))
			return -ENOMEM;
		want *= 2;
	}
	if (want != s->n) {
		unsigned *v = realloc(s->v, want * sizeof(*v));
		if (v) {
			s->v = v;
			s->n = want;
		} else if (want > s->n) {
			return -ENOMEM;
		} /* else: a table too large still holds them */
	}
	memset(s->v, 0, s->n * sizeof(*s->v));
	for (size_t i = 0; i < count; i++)
		cli_slots_put(s, hash_of(ctx, i), i);
	return 0;
}

void cli_slots_put(struct cli_slots *s, uint64_t h, size_t i)
{
	size_t at = (size_t)h & (s->n - 1);

	while (s->v[at])
		at = (at + 1) & (s->n - 1);
	s->v[at] = (unsigned)i + 1;
}

void cli_slots_free(struct cli_slots *s)
{
	free(s->v);
	s->v = NULL;
	s->n = 0;
}
