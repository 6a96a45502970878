// SPDX-License-Identifier: GPL-2.0-only
#include "fuzz_kernel.h"

#include <errno.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "util.h"

#define FIELD(type, name, off, size, sgn)                                                                              \
	"\tfield:" type " " name ";\toffset:" #off ";\tsize:" #size ";\tsigned:" #sgn ";\n"

#define HEAD(name)                                                                                                     \
	"name: " name "\nID: 1\nformat:\n" FIELD("unsigned short", "common_type", 0, 2, 0)                             \
	    FIELD("unsigned char", "common_flags", 2, 1, 0) FIELD("unsigned char", "common_preempt_count", 3, 1, 0)    \
		FIELD("int", "common_pid", 4, 4, 1) "\n"

#define SYSCALL(name) HEAD(name) FIELD("int", "__syscall_nr", 8, 4, 1)

/* Copied from /sys/kernel/tracing/events on Linux 6.18 (print fmt left out:
 * the compiler does not read it). */
static const struct fake_tracepoint tracepoints[] = {
    {"syscalls", "sys_enter_openat",
     SYSCALL("sys_enter_openat") FIELD("int", "dfd", 16, 8, 0) FIELD("const char *", "filename", 24, 8, 0)
	 FIELD("int", "flags", 32, 8, 0) FIELD("umode_t", "mode", 40, 8, 0)},
    {"syscalls", "sys_enter_unshare", SYSCALL("sys_enter_unshare") FIELD("unsigned long", "unshare_flags", 16, 8, 0)},
    {"syscalls", "sys_enter_setns",
     SYSCALL("sys_enter_setns") FIELD("int", "fd", 16, 8, 0) FIELD("int", "flags", 24, 8, 0)},
    {"syscalls", "sys_enter_ptrace",
     SYSCALL("sys_enter_ptrace") FIELD("long", "request", 16, 8, 0) FIELD("long", "pid", 24, 8, 0)
	 FIELD("unsigned long", "addr", 32, 8, 0) FIELD("unsigned long", "data", 40, 8, 0)},
    {"syscalls", "sys_enter_write",
     SYSCALL("sys_enter_write") FIELD("unsigned int", "fd", 16, 8, 0) FIELD("const char *", "buf", 24, 8, 0)
	 FIELD("size_t", "count", 32, 8, 0)},
    {"syscalls", "sys_enter_kill",
     SYSCALL("sys_enter_kill") FIELD("pid_t", "pid", 16, 8, 0) FIELD("int", "sig", 24, 8, 0)},
    {"syscalls", "sys_enter_execve",
     SYSCALL("sys_enter_execve") FIELD("const char *", "filename", 16, 8, 0)
	 FIELD("const char *const *", "argv", 24, 8, 0) FIELD("const char *const *", "envp", 32, 8, 0)},
    {"syscalls", "sys_enter_connect",
     SYSCALL("sys_enter_connect") FIELD("int", "fd", 16, 8, 0) FIELD("struct sockaddr *", "uservaddr", 24, 8, 0)
	 FIELD("int", "addrlen", 32, 8, 0)},
    {"syscalls", "sys_enter_mkdir",
     SYSCALL("sys_enter_mkdir") FIELD("const char *", "pathname", 16, 8, 0) FIELD("umode_t", "mode", 24, 8, 0)},
    {"raw_syscalls", "sys_enter",
     HEAD("sys_enter") FIELD("long", "id", 8, 8, 1) FIELD("unsigned long", "args[6]", 16, 48, 0)},
    {"sched", "sched_process_exec",
     HEAD("sched_process_exec") FIELD("__data_loc char[]", "filename", 8, 4, 0) FIELD("pid_t", "pid", 12, 4, 1)
	 FIELD("pid_t", "old_pid", 16, 4, 1)},
};

