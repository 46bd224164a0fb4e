/* SPDX-License-Identifier: MIT */
/*
 * Parsers of /proc/diskstats, /proc/pressure/io and mountstats: pure
 * functions over a buffer (fuzzed with num.c alone).  See diskstats.h.
 */
#define _GNU_SOURCE
#include "iopcli/diskstats.h"
#include "iopcli/array.h"
#include "iopcli/num.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

static bool blank(char c)
{
	return c == ' ' || c == '\t';
}

/* The next blank-separated word of [*p, end): its start and end, or false
 * at the end. */
static bool word(const char **p, const char *end, const char **w, const char **wend)
{
	const char *s = *p;

	while (s < end && blank(*s))
		s++;
	if (s == end)
		return false;
	*w = s;
	while (s < end && !blank(*s))
		s++;
	*wend = s;
	*p = s;
	return true;
}

static int u64_of(const char *p, const char *end, unsigned long long *out)
{
	return num_parse_u64(p, end, ULLONG_MAX, out) < 0 ? -EINVAL : 0;
}

/* The blank-separated numbers of [p, end), the first max of them into v;
 * their count (all of them) into *count.  -EINVAL when a word is not one. */
static int u64_words(const char *p, const char *end, unsigned long long *v, size_t max,
		     size_t *count)
{
	const char *w, *we;
	size_t n = 0;
	unsigned long long x;

	while (word(&p, end, &w, &we)) {
		if (u64_of(w, we, &x) < 0)
			return -EINVAL;
		if (n < max)
			v[n] = x;
		n++;
	}
	*count = n;
	return 0;
}

int diskstats_parse_line(const char *line, size_t len, struct diskstat *out)
{
	const char *p = line, *end = line + len, *w, *we;
	unsigned long long v;
	struct diskstat d;

	memset(&d, 0, sizeof(d));
	if (!word(&p, end, &w, &we) || u64_of(w, we, &v) < 0 || v > UINT_MAX)
		return -EINVAL;
	d.major = (unsigned)v;
	if (!word(&p, end, &w, &we) || u64_of(w, we, &v) < 0 || v > UINT_MAX)
		return -EINVAL;
	d.minor = (unsigned)v;
	if (!word(&p, end, &w, &we) || (size_t)(we - w) >= DISK_NAME_MAX)
		return -EINVAL;
	for (const char *c = w; c < we; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			return -EINVAL;
	memcpy(d.name, w, (size_t)(we - w));
	size_t n;
	if (u64_words(p, end, d.v, DISK_NFIELDS, &n) < 0)
		return -EINVAL;
	/* a newer kernel's fields past the 17th are passed over */
	if (n != 11 && n != 15 && n < 17)
		return -EINVAL;
	d.nfields = (unsigned)(n < DISK_NFIELDS ? n : DISK_NFIELDS);
	*out = d;
	return 0;
}

int diskstats_parse(const char *buf, size_t len, struct diskstat **vp, size_t *np, size_t *bad,
		    size_t *bad_line)
{
	const char *p = buf, *end = buf + len;
	struct diskstat *v = NULL;
	size_t n = 0, cap = 0, nbad = 0, first_bad = 0, lineno = 0;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		lineno++;
		struct diskstat d;
		if (diskstats_parse_line(p, (size_t)(eol - p), &d) == 0) {
			struct diskstat *nv = cli_grow(v, &cap, n + 1, sizeof(*v), 16);
			if (!nv) {
				free(v);
				return -ENOMEM;
			}
			v = nv;
			v[n++] = d;
		} else {
			const char *q = p;
			while (q < eol && blank(*q))
				q++;
			if (q < eol) { /* a blank line is no line */
				if (!nbad)
					first_bad = lineno;
				nbad++;
			}
		}
		p = eol < end ? eol + 1 : end;
	}
	*vp = v;
	*np = n;
	*bad = nbad;
	if (bad_line)
		*bad_line = first_bad;
	return 0;
}

/* "key=N" in the words of [p, end): N, or -EINVAL when absent or not a
 * number */
