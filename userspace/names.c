// SPDX-License-Identifier: GPL-2.0-only
/*
 * Names of kernel constants.  The tables are spelled out rather than taken
 * from <signal.h> or <linux/capability.h> so the text users see (and match in
 * jq recipes) does not depend on the headers of the build machine; the unit
 * tests check them against those headers.
 */
#include "names.h"

#include <ctype.h>
#include <limits.h>
#include <string.h>
#include <strings.h>

#include "util.h"

#define SIG_RTMIN_USER 34 /* glibc's SIGRTMIN: 32 and 33 belong to the C library */
#define SIG_MAX        64

static const char *const signal_names[SIG_MAX + 1] = {
	[1] = "SIGHUP",     [2] = "SIGINT",     [3] = "SIGQUIT",    [4] = "SIGILL",
	[5] = "SIGTRAP",    [6] = "SIGABRT",    [7] = "SIGBUS",     [8] = "SIGFPE",
	[9] = "SIGKILL",    [10] = "SIGUSR1",   [11] = "SIGSEGV",   [12] = "SIGUSR2",
	[13] = "SIGPIPE",   [14] = "SIGALRM",   [15] = "SIGTERM",   [16] = "SIGSTKFLT",
	[17] = "SIGCHLD",   [18] = "SIGCONT",   [19] = "SIGSTOP",   [20] = "SIGTSTP",
	[21] = "SIGTTIN",   [22] = "SIGTTOU",   [23] = "SIGURG",    [24] = "SIGXCPU",
	[25] = "SIGXFSZ",   [26] = "SIGVTALRM", [27] = "SIGPROF",   [28] = "SIGWINCH",
	[29] = "SIGIO",     [30] = "SIGPWR",    [31] = "SIGSYS",
	[34] = "SIGRTMIN",
	[35] = "SIGRTMIN+1",  [36] = "SIGRTMIN+2",  [37] = "SIGRTMIN+3",  [38] = "SIGRTMIN+4",
	[39] = "SIGRTMIN+5",  [40] = "SIGRTMIN+6",  [41] = "SIGRTMIN+7",  [42] = "SIGRTMIN+8",
	[43] = "SIGRTMIN+9",  [44] = "SIGRTMIN+10", [45] = "SIGRTMIN+11", [46] = "SIGRTMIN+12",
	[47] = "SIGRTMIN+13", [48] = "SIGRTMIN+14", [49] = "SIGRTMIN+15", [50] = "SIGRTMIN+16",
	[51] = "SIGRTMIN+17", [52] = "SIGRTMIN+18", [53] = "SIGRTMIN+19", [54] = "SIGRTMIN+20",
	[55] = "SIGRTMIN+21", [56] = "SIGRTMIN+22", [57] = "SIGRTMIN+23", [58] = "SIGRTMIN+24",
	[59] = "SIGRTMIN+25", [60] = "SIGRTMIN+26", [61] = "SIGRTMIN+27", [62] = "SIGRTMIN+28",
	[63] = "SIGRTMIN+29", [64] = "SIGRTMIN+30",
};

/* Other spellings people type (kill -l, policies written for other tools). */
static const struct {
	const char *name;
	unsigned sig;
} signal_aliases[] = {
	{"SIGIOT", 6},
	{"SIGCLD", 17},
	{"SIGPOLL", 29},
	{"SIGRTMAX", SIG_MAX},
};

const char *signal_name(unsigned sig)
{
	if (sig > SIG_MAX)
		return NULL;
	return signal_names[sig];
}

/* Strict decimal: digits only, no sign, no overflow.  Returns -1 otherwise. */
static long parse_small_uint(const char *s)
{
	long v = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (!isdigit((unsigned char)*s))
			return -1;
		v = v * 10 + (*s - '0');
		if (v > 1000)
			return -1;
	}
	return v;
}

/* "RTMIN+n" and "RTMAX-n" (after the optional "SIG"), as bash's kill takes them. */
static unsigned parse_rt_offset(const char *s)
{
	long n;

	if (!strncasecmp(s, "RTMIN+", 6)) {
		n = parse_small_uint(s + 6);
		if (n >= 0 && SIG_RTMIN_USER + n <= SIG_MAX)
			return (unsigned)(SIG_RTMIN_USER + n);
	} else if (!strncasecmp(s, "RTMAX-", 6)) {
		n = parse_small_uint(s + 6);
		if (n >= 0 && SIG_MAX - n >= SIG_RTMIN_USER)
			return (unsigned)(SIG_MAX - n);
	}
	return 0;
}

unsigned signal_from_name(const char *s)
{
	const char *bare;
	long n;

	if (!s || !*s)
		return 0;
	n = parse_small_uint(s);
	if (n >= 0)
		return n >= 1 && n <= SIG_MAX ? (unsigned)n : 0;

	/* Compare without the "SIG" prefix so "KILL", "SIGKILL", "sigkill" all work. */
	bare = strncasecmp(s, "SIG", 3) ? s : s + 3;
	if (!*bare)
		return 0;
	for (unsigned i = 1; i <= SIG_MAX; i++)
		if (signal_names[i] && !strcasecmp(signal_names[i] + 3, bare))
			return i;
	for (size_t i = 0; i < ARRAY_SIZE(signal_aliases); i++)
		if (!strcasecmp(signal_aliases[i].name + 3, bare))
			return signal_aliases[i].sig;
	return parse_rt_offset(bare);
}

