/* SPDX-License-Identifier: MIT */
/* Test helper: prints raw ioprio values as the kernel returns them, one a
 * line: for each tid given, ioprio_get(IOPRIO_WHO_PROCESS, tid); after -g,
 * for each process group, ioprio_get(IOPRIO_WHO_PGRP, pgid) (which since
 * Linux 6.0 is the group's highest effective priority: the oracle). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libioprio.h>

int main(int argc, char **argv)
{
	int which = IOP_WHO_PROCESS;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-g")) {
			which = IOP_WHO_PGRP;
			continue;
		}
		char *end;
		long id = strtol(argv[i], &end, 10);
		int v = *end || id < 0 ? -1 : iop_get(which, (int)id);
		if (v < 0) {
			fprintf(stderr, "rawprio: %s: %s\n", argv[i], v == -1 ? "bad id" : strerror(-v));
			return 1;
		}
		printf("%d\n", v);
	}
	return 0;
}
