/* SPDX-License-Identifier: MIT */
/* A program outside the project using the installed libioprio.  It includes
 * the kernel's <linux/ioprio.h> too: the two headers must not clash. */
#include <linux/ioprio.h>
#include <libioprio.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
	int v = iop_encode(IOP_CLASS_IDLE, 0, 0);

	if (v != IOPRIO_PRIO_VALUE(IOPRIO_CLASS_IDLE, 0)) {
		fprintf(stderr, "encode disagrees with <linux/ioprio.h>: %d\n", v);
		return 1;
	}
	if (iop_set(IOP_WHO_PROCESS, 0, v) != 0 || iop_get(IOPRIO_WHO_PROCESS, 0) != v) {
		fprintf(stderr, "round trip on self failed\n");
		return 1;
	}
	if (strcmp(iop_class_name(iop_class_parse("BE")), "best-effort") != 0)
		return 1;
	struct iop_task t;
	char shown[IOP_FORMAT_MAX];
	if (iop_task_get(0, &t) != 0 || t.value != v || t.effective != v ||
	    iop_format(t.effective, shown, sizeof(shown)) < 0 || strcmp(shown, "idle") != 0) {
		fprintf(stderr, "iop_task_get/iop_format on self failed\n");
		return 1;
	}
	printf("consumer: libioprio %s, self set to %s (nice %d)\n", iop_version(), shown, t.nice);
	return 0;
}