static const char *const capability_names[] = {
	"CAP_CHOWN",              /* 0 */
	"CAP_DAC_OVERRIDE",
	"CAP_DAC_READ_SEARCH",
	"CAP_FOWNER",
	"CAP_FSETID",
	"CAP_KILL",               /* 5 */
	"CAP_SETGID",
	"CAP_SETUID",
	"CAP_SETPCAP",
	"CAP_LINUX_IMMUTABLE",
	"CAP_NET_BIND_SERVICE",   /* 10 */
	"CAP_NET_BROADCAST",
	"CAP_NET_ADMIN",
	"CAP_NET_RAW",
	"CAP_IPC_LOCK",
	"CAP_IPC_OWNER",          /* 15 */
	"CAP_SYS_MODULE",
	"CAP_SYS_RAWIO",
	"CAP_SYS_CHROOT",
	"CAP_SYS_PTRACE",
	"CAP_SYS_PACCT",          /* 20 */
	"CAP_SYS_ADMIN",
	"CAP_SYS_BOOT",
	"CAP_SYS_NICE",
	"CAP_SYS_RESOURCE",
	"CAP_SYS_TIME",           /* 25 */
	"CAP_SYS_TTY_CONFIG",
	"CAP_MKNOD",
	"CAP_LEASE",
	"CAP_AUDIT_WRITE",
	"CAP_AUDIT_CONTROL",      /* 30 */
	"CAP_SETFCAP",
	"CAP_MAC_OVERRIDE",
	"CAP_MAC_ADMIN",
	"CAP_SYSLOG",
	"CAP_WAKE_ALARM",         /* 35 */
	"CAP_BLOCK_SUSPEND",
	"CAP_AUDIT_READ",
	"CAP_PERFMON",
	"CAP_BPF",
	"CAP_CHECKPOINT_RESTORE", /* 40 */
};

const char *capability_name(unsigned cap)
{
	return cap < ARRAY_SIZE(capability_names) ? capability_names[cap] : NULL;
}

static const char *const kprobe_action_names[] = {
	[rtenf_KprobeAction_KPROBE_ACTION_UNKNOWN] = "KPROBE_ACTION_UNKNOWN",
	[rtenf_KprobeAction_KPROBE_ACTION_POST] = "KPROBE_ACTION_POST",
	[rtenf_KprobeAction_KPROBE_ACTION_FOLLOWFD] = "KPROBE_ACTION_FOLLOWFD",
	[rtenf_KprobeAction_KPROBE_ACTION_SIGKILL] = "KPROBE_ACTION_SIGKILL",
	[rtenf_KprobeAction_KPROBE_ACTION_UNFOLLOWFD] = "KPROBE_ACTION_UNFOLLOWFD",
	[rtenf_KprobeAction_KPROBE_ACTION_OVERRIDE] = "KPROBE_ACTION_OVERRIDE",
	[rtenf_KprobeAction_KPROBE_ACTION_COPYFD] = "KPROBE_ACTION_COPYFD",
	[rtenf_KprobeAction_KPROBE_ACTION_GETURL] = "KPROBE_ACTION_GETURL",
	[rtenf_KprobeAction_KPROBE_ACTION_DNSLOOKUP] = "KPROBE_ACTION_DNSLOOKUP",
	[rtenf_KprobeAction_KPROBE_ACTION_NOPOST] = "KPROBE_ACTION_NOPOST",
	[rtenf_KprobeAction_KPROBE_ACTION_SIGNAL] = "KPROBE_ACTION_SIGNAL",
};

/* Never NULL, so callers can print it directly; values from a newer peer
 * that this build does not know read as UNKNOWN. */
const char *kprobe_action_name(rtenf_KprobeAction a)
{
	if ((unsigned)a < ARRAY_SIZE(kprobe_action_names))
		return kprobe_action_names[a];
	return kprobe_action_names[rtenf_KprobeAction_KPROBE_ACTION_UNKNOWN];
}

const char *policy_mode_wire_name(rtenf_PolicyMode m)
{
	switch (m) {
	case rtenf_PolicyMode_POLICY_MODE_AUDIT:
		return "audit";
	case rtenf_PolicyMode_POLICY_MODE_ENFORCE:
		return "enforce";
	default:
		return "unset";
	}
}

/* Tetragon's SecureBitsType names, indexed by bit (SECURE_NOROOT = 0 ...). */
static const char *const securebit_names[] = {
	"SecBitNoRoot",
	"SecBitNoRootLocked",
	"SecBitNoSetUidFixup",
	"SecBitNoSetUidFixupLocked",
	"SecBitKeepCaps",
	"SecBitKeepCapsLocked",
	"SecBitNoCapAmbientRaise",
	"SecBitNoCapAmbientRaiseLocked",
};

const char *securebit_name(unsigned bit)
{
	return bit < ARRAY_SIZE(securebit_names) ? securebit_names[bit] : NULL;
}

const char *errno_name(int err)
{
	/* INT_MIN has no positive twin; no errno is that large anyway. */
	if (!err || err == INT_MIN)
		return NULL;
	return strerrorname_np(err < 0 ? -err : err);
}
