/* SPDX-License-Identifier: MIT */
/*
 * iopstat -d: disks from /proc/diskstats and NFS mounts from mountstats,
 * as rows of a report.  See devices.h.  The formulas are sysstat 12's
 * iostat -x (over the interval S, in seconds; Δ a counter's change):
 *   r/s = Δreads / S          rkB/s = Δsectors / 2 / S   rrqm/s = Δmerged / S
 *   %rrqm = Δmerged / (Δmerged + Δreads) * 100           (0 without either)
 *   r_await = Δread ms / Δreads   rareq-sz = Δsectors / 2 / Δreads (0 without reads)
 *   the same for writes and discards; f/s, f_await for flushes
 *   aqu-sz = Δweighted ms / (S * 1000)   %util = Δio_ticks ms / (S * 1000) * 100
 * and nfsiostat's for NFS (over the mount's age one-shot):
 *   op/s = Δsends / S (the mount's RPC requests), and for each of READ and
 *   WRITE over that operation's own counters: ops/s = Δops / S, kB/s =
 *   Δ(bytes sent + received) / 1024 / S, kB/op = that kB / Δops, retrans =
 *   Δtrans - Δops, avg RTT = Δrtt ms / Δops, avg exe = Δexecute ms / Δops.
 */
#define _GNU_SOURCE
#include "devices.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "iopcli/array.h"
#include "iopcli/blockdev.h"
#include "pair.h"
#include "sample.h"

int dev_read(struct dev_read *r, const struct proc_root *proc, int sysfs, unsigned what)
{
	struct timespec t;

	dev_read_free(r);
	r->disks_error = r->nfs_error = r->psi_error = -ENOENT;
	if (what & DEV_READ_DISKS) {
		r->disks_error = diskstats_read(proc->fd, sysfs, &r->disks, &r->n, &r->bad,
						&r->bad_line);
		if (r->disks_error == -ENOMEM)
			return -ENOMEM;
	}
	clock_gettime(CLOCK_MONOTONIC, &t);
	r->mono = (double)t.tv_sec + (double)t.tv_nsec / 1e9;
	clock_gettime(CLOCK_REALTIME, &t);
	r->when = (double)t.tv_sec + (double)t.tv_nsec / 1e9;
	if (what & DEV_READ_PSI)
		r->psi_error = pressure_read(proc->fd, &r->psi);
	if (what & DEV_READ_NFS) {
		r->nfs_error = mountstats_read(proc->fd, &r->nfs, &r->nnfs, &r->nfs_bad);
		if (r->nfs_error == -ENOMEM)
			return -ENOMEM;
	}
	r->uptime = proc_uptime(proc);
	return 0;
}

void dev_read_free(struct dev_read *r)
{
	free(r->disks);
	mountstats_free(r->nfs, r->nnfs);
	memset(r, 0, sizeof(*r));
}

/* --- rows ------------------------------------------------------------------- */

static bool named(const struct dev_select *sel, const char *name)
{
	for (size_t i = 0; i < sel->nnames; i++)
		if (!strcmp(sel->names[i], name))
			return true;
	return false;
}

static bool used(const struct diskstat *d)
{
	return d->v[DISK_RD_IOS] || d->v[DISK_WR_IOS] || d->v[DISK_DC_IOS] || d->v[DISK_FL_IOS];
}

/* The active scheduler of a whole disk ("" when unknown) */
static void scheduler_of(int sysfs, const char *name, char *buf, size_t size)
{
	if (sysfs < 0 || disk_scheduler(sysfs, name, buf, size) < 0)
		buf[0] = '\0';
}

/* prev's line of the same name and device number as d, or NULL (another
 * device under the name, or none): both reads are in the kernel's order,
 * so the search goes on from *j, the line after the last match */
static const struct diskstat *same_device(const struct dev_read *prev, const struct diskstat *d,
					  size_t *j)
{
	for (size_t k = 0; k < prev->n; k++) {
		const struct diskstat *o = &prev->disks[(*j + k) % prev->n];
		if (!strcmp(o->name, d->name)) {
			*j = (*j + k + 1) % prev->n;
			return o->major == d->major && o->minor == d->minor &&
				       o->nfields == d->nfields ? o : NULL;
		}
	}
	return NULL;
}

