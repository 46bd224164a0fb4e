/* Test helper: prints the raw ioprio value of each tid given, one a line,
 * as the kernel returns it (ioprio_get(IOPRIO_WHO_PROCESS, tid)). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libioprio.h"

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		char *end;
		long tid = strtol(argv[i], &end, 10);
		int v = *end || tid < 0 ? -1 : iop_get(IOP_WHO_PROCESS, (int)tid);
		if (v < 0) {
			fprintf(stderr, "rawprio: %s: %s\n", argv[i], v == -1 ? "bad tid" : strerror(-v));
			return 1;
		}
		printf("%d\n", v);
	}
	return 0;
}
