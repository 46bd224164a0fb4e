/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "iopcli/buf.h"
#include "iopcli/num.h"
#include "iopcli/stdout.h"
#include "iopcli/xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void cli_buf_grow(struct cli_buf *b, size_t more)
{
	if (b->len + more <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < b->len + more)
		cap *= 2;
	b->p = xrealloc(b->p, cap);
	b->cap = cap;
}

void cli_buf_puts(struct cli_buf *b, const char *s)
{
	cli_buf_put(b, s, strlen(s));
}

void cli_buf_pad(struct cli_buf *b, char c, size_t n)
{
	if (n == 0)
		return; /* b->p may still be NULL: no memset() on it, even of 0 bytes */
	if (b->len + n > b->cap)
		cli_buf_grow(b, n);
	memset(b->p + b->len, c, n);
	b->len += n;
}

void cli_buf_u64(struct cli_buf *b, unsigned long long v)
{
	if (b->len + NUM_U64_DIGITS > b->cap)
		cli_buf_grow(b, NUM_U64_DIGITS);
	b->len = (size_t)(num_put_u64(b->p + b->len, v) - b->p);
}

void cli_buf_u128(struct cli_buf *b, cli_u128 v)
{
	if (b->len + NUM_U128_DIGITS > b->cap)
		cli_buf_grow(b, NUM_U128_DIGITS);
	b->len = (size_t)(num_put_u128(b->p + b->len, v) - b->p);
}

void cli_buf_ratio(struct cli_buf *b, cli_u128 num, unsigned long long den, int decimals)
{
	static const unsigned scale[] = { 1, 10, 100, 1000 };

	if (decimals < 0)
		decimals = 0;
	if (decimals > 3)
		decimals = 3;
	if (den == 0)
		den = 1;
	unsigned s = scale[decimals];
	/* num < 2^96 in practice (sums of 2^32 64-bit counters); above that the
	 * scaled value could wrap, so the fraction is dropped */
	cli_u128 units = num >> 96 ? num / den * s : (num * s + den / 2) / den;
	cli_buf_u128(b, units / s);
	if (decimals) {
		unsigned frac = (unsigned)(units % s);
		cli_buf_putc(b, '.');
		for (unsigned d = s / 10; d > 0; d /= 10) {
			cli_buf_putc(b, (char)('0' + frac / d));
			frac %= d;
		}
	}
}

void cli_buf_fixed(struct cli_buf *b, double v, int decimals)
{
	static const unsigned scale[] = { 1, 10, 100, 1000 };
	unsigned s;

	if (decimals < 0)
		decimals = 0;
	if (decimals > 3)
		decimals = 3;
	s = scale[decimals];
	if (v < 0) {
		cli_buf_putc(b, '-');
		v = -v;
	}
	if (!(v < 1.8e16)) { /* huge or NaN: no fixed form worth printing */
		char tmp[64];
		int n = snprintf(tmp, sizeof(tmp), "%.*f", decimals, v);
		cli_buf_put(b, tmp, (size_t)n);
		return;
	}
	unsigned long long units = (unsigned long long)(v * s + 0.5);
	cli_buf_u64(b, units / s);
	if (decimals) {
		unsigned long long frac = units % s;
		cli_buf_putc(b, '.');
		for (unsigned d = s / 10; d > 0; d /= 10) {
			cli_buf_putc(b, (char)('0' + frac / d));
			frac %= d;
		}
	}
}

int cli_buf_flush(struct cli_buf *b, FILE *f)
{
	size_t n = b->len;

	b->len = 0;
	if (n && fwrite(b->p, 1, n, f) != n) {
		cli_note_write_error(f, errno);
		return -1;
	}
	return 0;
}

int cli_flush(FILE *f)
{
	if (fflush(f) != 0) {
		cli_note_write_error(f, errno);
		return -1;
	}
	return ferror(f) ? -1 : 0;
}

