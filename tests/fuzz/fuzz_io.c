/* SPDX-License-Identifier: MIT */
/* Fuzz target: the /proc/<pid>/io parser.  It must never read out of
 * bounds, and what it accepts must hold all seven counters. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "iopcli/proc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* an exact-size copy, so reading one byte past the input is caught */
	char *buf = malloc(size ? size : 1);
	unsigned long long io[IO_NFIELDS];

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	if (proc_parse_io(buf, size, io) == 0 && size < 7 * 4)
		abort(); /* seven "name: N" lines cannot be this short */
	free(buf);
	return 0;
}
