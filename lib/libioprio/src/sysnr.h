/* SPDX-License-Identifier: MIT */
/*
 * Private: the ioprio_set/ioprio_get system call numbers.
 *
 * libc's SYS_ioprio_* are used when defined.  Otherwise (or when the build
 * defines IOP_FORCE_ARCH_TABLE, which the tests do to check this table
 * against libc) the numbers come from the table below, taken from the
 * kernel's per-architecture syscall tables.  An architecture missing here
 * fails the build instead of calling a wrong system call at run time.
 */
#ifndef IOP_SYSNR_H
#define IOP_SYSNR_H

#include <sys/syscall.h>

#if defined(SYS_ioprio_set) && defined(SYS_ioprio_get) && !defined(IOP_FORCE_ARCH_TABLE)
#define IOP_NR_SET SYS_ioprio_set
#define IOP_NR_GET SYS_ioprio_get
#define IOP_NR_SOURCE "libc"
#else
#define IOP_NR_SOURCE "table"
#if defined(__x86_64__) && defined(__ILP32__) /* x32 */
#define IOP_NR_SET (0x40000000 + 251)
#define IOP_NR_GET (0x40000000 + 252)
#elif defined(__x86_64__)
#define IOP_NR_SET 251
#define IOP_NR_GET 252
#elif defined(__i386__)
#define IOP_NR_SET 289
#define IOP_NR_GET 290
#elif defined(__powerpc__) || defined(__powerpc64__) /* ppc, ppc64, ppc64le */
#define IOP_NR_SET 273
#define IOP_NR_GET 274
#elif defined(__arm__) && (defined(__ARM_EABI__) || defined(__thumb__))
#define IOP_NR_SET 314
#define IOP_NR_GET 315
#elif defined(__arm__) /* old ABI: numbers offset by 0x900000 */
#define IOP_NR_SET (0x900000 + 314)
#define IOP_NR_GET (0x900000 + 315)
#elif defined(__aarch64__) || defined(__riscv) || defined(__loongarch__) || \
	defined(__csky__) || defined(__hexagon__) || defined(__nios2__) || \
	defined(__or1k__) || defined(__arc__)
/* the asm-generic table (include/uapi/asm-generic/unistd.h) */
#define IOP_NR_SET 30
#define IOP_NR_GET 31
#elif defined(__s390__) || defined(__s390x__)
#define IOP_NR_SET 282
#define IOP_NR_GET 283
#elif defined(__mips__) && defined(_MIPS_SIM) && _MIPS_SIM == _MIPS_SIM_ABI32
#define IOP_NR_SET (4000 + 314)
#define IOP_NR_GET (4000 + 315)
#elif defined(__mips__) && defined(_MIPS_SIM) && _MIPS_SIM == _MIPS_SIM_NABI32
#define IOP_NR_SET (6000 + 277)
#define IOP_NR_GET (6000 + 278)
#elif defined(__mips__) && defined(_MIPS_SIM) && _MIPS_SIM == _MIPS_SIM_ABI64
#define IOP_NR_SET (5000 + 273)
#define IOP_NR_GET (5000 + 274)
#elif defined(__sparc__)
#define IOP_NR_SET 196
#define IOP_NR_GET 218
#else
#error "libioprio: no ioprio_set/ioprio_get numbers for this architecture; add them to lib/libioprio/src/sysnr.h"
#endif
#endif

#endif /* IOP_SYSNR_H */