/* Any other syscall: six untyped words on entry, the return value on exit. */
static const char generic_enter[] = SYSCALL("sys_enter_any") FIELD("unsigned long", "a0", 16, 8, 0)
    FIELD("unsigned long", "a1", 24, 8, 0) FIELD("unsigned long", "a2", 32, 8, 0) FIELD("unsigned long", "a3", 40, 8, 0)
	FIELD("unsigned long", "a4", 48, 8, 0) FIELD("unsigned long", "a5", 56, 8, 0);
static const char generic_exit[] = SYSCALL("sys_exit_any") FIELD("long", "ret", 16, 8, 1);

static const char *const syscalls[] = {"openat", "unshare", "setns",   "ptrace", "write",
				       "kill",	 "execve",  "connect", "mkdir",	 "getppid"};
static const char *const functions[] = {"security_file_open", "security_path_mkdir", "tcp_connect",
					"tcp_v4_connect",     "fd_install",	     "vfs_read",
					"vfs_write"};

static int fuzz_tracepoint_format(const struct kernel_view *kv, const char *subsystem, const char *event,
				  struct tp_format *fmt)
{
	const char *text = NULL;

	(void)kv;
	for (size_t i = 0; i < ARRAY_SIZE(tracepoints); i++)
		if (!strcmp(tracepoints[i].subsystem, subsystem) && !strcmp(tracepoints[i].event, event))
			text = tracepoints[i].format;
	if (!text && !strcmp(subsystem, "syscalls")) {
		if (!strncmp(event, "sys_enter_", 10) && event[10])
			text = generic_enter;
		else if (!strncmp(event, "sys_exit_", 9) && event[9])
			text = generic_exit;
	}
	if (!text)
		return -ENOENT;
	if (tp_format_parse(text, fmt))
		return -EINVAL;
	fmt->subsystem = xstrdup(subsystem);
	free(fmt->event);
	fmt->event = xstrdup(event);
	return 0;
}

static bool host_has(const struct kernel_view *kv, enum feature f)
{
	(void)kv;
	switch (f) {
	case FEAT_KPROBE:
	case FEAT_KPROBE_MULTI:
	case FEAT_FENTRY:
	case FEAT_FEXIT:
	case FEAT_FMOD_RET:
	case FEAT_LSM:
	case FEAT_HELPER_D_PATH:
	case FEAT_HELPER_OVERRIDE_RETURN:
		return false;
	default:
		return true;
	}
}

static int list_names(const char *const *v, size_t n, const regex_t *re, char ***names, size_t *count)
{
	*names = NULL;
	*count = 0;
	for (size_t i = 0; i < n; i++)
		if (!re || !regexec(re, v[i], 0, NULL, 0))
			*VEC_PUSH(*names, *count) = xstrdup(v[i]);
	return 0;
}

static int fuzz_syscalls(const struct kernel_view *kv, char ***names, size_t *n)
{
	(void)kv;
	return list_names(syscalls, ARRAY_SIZE(syscalls), NULL, names, n);
}

/* As the live kernel view does with available_filter_functions. */
static int fuzz_ftrace_functions(const struct kernel_view *kv, const char *regex, char ***names, size_t *n)
{
	regex_t re;
	int r;

	(void)kv;
	*names = NULL;
	*n = 0;
	if (regcomp(&re, regex, REG_EXTENDED | REG_NOSUB))
		return -EINVAL;
	r = list_names(functions, ARRAY_SIZE(functions), &re, names, n);
	regfree(&re);
	return r;
}

void fuzz_kernel_init(struct fuzz_kernel *k, enum fuzz_profile profile)
{
	fake_kernel_init(&k->fk, tracepoints, ARRAY_SIZE(tracepoints));
	k->profile = profile;
	k->fk.kv.tracepoint_format = fuzz_tracepoint_format;
	k->fk.kv.syscalls = fuzz_syscalls;
	k->fk.kv.ftrace_functions = fuzz_ftrace_functions;
	k->fk.kv.syscall_prefix = "__x64_sys_";
	if (profile == FUZZ_HOST) {
		k->fk.kv.has = host_has;
	} else {
		k->fk.kv.offline = true;
		k->fk.kv.has = NULL;
	}
}

void fuzz_quiet(void)
{
	log_set_level(LOG_ERROR);
}
