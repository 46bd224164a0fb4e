/* SPDX-License-Identifier: MIT */
/* Test helper: a process that forks a new child every PERIOD_MS
 * milliseconds, COUNT times, and then waits until killed; every child, with
 * the same name, waits until killed too.  The name is NAME (prctl).  The
 * helper and its children die with their parent (PR_SET_PDEATHSIG), so a
 * test that kills the helper by pid leaves nothing behind.  A job that
 * forks while it is being demoted.
 *   usage: forker NAME PERIOD_MS COUNT */
#define _GNU_SOURCE
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

static void die_with_parent(pid_t parent)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent) /* it died before the line above */
		_exit(0);
}

int main(int argc, char **argv)
{
	char *end1 = "", *end2 = "";
	long period = argc == 4 ? strtol(argv[2], &end1, 10) : -1;
	long count = argc == 4 ? strtol(argv[3], &end2, 10) : -1;

	if (period < 0 || period > 10000 || *end1 || count < 0 || count > 100000 || *end2)
		return 2;
	die_with_parent(getppid());
	prctl(PR_SET_NAME, argv[1]);
	for (long i = 0; i < count; i++) {
		struct timespec ts = { period / 1000, period % 1000 * 1000000L };
		pid_t self = getpid(), child = fork();
		if (child == 0) {
			die_with_parent(self);
			for (;;)
				pause();
		}
		if (child < 0)
			return 1;
		nanosleep(&ts, NULL);
	}
	for (;;)
		pause();
}