int cli_buf_spill(struct cli_buf *b, FILE *f)
{
	return b->len >= 32768 ? cli_buf_flush(b, f) : 0;
}

void cli_buf_free(struct cli_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

size_t cli_utf8_len(const unsigned char *s)
{
	unsigned c = s[0];
	size_t n;
	unsigned min;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		min = 0x10000;
	} else {
		return 0;
	}
	unsigned cp = c & (0x7f >> n);
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0; /* also stops at the terminating NUL */
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

static const char hex[] = "0123456789abcdef";

static void put_escaped_text(struct cli_buf *b, const char *str, int escape_blanks)
{
	const unsigned char *s = (const unsigned char *)str;

	while (*s) {
		size_t n = cli_utf8_len(s);
		if (n == 1 && *s >= 0x20 && *s != 0x7f && *s != '\\' && !(escape_blanks && *s == ' ')) {
			cli_buf_putc(b, (char)*s++);
		} else if (n > 1) {
			cli_buf_put(b, (const char *)s, n);
			s += n;
		} else if (*s == '\\') {
			cli_buf_put(b, "\\\\", 2);
			s++;
		} else {
			char esc[4] = { '\\', 'x', hex[*s >> 4], hex[*s & 15] };
			cli_buf_put(b, esc, 4);
			s++;
		}
	}
}

void cli_buf_text(struct cli_buf *b, const char *s)
{
	put_escaped_text(b, s, 0);
}

void cli_buf_text_field(struct cli_buf *b, const char *s)
{
	put_escaped_text(b, s, 1);
}

static void put_utf8_or_replacement(struct cli_buf *b, const unsigned char **s)
{
	size_t n = cli_utf8_len(*s);

	if (n) {
		cli_buf_put(b, (const char *)*s, n);
		*s += n;
	} else {
		cli_buf_put(b, "\xef\xbf\xbd", 3); /* U+FFFD */
		(*s)++;
	}
}

void cli_buf_json(struct cli_buf *b, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	cli_buf_putc(b, '"');
	while (*s) {
		switch (*s) {
		case '"':
			cli_buf_put(b, "\\\"", 2);
			break;
		case '\\':
			cli_buf_put(b, "\\\\", 2);
			break;
		case '\n':
			cli_buf_put(b, "\\n", 2);
			break;
		case '\t':
			cli_buf_put(b, "\\t", 2);
			break;
		case '\r':
			cli_buf_put(b, "\\r", 2);
			break;
		default:
			if (*s < 0x20) {
				char esc[6] = { '\\', 'u', '0', '0', hex[*s >> 4], hex[*s & 15] };
				cli_buf_put(b, esc, 6);
			} else {
				put_utf8_or_replacement(b, &s);
				continue;
			}
		}
		s++;
	}
	cli_buf_putc(b, '"');
}

void cli_buf_csv(struct cli_buf *b, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t len = strlen(str);
	int quote = len && (s[0] == ' ' || s[0] == '\t' || s[len - 1] == ' ' || s[len - 1] == '\t');

	if (!quote)
		quote = strpbrk(str, ",\"\r\n") != NULL;
	if (quote)
		cli_buf_putc(b, '"');
	while (*s) { /* invalid UTF-8 as U+FFFD, as in JSON: readers decode UTF-8 */
		if (*s == '"')
			cli_buf_putc(b, '"');
		put_utf8_or_replacement(b, &s);
	}
	if (quote)
		cli_buf_putc(b, '"');
}

void cli_buf_prom_label(struct cli_buf *b, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	while (*s) {
		if (*s == '\\')
			cli_buf_put(b, "\\\\", 2);
		else if (*s == '"')
			cli_buf_put(b, "\\\"", 2);
		else if (*s == '\n')
			cli_buf_put(b, "\\n", 2);
		else {
			put_utf8_or_replacement(b, &s);
			continue;
		}
		s++;
	}
}