static int keyed(const char *p, const char *end, const char *key, unsigned long long *out)
{
	const char *w, *we;
	size_t kl = strlen(key);

	while (word(&p, end, &w, &we))
		if ((size_t)(we - w) > kl && !memcmp(w, key, kl) && w[kl] == '=')
			return u64_of(w + kl + 1, we, out);
	return -EINVAL;
}

int pressure_parse(const char *buf, size_t len, struct pressure *out)
{
	const char *p = buf, *end = buf + len;
	struct pressure r = { 0 };
	bool some = false;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		const char *w, *we, *q = p;
		if (word(&q, eol, &w, &we)) {
			bool is_some = we - w == 4 && !memcmp(w, "some", 4);
			bool is_full = we - w == 4 && !memcmp(w, "full", 4);
			if ((is_some && some) || (is_full && r.has_full))
				return -EINVAL; /* twice */
			if (is_some || is_full) {
				unsigned long long t;
				if (keyed(q, eol, "total", &t) < 0)
					return -EINVAL;
				if (is_some) {
					r.some_us = t;
					some = true;
				} else {
					r.full_us = t;
					r.has_full = true;
				}
			}
		}
		p = eol < end ? eol + 1 : end;
	}
	if (!some)
		return -EINVAL;
	*out = r;
	return 0;
}

/* --- mountstats ------------------------------------------------------------ */

/* Numbers after a "key:" word into v (at most max; at least min): the
 * count, or -EINVAL */
static int numbers(const char *p, const char *end, unsigned long long *v, size_t min, size_t max)
{
	size_t n;

	if (u64_words(p, end, v, max, &n) < 0 || n < min)
		return -EINVAL;
	return (int)(n < max ? n : max);
}

/* A name as the kernel escapes it in mountstats (seq_escape: a blank, tab,
 * newline or backslash as \ooo), unescaped into a string of its own */
static char *dup_range(const char *p, const char *e)
{
	char *s = malloc((size_t)(e - p) + 1), *o = s;

	if (!s)
		return NULL;
	while (p < e) {
		if (*p == '\\' && e - p >= 4 && p[1] >= '0' && p[1] <= '3' && p[2] >= '0' &&
		    p[2] <= '7' && p[3] >= '0' && p[3] <= '7') {
			char c = (char)((p[1] - '0') << 6 | (p[2] - '0') << 3 | (p[3] - '0'));
			if (c) { /* a NUL would end the string: kept as written */
				*o++ = c;
				p += 4;
				continue;
			}
		}
		*o++ = *p++;
	}
	*o = '\0';
	return s;
}

void mountstats_free(struct nfs_mount *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].device);
		free(v[i].mountpoint);
		free(v[i].fstype);
	}
	free(v);
}

/* "device D mounted on M with fstype T[ statvers=V]": 1 for an NFS mount
 * with statistics (d filled), 0 for another mount, -EINVAL when the line
 * is not what the kernel writes, -ENOMEM. */
static bool is(const char *w, const char *we, const char *s)
{
	size_t n = strlen(s);
	return (size_t)(we - w) == n && !memcmp(w, s, n);
}

static int mount_header(const char *p, const char *end, struct nfs_mount *d)
{
	const char *w[10], *we[10];
	int n = 0;

	while (n < 10 && word(&p, end, &w[n], &we[n]))
		n++;
	if (n < 8 || !is(w[0], we[0], "device") || !is(w[2], we[2], "mounted") ||
	    !is(w[3], we[3], "on") || !is(w[5], we[5], "with") || !is(w[6], we[6], "fstype"))
		return -EINVAL;
	/* statistics follow only with a statvers= word (nfs_show_stats) */
	if (!(is(w[7], we[7], "nfs") || is(w[7], we[7], "nfs4")) || n < 9 ||
	    we[8] - w[8] < 9 || memcmp(w[8], "statvers=", 9))
		return 0;
	memset(d, 0, sizeof(*d));
	d->device = dup_range(w[1], we[1]);
	d->mountpoint = dup_range(w[4], we[4]);
	d->fstype = dup_range(w[7], we[7]);
	if (!d->device || !d->mountpoint || !d->fstype) {
		free(d->device), free(d->mountpoint), free(d->fstype);
		return -ENOMEM;
	}
	return 1;
}

/* Where the sends counter is in an xprt line's numbers, by transport
 * (net/sunrpc/xprtsock.c, xprtrdma): -1 for one we do not know */
