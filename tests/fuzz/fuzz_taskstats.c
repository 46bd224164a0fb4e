/* SPDX-License-Identifier: MIT */
/* Fuzz target: the taskstats netlink message parser.  It must never read
 * out of bounds, whatever the lengths say; a record it returns holds a
 * thread id and a NUL-terminated name; the first byte picks the family. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "iopcli/taskstats.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ts_record r[4];

	if (size < 1)
		return 0;
	/* an exact-size copy, so reading one byte past the input is caught */
	unsigned char *buf = malloc(size - 1 ? size - 1 : 1);
	if (!buf)
		return 0;
	memcpy(buf, data + 1, size - 1);
	size_t n = ts_parse(buf, size - 1, data[0] ? data[0] : 31, r, 4);
	for (size_t i = 0; i < n && i < 4; i++)
		if (r[i].tid <= 0 || r[i].tgid < 0 || r[i].ppid < 0 || strlen(r[i].comm) > 32)
			abort();
	if (n * (16 + 4 + 4 + 8 + TS_MIN_LEN) > size)
		abort(); /* each record needs its headers and stats */
	(void)ts_parse_family(buf, size - 1);
	(void)ts_parse_ack(buf, size - 1);
	free(buf);
	return 0;
}
