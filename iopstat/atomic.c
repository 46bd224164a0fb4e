/* SPDX-License-Identifier: MIT */
/* Replacing a file atomically, and only a regular one.  See atomic.h. */
#define _GNU_SOURCE
#include "atomic.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The signals that end a run: every one whose default action ends the
 * process (QUIT, USR1, ALRM and the real-time ones too), except those the
 * kernel sends for a fault of this process (SEGV, BUS, FPE, ILL, TRAP,
 * ABRT, SYS: blocking them would hide a bug), and KILL, which cannot wait.
 * While a report is written to the file beside --write they wait
 * (blocked), so that the file is renamed into place or removed before they
 * act: no temporary file is ever left behind.  The mask found is kept in
 * *old and given back afterwards as it was: a signal the caller blocked
 * stays blocked (unblocking the whole set ended a run started with
 * SIGUSR1 blocked at the first SIGUSR1 after its first report). */
static bool raw_mask; /* the mask was taken through the kernel's call */

static void block_stop_signals(sigset_t *old)
{
	static const int faults[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGABRT, SIGSYS };
	/* their default is to be ignored, or to stop: nothing is left behind */
	static const int harmless[] = { SIGCHLD, SIGCONT, SIGURG, SIGWINCH,
					SIGTSTP, SIGTTIN, SIGTTOU, SIGSTOP };
	/* the kernel's mask, not libc's: sigfillset() leaves out the signals
	 * a libc keeps for itself (musl's 32 to 34), and those end the process
	 * all the same when another process sends them (a `kill -RTMIN` from a
	 * glibc shell is 34) */
	unsigned long long set = ~0ULL;

	for (size_t i = 0; i < sizeof(faults) / sizeof(*faults); i++)
		set &= ~(1ULL << (faults[i] - 1));
	for (size_t i = 0; i < sizeof(harmless) / sizeof(*harmless); i++)
		set &= ~(1ULL << (harmless[i] - 1));
	sigemptyset(old);
	raw_mask = syscall(SYS_rt_sigprocmask, SIG_BLOCK, &set, old, sizeof(set)) == 0;
	if (!raw_mask) { /* a kernel mask of another size (mips: 128 signals) */
		sigset_t all;
		sigfillset(&all);
		for (size_t i = 0; i < sizeof(faults) / sizeof(*faults); i++)
			sigdelset(&all, faults[i]);
		for (size_t i = 0; i < sizeof(harmless) / sizeof(*harmless); i++)
			sigdelset(&all, harmless[i]);
		sigprocmask(SIG_BLOCK, &all, old);
	}
}

/* Gives back the mask block_stop_signals() found, the way it was taken (a
 * libc's sigprocmask() may leave its own signals as they are). */
static void restore_signals(const sigset_t *old)
{
	if (raw_mask)
		syscall(SYS_rt_sigprocmask, SIG_SETMASK, old, NULL, sizeof(unsigned long long));
	else
		sigprocmask(SIG_SETMASK, old, NULL);
}

/* The file beside path that is written first: path's name and ".XXXXXX",
 * the name cut so that the whole fits NAME_MAX (a name of 250 bytes is
 * valid; its temporary must be too).  malloc'd, or NULL. */
static char *temporary_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t dir = slash ? (size_t)(slash + 1 - path) : 0, name = strlen(path + dir);
	char *tmp = malloc(dir + name + 8);

	if (!tmp)
		return NULL;
	if (name > NAME_MAX - 7)
		name = NAME_MAX - 7;
	memcpy(tmp, path, dir + name);
	memcpy(tmp + dir + name, ".XXXXXX", 8);
	return tmp;
}

/* --write replaces a regular file, or makes one: never a device, FIFO,
 * symlink or directory (as root, renaming over /dev/null would replace the
 * device).  Checked before each report; 0 or -1 with errno. */
static int replaceable(const char *path)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	if (S_ISREG(st.st_mode))
		return 0;
	errno = S_ISDIR(st.st_mode) ? EISDIR : EEXIST;
	return -1;
}

/* renameat2(), through the system call: older C libraries lack it */
#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE (1 << 0)
#endif
#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif
static int rename2(const char *from, const char *to, unsigned flags)
{
	return (int)syscall(SYS_renameat2, AT_FDCWD, from, AT_FDCWD, to, flags);
}

/* Puts tmp in place of target, only over a regular file or nothing, judged
 * on what is really replaced, so a swap after the check in replaceable()
 * cannot slip through: the two are exchanged, what tmp then names is
 * checked, and exchanged back if it is not a regular file.  A missing target
 * is created, never replaced.  Where the file system cannot exchange, a
 * check and a plain rename (racy) remain.  0, or -1 with errno (EEXIST:
 * not a regular file). */
static int replace_regular(const char *tmp, const char *target)
{
	struct stat st;

	for (int tries = 0; tries < 16; tries++) {
		if (rename2(tmp, target, RENAME_EXCHANGE) == 0) {
			if (lstat(tmp, &st) == 0 && S_ISREG(st.st_mode))
				return unlink(tmp) < 0 && errno != ENOENT ? -1 : 0;
			int e = errno == ENOENT ? ENOENT : EEXIST;
			if (rename2(tmp, target, RENAME_EXCHANGE) < 0)
				return -1; /* only if someone moves our files meanwhile */
			errno = e;
			return -1;
		}
		if (errno == ENOENT) { /* nothing there: create, never replace */
			if (rename2(tmp, target, RENAME_NOREPLACE) == 0)
				return 0;
			if (errno == EEXIST)
				continue; /* it appeared meanwhile: again */
		}
		if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
			return -1;
		if (replaceable(target) < 0)
			return -1;
		return rename(tmp, target);
	}
	errno = EBUSY;
	return -1;
}

int atomic_replace(const char *path, mode_t mode, int (*fill)(FILE *f, void *ctx), void *ctx)
{
	if (replaceable(path) < 0)
		return -1;
	sigset_t mask_before;
	block_stop_signals(&mask_before);
	char *tmp = temporary_name(path);
	int r = -1, e = ENOMEM, fd = -1;
	if (!tmp)
		goto out;
	fd = mkstemp(tmp);
	if (fd < 0) {
		e = errno;
		free(tmp);
		tmp = NULL;
		goto out;
	}
	/* mkstemp makes 0600: the mode asked for, less the umask */
	mode_t mask = umask(0);
	umask(mask);
	FILE *f = fdopen(fd, "w");
	r = f ? 0 : -1;
	if (!r && fchmod(fd, mode & ~mask) < 0)
		r = -1;
	if (!r)
		r = fill(f, ctx);
	if (!r && fflush(f) != 0)
		r = -1;
	if (!r && fsync(fd) < 0)
		r = -1;
	e = errno;
	if (f ? fclose(f) != 0 : close(fd) != 0)
		r = r ? r : (e = errno, -1);
	/* the path may have changed since it was checked: the rename itself
	 * makes sure it replaces only a regular file */
	if (!r && replace_regular(tmp, path) < 0) {
		e = errno;
		r = -1;
	}
	if (r)
		unlink(tmp);
out:
	free(tmp);
	/* a signal that came meanwhile acts now, unless it was blocked before */
	restore_signals(&mask_before);
	errno = e;
	return r;
}
