/* SPDX-License-Identifier: MIT */
/*
 * A growable byte buffer for building output lines, and the escapers of the
 * output formats: text for terminals, JSON (RFC 8259), CSV (RFC 4180) and
 * Prometheus label values.  Internal to the command-line tools.
 */
#ifndef IOP_CLI_BUF_H
#define IOP_CLI_BUF_H

#include <stddef.h>
#include <stdio.h>

/* Sums of 64-bit counters: exact, never wrapped. */
typedef unsigned __int128 cli_u128;

/* a + b, or the largest value when that would wrap: a group counter near
 * 2^128 (from a state file) and the sums shown of it stay there instead
 * of starting again small */
static inline cli_u128 cli_u128_sat_add(cli_u128 a, cli_u128 b)
{
	cli_u128 s = a + b;

	return s < a ? ~(cli_u128)0 : s;
}

struct cli_buf {
	char *p;
	size_t len, cap;
};

/* Makes room for 'more' bytes.  Appending never fails: on memory
 * exhaustion the tool exits with xalloc_die()'s message. */
void cli_buf_grow(struct cli_buf *b, size_t more);

static inline void cli_buf_putc(struct cli_buf *b, char c)
{
	if (b->len == b->cap)
		cli_buf_grow(b, 1);
	b->p[b->len++] = c;
}

static inline void cli_buf_put(struct cli_buf *b, const char *s, size_t n)
{
	if (b->len + n > b->cap)
		cli_buf_grow(b, n);
	for (size_t i = 0; i < n; i++) /* short strings: a loop beats a call */
		b->p[b->len + i] = s[i];
	b->len += n;
}

void cli_buf_puts(struct cli_buf *b, const char *s);
void cli_buf_pad(struct cli_buf *b, char c, size_t n);
void cli_buf_u64(struct cli_buf *b, unsigned long long v);
void cli_buf_u128(struct cli_buf *b, cli_u128 v);
/* num / den with 'decimals' digits (0..3), rounded half up, computed in
 * integers: exact for every 64-bit count (no trip through double). */
void cli_buf_ratio(struct cli_buf *b, cli_u128 num, unsigned long long den, int decimals);
/* v with 'decimals' digits after the point (0..3), rounded half up. */
void cli_buf_fixed(struct cli_buf *b, double v, int decimals);
/* Writes the buffer to f and empties it; -1 on a write error (its errno
 * kept for the report at exit when f is stdout). */
int cli_buf_flush(struct cli_buf *b, FILE *f);
/* cli_buf_flush once the buffer holds 32 KiB, so that a long report keeps a
 * small buffer; 0 while it holds less. A write error also stays in ferror(f),
 * for callers that check once at the end. */
int cli_buf_spill(struct cli_buf *b, FILE *f);
/* fflush(f), its errno kept the same way; -1 if f has had an error. */
int cli_flush(FILE *f);
void cli_buf_free(struct cli_buf *b);

/* For a terminal: control characters, DEL, invalid UTF-8 and the backslash
 * itself become \xNN (backslash: \\); valid UTF-8 stays. */
void cli_buf_text(struct cli_buf *b, const char *s);
/* The same, and blanks as \x20 too: for raw output whose fields are split
 * on blanks (awk). */
void cli_buf_text_field(struct cli_buf *b, const char *s);
/* A JSON string with its quotes; invalid UTF-8 becomes U+FFFD. */
void cli_buf_json(struct cli_buf *b, const char *s);
/* A CSV field, quoted when it holds a comma, quote, CR or LF (quotes doubled),
 * or begins or ends with a blank; invalid UTF-8 becomes U+FFFD. */
void cli_buf_csv(struct cli_buf *b, const char *s);
/* A Prometheus label value without its quotes: \\, \" and \n escaped,
 * invalid UTF-8 as U+FFFD. */
void cli_buf_prom_label(struct cli_buf *b, const char *s);

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if it is not one. */
size_t cli_utf8_len(const unsigned char *s);

#endif