int dev_view_build(struct dev_view *v, const struct dev_read *cur, const struct dev_read *prev,
		   int sysfs, const struct dev_select *sel)
{
	const struct diskstat *disk = NULL; /* the whole disk the partitions after it are of */
	char disk_sched[24] = "";
	size_t j = 0;

	v->n = v->nnfs = 0;
	if (prev && prev->disks_error)
		prev = NULL; /* nothing to pair with: since boot, rather than a spike */
	v->seconds = prev ? cur->mono - prev->mono : cur->uptime;
	for (size_t i = 0; i < cur->n; i++) {
		const struct diskstat *d = &cur->disks[i];
		/* the kernel lists a disk's partitions right after it */
		if (!d->partition) {
			disk = d;
			scheduler_of(sysfs, d->name, disk_sched, sizeof(disk_sched));
		}
		if (sel->nnames ? !named(sel, d->name) : !sel->all && !used(d))
			continue;
		struct dev_row *rows = cli_grow(v->disks, &v->cap, v->n + 1, sizeof(*rows), 16);
		if (!rows)
			return -ENOMEM;
		v->disks = rows;
		struct dev_row *r = &v->disks[v->n++];
		memset(r, 0, sizeof(*r));
		r->now = d;
		r->seconds = v->seconds;
		if (prev)
			r->then = same_device(prev, d, &j);
		if (disk && (d == disk || d->partition)) {
			memcpy(r->sched, disk_sched, sizeof(r->sched));
			r->honours = r->sched[0] ? (int)cli_sched_honours(r->sched)
						 : CLI_HONOURS_UNKNOWN;
		} else {
			r->honours = CLI_HONOURS_UNKNOWN;
		}
	}
	for (size_t i = 0; i < cur->nnfs; i++) {
		const struct nfs_mount *m = &cur->nfs[i];
		if (sel->nnames && !named(sel, m->mountpoint) && !named(sel, m->device))
			continue;
		struct nfs_row *mounts = cli_grow(v->nfs, &v->nfs_cap, v->nnfs + 1, sizeof(*mounts), 4);
		if (!mounts)
			return -ENOMEM;
		v->nfs = mounts;
		struct nfs_row *r = &v->nfs[v->nnfs++];
		r->now = m;
		r->then = NULL;
		r->seconds = (double)m->age;
		for (size_t k = 0; prev && k < prev->nnfs; k++)
			if (!strcmp(prev->nfs[k].mountpoint, m->mountpoint) &&
			    !strcmp(prev->nfs[k].device, m->device) && prev->nfs[k].age <= m->age) {
				r->then = &prev->nfs[k];
				r->seconds = cur->mono - prev->mono;
			}
	}
	return 0;
}

void dev_view_free(struct dev_view *v)
{
	free(v->disks);
	free(v->nfs);
	memset(v, 0, sizeof(*v));
}

/* --- values ----------------------------------------------------------------- */

bool dev_delta(const struct dev_row *r, int f, unsigned long long *out)
{
	if ((unsigned)f >= r->now->nfields)
		return false;
	*out = r->then ? pair_delta(r->now->v[f], r->then->v[f]) : r->now->v[f];
	return true;
}

bool dev_busy_absurd(const struct dev_row *r, double *util)
{
	unsigned long long busy;

	if (!(r->seconds > 0) || !dev_delta(r, DISK_IO_TICKS, &busy))
		return false;
	*util = (double)busy / (r->seconds * 10);
	return (double)busy > r->seconds * 1000 * 1.005 + 20;
}

static const char *honours_name(int h)
{
	switch (h) {
	case CLI_HONOURS_LEVELS:
		return "levels";
	case CLI_HONOURS_CLASSES:
		return "classes";
	case CLI_HONOURS_NEITHER:
		return "none";
	default:
		return NULL;
	}
}