static int sends_index(const char *w, const char *we)
{
	if (is(w, we, "tcp") || is(w, we, "rdma"))
		return 5; /* srcport bind connect connect_time idle_time sends */
	if (is(w, we, "udp"))
		return 2; /* srcport bind sends */
	if (is(w, we, "local"))
		return 4; /* bind connect connect_time idle_time sends */
	return -1;
}

/* One line inside an NFS mount's block: 0, or -EINVAL */
static int mount_line(const char *p, const char *end, struct nfs_mount *d, bool *per_op)
{
	const char *w, *we, *q = p;
	unsigned long long v[RPC_NFIELDS + 1];

	if (!word(&q, end, &w, &we))
		return 0;
	if (*per_op) { /* "NAME: ops trans timeouts sent recv queue rtt execute [errors]" */
		if (we[-1] != ':' || we - w < 2)
			return -EINVAL;
		if (numbers(q, end, v, RPC_NFIELDS, RPC_NFIELDS + 1) < 0)
			return -EINVAL;
		unsigned long long *to = is(w, we, "READ:") ? d->read : is(w, we, "WRITE:") ? d->write
											: NULL;
		for (int i = 0; i < RPC_NFIELDS; i++) {
			if (to)
				to[i] = v[i];
			d->all[i] += v[i];
		}
		return 0;
	}
	if (is(w, we, "age:"))
		return numbers(q, end, &d->age, 1, 1) < 0 ? -EINVAL : 0;
	if (is(w, we, "bytes:")) {
		if (numbers(q, end, d->bytes, NFS_NBYTES, NFS_NBYTES) < 0)
			return -EINVAL;
		d->has_bytes = true;
		return 0;
	}
	if (is(w, we, "xprt:")) {
		if (!word(&q, end, &w, &we))
			return -EINVAL;
		int at = sends_index(w, we);
		for (int i = 0; at >= 0 && word(&q, end, &w, &we); i++) {
			if (i != at)
				continue; /* idle_time is signed: only sends is read */
			unsigned long long s;
			if (u64_of(w, we, &s) < 0)
				return -EINVAL;
			d->sends += s;
			d->has_xprt = true;
			return 0;
		}
		return at >= 0 ? -EINVAL : 0;
	}
	if (is(w, we, "per-op")) {
		*per_op = true;
		return 0;
	}
	return 0; /* opts, caps, sec, events, RPC iostats version, ...: not ours */
}

int mountstats_parse(const char *buf, size_t len, struct nfs_mount **vp, size_t *np, size_t *bad)
{
	const char *p = buf, *end = buf + len;
	struct nfs_mount *v = NULL, cur;
	size_t n = 0, cap = 0, nbad = 0;
	bool in = false, broken = false, per_op = false;

	memset(&cur, 0, sizeof(cur));
	for (;;) {
		const char *eol = p < end ? memchr(p, '\n', (size_t)(end - p)) : NULL;
		if (!eol)
			eol = end;
		bool header = p < end && !blank(*p) && p != eol;
		if (p >= end || header) { /* the mount before ends here */
			if (in && (broken || !cur.has_bytes)) {
				nbad++;
				free(cur.device), free(cur.mountpoint), free(cur.fstype);
			} else if (in) {
				struct nfs_mount *nv = cli_grow(v, &cap, n + 1, sizeof(*v), 4);
				if (!nv)
					goto nomem;
				v = nv;
				v[n++] = cur;
			}
			memset(&cur, 0, sizeof(cur));
			in = broken = per_op = false;
			if (p >= end)
				break;
			int r = mount_header(p, eol, &cur);
			if (r == -ENOMEM)
				goto nomem;
			if (r < 0)
				nbad++; /* not a header the kernel writes: its block is passed over */
			in = r == 1;
		} else if (in && !broken && mount_line(p, eol, &cur, &per_op) < 0) {
			broken = true;
		}
		p = eol < end ? eol + 1 : end;
	}
	*vp = v;
	*np = n;
	*bad = nbad;
	return 0;
nomem:
	free(cur.device), free(cur.mountpoint), free(cur.fstype);
	mountstats_free(v, n);
	return -ENOMEM;
}
