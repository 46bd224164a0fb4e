/* SPDX-License-Identifier: MIT */
/* The taskstats exit listener over generic netlink, with libc alone.  See
 * taskstats.h; the kernel's behaviour is in docs/DESIGN.md. */
#define _GNU_SOURCE
#include "iopcli/taskstats.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef AF_NETLINK
#define AF_NETLINK 16
#endif
#ifndef NETLINK_GENERIC
#define NETLINK_GENERIC 16
#endif
#ifndef SO_MEMINFO
#define SO_MEMINFO 55
#endif
#ifndef SO_RCVBUFFORCE
#define SO_RCVBUFFORCE 33
#endif
#define SK_MEMINFO_DROPS 8
#define SK_MEMINFO_VARS 9

/* struct sockaddr_nl, spelt out (linux/netlink.h may be missing) */
struct nl_addr {
	unsigned short family;
	unsigned short pad;
	uint32_t pid;
	uint32_t groups;
};

/* A record is about 600 bytes (1,200 with a process's aggregate); one
 * recv() returns one message, and a recvmmsg() up to TS_BATCH of them:
 * 64 KiB of buffers in all. */
#define TS_MSG_MAX 4096
#define TS_BATCH 16

/* Sends one request: a generic netlink command with one attribute; with
 * ack, the kernel answers with an acknowledgement (only then: a stray one
 * would pass for the next request's). */
static int request(int fd, int type, int cmd, int attr, const void *data, size_t len, bool ack)
{
	unsigned char b[256];
	size_t alen = 4 + len, total = 16 + 4 + ((alen + 3) & ~(size_t)3);
	uint32_t u32;
	uint16_t u16;

	if (total > sizeof(b))
		return -EINVAL;
	memset(b, 0, sizeof(b));
	u32 = (uint32_t)total;
	memcpy(b, &u32, 4);
	u16 = (uint16_t)type;
	memcpy(b + 4, &u16, 2);
	u16 = ack ? 0x1 | 0x4 : 0x1; /* NLM_F_REQUEST, NLM_F_ACK */
	memcpy(b + 6, &u16, 2);
	u32 = 1;
	memcpy(b + 8, &u32, 4); /* seq */
	b[16] = (unsigned char)cmd;
	b[17] = 1; /* version */
	u16 = (uint16_t)alen;
	memcpy(b + 20, &u16, 2);
	u16 = (uint16_t)attr;
	memcpy(b + 22, &u16, 2);
	memcpy(b + 24, data, len);
	struct nl_addr to = { .family = AF_NETLINK };
	if (sendto(fd, b, total, 0, (struct sockaddr *)&to, sizeof(to)) < 0)
		return -errno;
	return 0;
}

/* The reply to a request: family resolution, or the acknowledgement.
 * Records that arrive meanwhile (the listener is registered by then) are
 * passed over: they belong to the time before the first scan. */
static int reply(int fd, char *buf, bool family)
{
	for (int tries = 0; tries < 64; tries++) {
		ssize_t n = recv(fd, buf, TS_MSG_MAX, 0);
		if (n < 0) {
			if (errno == EINTR || errno == ENOBUFS)
				continue;
			return -errno;
		}
		int r = family ? ts_parse_family(buf, (size_t)n) : ts_parse_ack(buf, (size_t)n);
		if (family ? r != -EINVAL : r != 1)
			return r;
	}
	return -EIO;
}

int ts_open(struct ts_listener *l, int rcvbuf)
{
	char mask[32];
	long cpus = sysconf(_SC_NPROCESSORS_CONF);
	int r;

	*l = (struct ts_listener){ .fd = -1 };
	l->buf = malloc((size_t)TS_MSG_MAX * TS_BATCH);
	if (!l->buf)
		return -ENOMEM;
	l->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (l->fd < 0) {
		r = errno == EAFNOSUPPORT ? -EPROTONOSUPPORT : -errno;
		goto fail;
	}
	struct nl_addr me = { .family = AF_NETLINK };
	if (bind(l->fd, (struct sockaddr *)&me, sizeof(me)) < 0) {
		r = -errno;
		goto fail;
	}
	/* replies never wait for long: the kernel answers at once */
	struct timeval tv = { .tv_sec = 2 };
	setsockopt(l->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	r = request(l->fd, TS_GENL_ID_CTRL, TS_CTRL_CMD_GETFAMILY, TS_CTRL_ATTR_FAMILY_NAME,
		    "TASKSTATS", 10, false);
	if (r == 0)
		r = reply(l->fd, l->buf, true);
	if (r < 0)
		goto fail;
	l->family = r;
	/* room for bursts: with CAP_NET_ADMIN past net.core.rmem_max */
	if (setsockopt(l->fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)) < 0)
		setsockopt(l->fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	snprintf(mask, sizeof(mask), "0-%ld", cpus > 1 ? cpus - 1 : 0);
	r = request(l->fd, l->family, TS_CMD_GET, TS_CMD_ATTR_REGISTER_CPUMASK, mask,
		    strlen(mask) + 1, true);
	if (r == 0)
		r = reply(l->fd, l->buf, false);
	if (r < 0)
		goto fail;
	l->drops = ts_drops(l);
	return 0;
fail:
	ts_close(l);
	return r;
}

unsigned ts_drops(struct ts_listener *l)
{
	uint32_t mem[SK_MEMINFO_VARS] = { 0 };
	socklen_t len = sizeof(mem);

	if (l->fd < 0 || getsockopt(l->fd, SOL_SOCKET, SO_MEMINFO, mem, &len) < 0 ||
	    len < (SK_MEMINFO_DROPS + 1) * sizeof(uint32_t))
		return l->drops + l->truncated;
	l->drops = mem[SK_MEMINFO_DROPS];
	return l->drops + l->truncated;
}

int ts_drain(struct ts_listener *l, int (*fn)(void *ctx, const struct ts_record *r), void *ctx)
{
	struct mmsghdr m[TS_BATCH];
	struct iovec iov[TS_BATCH];
	struct ts_record recs[4];

	if (l->fd < 0)
		return 0;
	for (;;) {
		for (int i = 0; i < TS_BATCH; i++) {
			iov[i] = (struct iovec){ l->buf + (size_t)i * TS_MSG_MAX, TS_MSG_MAX };
			m[i] = (struct mmsghdr){ .msg_hdr = { .msg_iov = &iov[i], .msg_iovlen = 1 } };
		}
		int n = recvmmsg(l->fd, m, TS_BATCH, MSG_DONTWAIT, NULL);
		if (n < 0) {
			if (errno == EINTR || errno == ENOBUFS)
				continue; /* a loss: counted in the drops */
			return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -errno;
		}
		for (int i = 0; i < n; i++) {
			if (m[i].msg_hdr.msg_flags & MSG_TRUNC) {
				l->truncated++; /* larger than a record can be: lost */
				continue;
			}
			size_t k = ts_parse(iov[i].iov_base, m[i].msg_len, l->family, recs, 4);
			for (size_t j = 0; j < k && j < 4; j++) {
				l->received++;
				int r = fn(ctx, &recs[j]);
				if (r)
					return r;
			}
		}
		if (n < TS_BATCH)
			return 0;
	}
}

void ts_close(struct ts_listener *l)
{
	if (l->fd >= 0)
		close(l->fd);
	free(l->buf);
	l->fd = -1;
	l->buf = NULL;
}