static double ratio(double num, double den)
{
	return den > 0 ? num / den : 0;
}

bool dev_value(const struct dev_row *r, int field, struct dev_cell *c)
{
	unsigned long long ios, merges, sectors, ticks, x;

	switch (field) {
	case DEV_NAME:
		c->s = r->now->name;
		return true;
	case DEV_KIND:
		c->s = r->now->partition ? "part" : "disk";
		return true;
	case DEV_SCHED:
		c->s = r->sched;
		return r->sched[0] != '\0';
	case DEV_HONOURS:
		c->s = honours_name(r->honours);
		return c->s != NULL;
	}
	double s = r->seconds;
	if (!(s > 0))
		return false;
	switch (field) {
	case DEV_FLUSH_S:
		if (!dev_delta(r, DISK_FL_IOS, &x))
			return false;
		c->rate = (double)x / s;
		return true;
	case DEV_FLUSH_AWAIT:
		if (!dev_delta(r, DISK_FL_IOS, &ios) || !dev_delta(r, DISK_FL_TICKS, &ticks))
			return false;
		c->rate = ratio((double)ticks, (double)ios);
		return true;
	case DEV_AQU:
		if (!dev_delta(r, DISK_TIME_IN_QUEUE, &x))
			return false;
		c->rate = (double)x / (s * 1000);
		return true;
	case DEV_UTIL:
		if (!dev_delta(r, DISK_IO_TICKS, &x))
			return false;
		c->rate = (double)x / (s * 10);
		return true;
	}
	static const int base[] = { DISK_RD_IOS, DISK_WR_IOS, DISK_DC_IOS };
	int dir = field / 8, m = field % 8;
	if (dir > DEV_DISCARD)
		return false;
	int b = base[dir];
	if (!dev_delta(r, b, &ios) || !dev_delta(r, b + 1, &merges) ||
	    !dev_delta(r, b + 2, &sectors) || !dev_delta(r, b + 3, &ticks))
		return false;
	switch (m) {
	case DEV_IOS:
		c->rate = (double)ios / s;
		break;
	case DEV_KB:
		c->rate = (double)sectors / 2 / s;
		break;
	case DEV_RQM:
		c->rate = (double)merges / s;
		break;
	case DEV_PRQM:
		c->rate = ratio((double)merges * 100, (double)merges + (double)ios);
		break;
	case DEV_AWAIT:
		c->rate = ratio((double)ticks, (double)ios);
		break;
	case DEV_AREQ:
		c->rate = ratio((double)sectors / 2, (double)ios);
		break;
	default:
		return false;
	}
	return true;
}

/* an NFS counter's change: a mount's counters only grow while it lives */
static unsigned long long nfs_change(const unsigned long long *now,
				     const unsigned long long *then, int f)
{
	return then ? pair_delta(now[f], then[f]) : now[f];
}

static double nfs_d(const unsigned long long *now, const unsigned long long *then, int f)
{
	return (double)nfs_change(now, then, f);
}

