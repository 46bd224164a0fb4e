/* SPDX-License-Identifier: MIT */
/* ioprio-get --devices: the block devices, their schedulers, and what
 * those honour. */
#ifndef IOPRIO_GET_DEVICES_H
#define IOPRIO_GET_DEVICES_H

#include <stdbool.h>

/* Prints the devices under <sys>/block (sys: NULL for /sys) as a table,
 * raw or JSON; returns the exit status (1 when a device's scheduler could
 * not be read).  Which options go with --devices is ioprio-get.c's to say. */
int iopget_devices(const char *sys, bool raw, bool json, bool header);

#endif
