/* SPDX-License-Identifier: MIT */
/*
 * Block devices and their I/O schedulers, read from sysfs: which scheduler
 * is active on each device and whether it honours I/O priorities (only BFQ
 * honours levels; mq-deadline honours classes; kyber and none neither).
 * The sysfs root is a parameter (a directory fd), so tests run this on
 * fixture trees.  Internal to the command-line tools.
 */
#ifndef IOP_CLI_BLOCKDEV_H
#define IOP_CLI_BLOCKDEV_H

#include <stddef.h>

/* What a scheduler honours. */
enum cli_honours {
	CLI_HONOURS_UNKNOWN = -1, /* no scheduler known, or one we do not know */
	CLI_HONOURS_NEITHER = 0,  /* kyber, none */
	CLI_HONOURS_CLASSES = 1,  /* mq-deadline: realtime before best-effort before idle */
	CLI_HONOURS_LEVELS = 2,   /* bfq: classes, and levels 0..7 within them */
};

struct cli_blockdev {
	char *name;       /* as in <sysfs>/block */
	char *scheduler;  /* the active one; NULL when unknown */
	char **available; /* every one the device offers (NULL-terminated) */
	int error;        /* 0, or the errno reading queue/scheduler failed with
	                     (ENOENT: the device has no scheduler file) */
};

/* The scheduler named in the text of a queue/scheduler file ("mq-deadline
 * kyber [bfq] none"): the one in brackets, or the only one listed.  Copies
 * it to buf (len bytes); 0, or -EINVAL when the text names none. */
int cli_sched_active(const char *text, char *buf, size_t len);

/* What the named scheduler honours. */
enum cli_honours cli_sched_honours(const char *name);

/* Every device under <sysfs>/block, sorted by name (loop2 before loop10).
 * sysfs: a directory fd of the sysfs root (for /sys: open("/sys")).  A
 * device whose scheduler cannot be read is listed with scheduler NULL and
 * its error.  0 and *v, *n; or -errno when <sysfs>/block cannot be read,
 * -ENOMEM when memory runs out (nothing is then left allocated). */
int cli_blockdev_list(int sysfs, struct cli_blockdev **v, size_t *n);
void cli_blockdev_free(struct cli_blockdev *v, size_t n);

/* 1 when some block device under sysfs has an active scheduler that
 * honours I/O priority classes at least, 0 when none does, -errno when
 * <sysfs>/block cannot be read (-ENOMEM too).  For "ionice -v": priorities set but
 * nobody listens. */
int cli_any_device_honours_priorities(int sysfs);

#endif
