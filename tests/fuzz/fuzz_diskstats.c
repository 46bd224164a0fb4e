/* SPDX-License-Identifier: MIT */
/* Fuzz target: the /proc/diskstats parser.  It must never read out of
 * bounds; every line it keeps has a NUL-terminated name and 11, 15 or 17
 * counters, and it keeps or counts as bad every line with a word in it. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "iopcli/diskstats.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size ? size : 1); /* exact size: one byte past is caught */
	struct diskstat *v;
	size_t n, bad, line;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	if (diskstats_parse(buf, size, &v, &n, &bad, &line) == 0) {
		size_t lines = 1;
		for (size_t i = 0; i < size; i++)
			lines += buf[i] == '\n';
		if (n + bad > lines || (bad && (line < 1 || line > lines)))
			abort();
		for (size_t i = 0; i < n; i++)
			if (memchr(v[i].name, '\0', DISK_NAME_MAX) == NULL || !v[i].name[0] ||
			    (v[i].nfields != 11 && v[i].nfields != 15 && v[i].nfields != 17))
				abort();
		free(v);
	}
	free(buf);
	return 0;
}