bool nfs_value(const struct nfs_row *r, int field, struct dev_cell *c)
{
	const struct nfs_mount *m = r->now, *o = r->then;
	double s = r->seconds;
	switch (field) {
	case NFS_MOUNT:
		c->s = m->mountpoint;
		return true;
	case NFS_EXPORT:
		c->s = m->device;
		return true;
	case NFS_OPS:
		if (!m->has_xprt || !(s > 0))
			return false;
		c->rate = (double)(o ? pair_delta(m->sends, o->sends) : m->sends) / s;
		return true;
	}
	/* one operation's figures, as nfsiostat's __print_rpc_op_stats: over
	 * its own ops, transmissions, bytes and milliseconds */
	int op = (field - NFS_M(0, 0)) / 8, k = (field - NFS_M(0, 0)) % 8;
	if (op != NFS_OP_READ && op != NFS_OP_WRITE)
		return false;
	const unsigned long long *now = op == NFS_OP_READ ? m->read : m->write;
	const unsigned long long *then = o ? (op == NFS_OP_READ ? o->read : o->write) : NULL;
	double ops = nfs_d(now, then, RPC_OPS);
	double kb = (nfs_d(now, then, RPC_BYTES_SENT) + nfs_d(now, then, RPC_BYTES_RECV)) / 1024;
	switch (k) {
	case NFS_OP_OPS:
		if (!(s > 0))
			return false;
		c->rate = ops / s;
		return true;
	case NFS_OP_KBS:
		if (!(s > 0))
			return false;
		c->rate = kb / s;
		return true;
	case NFS_OP_KBOP:
		c->rate = ratio(kb, ops);
		return true;
	case NFS_OP_RETRANS: { /* transmissions beyond the first of each op */
		unsigned long long t = nfs_change(now, then, RPC_TRANS);
		unsigned long long n = nfs_change(now, then, RPC_OPS);
		c->n = t > n ? t - n : 0;
		return true;
	}
	case NFS_OP_RTT:
		c->rate = ratio(nfs_d(now, then, RPC_RTT_MS), ops);
		return true;
	case NFS_OP_EXE:
		c->rate = ratio(nfs_d(now, then, RPC_EXECUTE_MS), ops);
		return true;
	}
	return false;
}

/* --- the report ------------------------------------------------------------- */

int dev_report_build(struct report *rep, const struct dev_view *v, bool nfs,
		     const struct report_options *opt, const struct scan_snapshot *snap)
{
	size_t n = nfs ? v->nnfs : v->n;

	((struct dev_view *)v)->nfs_rows = nfs;
	struct report_row *rows = cli_grow(rep->rows, &rep->cap, n, sizeof(*rows), 16);
	if (!rows)
		return -ENOMEM;
	rep->rows = rows;
	for (size_t i = 0; i < n; i++)
		rep->rows[i] = (struct report_row){ .task = (unsigned)i, .old = ROW_NO_OLD };
	rep->n = rep->total_rows = n;
	rep->devs = v;
	rep->groups = NULL;
	rep->base = NULL;
	rep->seconds = 0;
	rep->snap = snap;
	if (opt->sort.fn)
		opt->sort.fn(rep, opt->sort.ctx);
	if (opt->top && rep->n > opt->top)
		rep->n = opt->top;
	return 0;
}

/* --- the system line ------------------------------------------------------------- */

void sys_line_devices(struct sys_line *l, const struct dev_read *cur, const struct dev_read *prev)
{
	double s = cur->mono - prev->mono;
	unsigned long long rd = 0, wr = 0;
	size_t j = 0;

	l->disks = cur->disks_error == 0 && prev->disks_error == 0 && s > 0;
	for (size_t i = 0; l->disks && i < cur->n; i++) {
		const struct diskstat *d = &cur->disks[i];
		if (d->partition || d->stacked)
			continue; /* its disk counts it; a loop or dm device's I/O is the disk's below */
		struct dev_row r = { .now = d };
		r.then = same_device(prev, d, &j);
		unsigned long long x;
		if (dev_delta(&r, DISK_RD_SECTORS, &x))
			rd += x;
		if (dev_delta(&r, DISK_WR_SECTORS, &x))
			wr += x;
	}
	l->disk_read = l->disks ? (double)rd * 512 / s : 0;
	l->disk_write = l->disks ? (double)wr * 512 / s : 0;
	if (cur->psi_error == 0 && prev->psi_error == 0 && s > 0) {
		double some = (double)pair_delta(cur->psi.some_us, prev->psi.some_us) / (s * 1e6) * 100;
		double full = (double)pair_delta(cur->psi.full_us, prev->psi.full_us) / (s * 1e6) * 100;
		/* the stall of the interval, as a share of it: 0..100 (the reads
		 * are a moment apart from the clock's) */
		l->some = some > 100 ? 100 : some;
		l->full = full > 100 ? 100 : full;
		l->has_full = cur->psi.has_full;
		l->psi = 1;
	} else {
		l->psi = l->psi == 0 || l->psi == -1 ? -1 : 0; /* said once, then not again */
		l->psi_error = cur->psi_error ? cur->psi_error : prev->psi_error;
	}
}
