/* SPDX-License-Identifier: MIT */
/*
 * Test helper (root only): drops privileges as a daemon's worker does,
 * without an exec: setresgid(RGID, EGID, EGID), no supplementary groups,
 * setresuid(RUID, EUID, EUID), then names itself NAME, starts NTHREADS - 1
 * more threads and waits until killed.  The kernel makes it non-dumpable:
 * every file under its /proc directory is root's.
 *   usage: dropids RUID EUID RGID EGID NTHREADS NAME
 */
#define _GNU_SOURCE
#include <grp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>

static void *wait_forever(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static int id(const char *s, unsigned long max, unsigned long *v)
{
	char *end;
	*v = strtoul(s, &end, 10);
	return *s && !*end && *v <= max ? 0 : -1;
}

int main(int argc, char **argv)
{
	unsigned long ruid, euid, rgid, egid, n;

	if (argc != 7 || id(argv[1], 4294967294UL, &ruid) || id(argv[2], 4294967294UL, &euid) ||
	    id(argv[3], 4294967294UL, &rgid) || id(argv[4], 4294967294UL, &egid) ||
	    id(argv[5], 1000, &n) || n < 1)
		return 2;
	if (setgroups(0, NULL) || setresgid((gid_t)rgid, (gid_t)egid, (gid_t)egid) ||
	    setresuid((uid_t)ruid, (uid_t)euid, (uid_t)euid)) {
		perror("dropids");
		return 1;
	}
	prctl(PR_SET_NAME, argv[6]);
	for (unsigned long i = 1; i < n; i++) {
		pthread_t t;
		if (pthread_create(&t, NULL, wait_forever, NULL) != 0)
			return 1;
	}
	wait_forever(NULL);
	return 0;
}
