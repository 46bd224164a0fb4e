/* SPDX-License-Identifier: MIT */
/* Fuzz target: the /proc/pressure/io parser.  It must never read out of
 * bounds, and what it accepts holds a "some" line with a total. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "iopcli/diskstats.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size ? size : 1);
	struct pressure p;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	if (pressure_parse(buf, size, &p) == 0 && size < sizeof("some total=0") - 1)
		abort(); /* a "some" line with a total cannot be this short */
	free(buf);
	return 0;
}
