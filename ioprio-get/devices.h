/* SPDX-License-Identifier: MIT */
/* ioprio-get --devices: the block devices, their schedulers, and what
 * those honour. */
#ifndef IOPRIO_GET_DEVICES_H
#define IOPRIO_GET_DEVICES_H

#include <stdbool.h>

/* Prints the devices under <sys>/block (sys: NULL for /sys) as a table,
 * raw or JSON, and exits.  'devices': --devices was given (--sys alone is
 * a usage error); 'others': an option that selects or formats processes
 * was given too (a usage error). */
void iopget_devices(const char *sys, bool devices, bool raw, bool json, bool header,
		    bool others) __attribute__((noreturn));

#endif
