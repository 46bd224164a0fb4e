/* SPDX-License-Identifier: MIT */
/* Fuzz target: the mountstats parser.  It must never read out of bounds
 * nor leak (LeakSanitizer), and every mount it keeps is an NFS one with
 * its names and a bytes line. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "iopcli/diskstats.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size ? size : 1);
	struct nfs_mount *v;
	size_t n, bad;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	if (mountstats_parse(buf, size, &v, &n, &bad) == 0) {
		for (size_t i = 0; i < n; i++)
			if (!v[i].device || !v[i].mountpoint || !v[i].has_bytes ||
			    strncmp(v[i].fstype, "nfs", 3))
				abort();
		mountstats_free(v, n);
	}
	free(buf);
	return 0;
}
