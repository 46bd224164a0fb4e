/* SPDX-License-Identifier: MIT */
/* The parser of taskstats' netlink messages.  See taskstats.h.  Pure: it
 * reads only buf[0..len), with memcpy (the bytes may be unaligned). */
#include "iopcli/taskstats.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

/* struct genlmsghdr: cmd u8, version u8, reserved u16 */
#define GENL_HDR 4
#define NLMSG_ERROR_TYPE 2

static size_t align4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

static uint32_t get32(const unsigned char *p)
{
	uint32_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

static uint16_t get16(const unsigned char *p)
{
	uint16_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

static uint64_t get64(const unsigned char *p)
{
	uint64_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

/* One item of a run of netlink items (messages, or the attributes inside
 * one): its type and payload. */
struct item {
	unsigned type;
	const unsigned char *data;
	size_t len;
};

/* How an item's header is laid out: its size, how wide its length field
 * (at offset 0, counting the header) is, where its u16 type is, and the
 * type's bits. */
struct form {
	size_t hdr;
	bool len32;
	size_t type_off;
	unsigned type_mask;
};

/* struct nlmsghdr: len u32, type u16, flags u16, seq u32, pid u32 */
static const struct form MSG = { 16, true, 4, 0xffff };
/* struct nlattr: len u16, type u16 (without the nested and byte-order flags) */
static const struct form ATTR = { 4, false, 2, 0x3fff };

/* The item of b[0..len) at off into *out, and the offset of the next one
 * (its length rounded up to 4, at most len); 0 when there is none (the
 * end, or a length shorter than the header or past the end: the walk
 * stops there). */
static size_t item_at(const struct form *f, const unsigned char *b, size_t len, size_t off,
		      struct item *out)
{
	if (off >= len || len - off < f->hdr)
		return 0;
	size_t n = f->len32 ? get32(b + off) : get16(b + off);
	if (n < f->hdr || n > len - off)
		return 0;
	out->type = get16(b + off + f->type_off) & f->type_mask;
	out->data = b + off + f->hdr;
	out->len = n - f->hdr;
	size_t next = off + align4(n);
	return next > len ? len : next;
}

static void fill(struct ts_record *r, int tid, const unsigned char *s, size_t n)
{
	memset(r, 0, sizeof(*r));
	r->tid = tid;
	r->version = get16(s + TS_OFF_VERSION);
	memcpy(r->comm, s + TS_OFF_COMM, 32);
	r->comm[32] = '\0';
	r->uid = get32(s + TS_OFF_UID);
	r->gid = get32(s + TS_OFF_GID);
	r->ppid = (int)get32(s + TS_OFF_PPID);
	r->btime = get32(s + TS_OFF_BTIME);
	r->etime_us = get64(s + TS_OFF_ETIME);
	r->io[IO_RCHAR] = get64(s + TS_OFF_RCHAR);
	r->io[IO_WCHAR] = get64(s + TS_OFF_WCHAR);
	r->io[IO_SYSCR] = get64(s + TS_OFF_SYSCR);
	r->io[IO_SYSCW] = get64(s + TS_OFF_SYSCW);
	r->io[IO_READ_BYTES] = get64(s + TS_OFF_READ_BYTES);
	r->io[IO_WRITE_BYTES] = get64(s + TS_OFF_WRITE_BYTES);
	r->io[IO_CANCELLED] = get64(s + TS_OFF_CANCELLED);
	if (n >= TS_OFF_BTIME64 + 8)
		r->btime = get64(s + TS_OFF_BTIME64);
	if (n >= TS_OFF_TGID + 4)
		r->tgid = (int)get32(s + TS_OFF_TGID);
	if (n >= TS_OFF_TGETIME + 8)
		r->tgetime_us = get64(s + TS_OFF_TGETIME);
	if (r->tgid < 0)
		r->tgid = 0;
	if (r->ppid < 0)
		r->ppid = 0;
}

/* One AGGR_PID attribute: the thread id, then its stats.  1 when it held
 * a record (into *r), else 0. */
static int aggr_pid(const unsigned char *a, size_t len, struct ts_record *r)
{
	struct item at;
	int tid = 0;
	const unsigned char *stats = NULL;
	size_t nstats = 0;

	for (size_t off = 0, next; (next = item_at(&ATTR, a, len, off, &at)); off = next) {
		if (at.type == TS_TYPE_PID && at.len >= 4)
			tid = (int)get32(at.data);
		else if (at.type == TS_TYPE_STATS && at.len >= TS_MIN_LEN)
			stats = at.data, nstats = at.len;
	}
	if (tid <= 0 || !stats)
		return 0;
	fill(r, tid, stats, nstats);
	return 1;
}

size_t ts_parse(const void *buf, size_t len, int family, struct ts_record *out, size_t max)
{
	const unsigned char *b = buf;
	struct item m;
	size_t n = 0;

	for (size_t off = 0, next; (next = item_at(&MSG, b, len, off, &m)); off = next) {
		if ((int)m.type != family || m.len < GENL_HDR || m.data[0] != TS_CMD_NEW)
			continue;
		const unsigned char *a = m.data + GENL_HDR;
		size_t alen = m.len - GENL_HDR;
		struct item at;
		bool tgid_aggr = false;
		size_t first = n;
		for (size_t o = 0, nx; (nx = item_at(&ATTR, a, alen, o, &at)); o = nx) {
			if (at.type == TS_TYPE_AGGR_TGID) {
				tgid_aggr = true;
			} else if (at.type == TS_TYPE_AGGR_PID) {
				struct ts_record tmp, *r = n < max ? &out[n] : &tmp;
				n += (size_t)aggr_pid(at.data, at.len, r);
			}
		}
		if (tgid_aggr)
			for (size_t i = first; i < n && i < max; i++)
				out[i].group_end = true;
	}
	return n;
}

int ts_parse_family(const void *buf, size_t len)
{
	const unsigned char *b = buf;
	struct item m;

	for (size_t off = 0, next; (next = item_at(&MSG, b, len, off, &m)); off = next) {
		if (m.type == NLMSG_ERROR_TYPE) {
			if (m.len < 4)
				return -EINVAL;
			int e = (int)get32(m.data);
			return e < 0 ? e : -EINVAL;
		}
		if (m.type != TS_GENL_ID_CTRL || m.len < GENL_HDR)
			continue;
		const unsigned char *a = m.data + GENL_HDR;
		size_t alen = m.len - GENL_HDR;
		struct item at;
		for (size_t o = 0, nx; (nx = item_at(&ATTR, a, alen, o, &at)); o = nx)
			if (at.type == TS_CTRL_ATTR_FAMILY_ID && at.len >= 2 && get16(at.data) > 0)
				return get16(at.data);
		return -ENOENT;
	}
	return -EINVAL;
}

int ts_parse_ack(const void *buf, size_t len)
{
	const unsigned char *b = buf;
	struct item m;

	for (size_t off = 0, next; (next = item_at(&MSG, b, len, off, &m)); off = next)
		if (m.type == NLMSG_ERROR_TYPE && m.len >= 4) {
			int e = (int)get32(m.data);
			return e <= 0 && e > -4096 ? e : -EINVAL;
		}
	return 1;
}
