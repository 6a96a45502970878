// SPDX-License-Identifier: GPL-2.0-only
/* names.c spells its tables out; check them against the system headers. */
#include <criterion/criterion.h>
#include <errno.h>
#include <limits.h>
#include <linux/capability.h>
#include <linux/securebits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "names.h"

static const struct {
	unsigned sig;
	const char *name;
} linux_signals[] = {
	{SIGHUP, "SIGHUP"},       {SIGINT, "SIGINT"},       {SIGQUIT, "SIGQUIT"},   {SIGILL, "SIGILL"},
	{SIGTRAP, "SIGTRAP"},     {SIGABRT, "SIGABRT"},     {SIGBUS, "SIGBUS"},     {SIGFPE, "SIGFPE"},
	{SIGKILL, "SIGKILL"},     {SIGUSR1, "SIGUSR1"},     {SIGSEGV, "SIGSEGV"},   {SIGUSR2, "SIGUSR2"},
	{SIGPIPE, "SIGPIPE"},     {SIGALRM, "SIGALRM"},     {SIGTERM, "SIGTERM"},   {SIGSTKFLT, "SIGSTKFLT"},
	{SIGCHLD, "SIGCHLD"},     {SIGCONT, "SIGCONT"},     {SIGSTOP, "SIGSTOP"},   {SIGTSTP, "SIGTSTP"},
	{SIGTTIN, "SIGTTIN"},     {SIGTTOU, "SIGTTOU"},     {SIGURG, "SIGURG"},     {SIGXCPU, "SIGXCPU"},
	{SIGXFSZ, "SIGXFSZ"},     {SIGVTALRM, "SIGVTALRM"}, {SIGPROF, "SIGPROF"},   {SIGWINCH, "SIGWINCH"},
	{SIGIO, "SIGIO"},         {SIGPWR, "SIGPWR"},       {SIGSYS, "SIGSYS"},
};

Test(names, standard_signals_match_signal_h)
{
	cr_assert_eq(sizeof(linux_signals) / sizeof(linux_signals[0]), 31);
	for (size_t i = 0; i < sizeof(linux_signals) / sizeof(linux_signals[0]); i++) {
		cr_assert_eq(linux_signals[i].sig, i + 1, "table order");
		cr_assert_str_eq(signal_name(linux_signals[i].sig), linux_signals[i].name);
		cr_assert_eq(signal_from_name(linux_signals[i].name), linux_signals[i].sig);
	}
}

Test(names, realtime_signals)
{
	char want[32];

	cr_assert_eq(SIGRTMIN, 34, "glibc's SIGRTMIN");
	cr_assert_str_eq(signal_name(34), "SIGRTMIN");
	for (unsigned sig = 35; sig <= 64; sig++) {
		snprintf(want, sizeof(want), "SIGRTMIN+%u", sig - 34);
		cr_assert_str_eq(signal_name(sig), want);
		cr_assert_eq(signal_from_name(want), sig);
	}
	cr_assert_eq(signal_from_name("SIGRTMIN"), 34);
	cr_assert_eq(signal_from_name("rtmin+3"), 37);
	cr_assert_eq(signal_from_name("SIGRTMAX"), 64);
	cr_assert_eq(signal_from_name("SIGRTMAX-1"), 63);
	cr_assert_eq(signal_from_name("RTMAX-30"), 34);
	cr_assert_eq(signal_from_name("SIGRTMIN+31"), 0);
	cr_assert_eq(signal_from_name("SIGRTMAX-31"), 0);
	cr_assert_eq(signal_from_name("SIGRTMIN+"), 0);
}

Test(names, unknown_signal_numbers)
{
	cr_assert_null(signal_name(0));
	cr_assert_null(signal_name(32));
	cr_assert_null(signal_name(33));
	cr_assert_null(signal_name(65));
	cr_assert_null(signal_name(~0u));
}

Test(names, signal_from_name_spellings)
{
	cr_assert_eq(signal_from_name("SIGKILL"), 9);
	cr_assert_eq(signal_from_name("KILL"), 9);
	cr_assert_eq(signal_from_name("kill"), 9);
	cr_assert_eq(signal_from_name("SigKill"), 9);
	cr_assert_eq(signal_from_name("9"), 9);
	cr_assert_eq(signal_from_name("64"), 64);
	cr_assert_eq(signal_from_name("SIGIOT"), 6);
	cr_assert_eq(signal_from_name("POLL"), 29);
	cr_assert_eq(signal_from_name("SIGCLD"), 17);
	cr_assert_eq(signal_from_name("SIGSYS"), 31);
	cr_assert_eq(signal_from_name("SYS"), 31);

	cr_assert_eq(signal_from_name(NULL), 0);
	cr_assert_eq(signal_from_name(""), 0);
	cr_assert_eq(signal_from_name("SIG"), 0);
	cr_assert_eq(signal_from_name("0"), 0);
	cr_assert_eq(signal_from_name("65"), 0);
	cr_assert_eq(signal_from_name("-9"), 0);
	cr_assert_eq(signal_from_name("9x"), 0);
	cr_assert_eq(signal_from_name(" 9"), 0);
	cr_assert_eq(signal_from_name("99999999999999999999"), 0);
	cr_assert_eq(signal_from_name("SIGFOO"), 0);
	cr_assert_eq(signal_from_name("SIGKILLX"), 0);
}

Test(names, capabilities_match_linux_capability_h)
{
	static const struct {
		unsigned cap;
		const char *name;
	} caps[] = {
		{CAP_CHOWN, "CAP_CHOWN"},
		{CAP_DAC_OVERRIDE, "CAP_DAC_OVERRIDE"},
		{CAP_DAC_READ_SEARCH, "CAP_DAC_READ_SEARCH"},
		{CAP_FOWNER, "CAP_FOWNER"},
		{CAP_FSETID, "CAP_FSETID"},
		{CAP_KILL, "CAP_KILL"},
		{CAP_SETGID, "CAP_SETGID"},
		{CAP_SETUID, "CAP_SETUID"},
		{CAP_SETPCAP, "CAP_SETPCAP"},
		{CAP_LINUX_IMMUTABLE, "CAP_LINUX_IMMUTABLE"},
		{CAP_NET_BIND_SERVICE, "CAP_NET_BIND_SERVICE"},
		{CAP_NET_BROADCAST, "CAP_NET_BROADCAST"},
		{CAP_NET_ADMIN, "CAP_NET_ADMIN"},
		{CAP_NET_RAW, "CAP_NET_RAW"},
		{CAP_IPC_LOCK, "CAP_IPC_LOCK"},
		{CAP_IPC_OWNER, "CAP_IPC_OWNER"},
		{CAP_SYS_MODULE, "CAP_SYS_MODULE"},
		{CAP_SYS_RAWIO, "CAP_SYS_RAWIO"},
		{CAP_SYS_CHROOT, "CAP_SYS_CHROOT"},
		{CAP_SYS_PTRACE, "CAP_SYS_PTRACE"},
		{CAP_SYS_PACCT, "CAP_SYS_PACCT"},
		{CAP_SYS_ADMIN, "CAP_SYS_ADMIN"},
		{CAP_SYS_BOOT, "CAP_SYS_BOOT"},
		{CAP_SYS_NICE, "CAP_SYS_NICE"},
		{CAP_SYS_RESOURCE, "CAP_SYS_RESOURCE"},
		{CAP_SYS_TIME, "CAP_SYS_TIME"},
		{CAP_SYS_TTY_CONFIG, "CAP_SYS_TTY_CONFIG"},
		{CAP_MKNOD, "CAP_MKNOD"},
		{CAP_LEASE, "CAP_LEASE"},
		{CAP_AUDIT_WRITE, "CAP_AUDIT_WRITE"},
		{CAP_AUDIT_CONTROL, "CAP_AUDIT_CONTROL"},
		{CAP_SETFCAP, "CAP_SETFCAP"},
		{CAP_MAC_OVERRIDE, "CAP_MAC_OVERRIDE"},
		{CAP_MAC_ADMIN, "CAP_MAC_ADMIN"},
		{CAP_SYSLOG, "CAP_SYSLOG"},
		{CAP_WAKE_ALARM, "CAP_WAKE_ALARM"},
		{CAP_BLOCK_SUSPEND, "CAP_BLOCK_SUSPEND"},
		{CAP_AUDIT_READ, "CAP_AUDIT_READ"},
		{CAP_PERFMON, "CAP_PERFMON"},
		{CAP_BPF, "CAP_BPF"},
		{CAP_CHECKPOINT_RESTORE, "CAP_CHECKPOINT_RESTORE"},
	};

	cr_assert_eq(sizeof(caps) / sizeof(caps[0]), 41);
	for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
		cr_assert_eq(caps[i].cap, i, "table order");
		cr_assert_str_eq(capability_name(caps[i].cap), caps[i].name);
	}
	cr_assert_eq(capability_name(21), capability_name(CAP_SYS_ADMIN));
	cr_assert_null(capability_name(41));
	cr_assert_null(capability_name(64));
}

Test(names, kprobe_actions)
{
	cr_assert_str_eq(kprobe_action_name(rtenf_KprobeAction_KPROBE_ACTION_UNKNOWN), "KPROBE_ACTION_UNKNOWN");
	cr_assert_str_eq(kprobe_action_name(rtenf_KprobeAction_KPROBE_ACTION_POST), "KPROBE_ACTION_POST");
	cr_assert_str_eq(kprobe_action_name(rtenf_KprobeAction_KPROBE_ACTION_FOLLOWFD), "KPROBE_ACTION_FOLLOWFD");
	cr_assert_str_eq(kprobe_action_name(rtenf_KprobeAction_KPROBE_ACTION_SIGKILL), "KPROBE_ACTION_SIGKILL");
	cr_assert_str_eq(kprobe_action_name(rtenf_KprobeAction_KPROBE_ACTION_UNFOLLOWFD), "KPROBE_ACTION_UNFOLLOWFD");
	cr_assert_str_eq(kprobe_action_name(rtenf_KprobeAction_KPROBE_ACTION_OVERRIDE), "KPROBE_ACTION_OVERRIDE");
	cr_assert_str_eq(kprobe_action_name(rtenf_KprobeAction_KPROBE_ACTION_COPYFD), "KPROBE_ACTION_COPYFD");
	cr_assert_str_eq(kprobe_action_name(rtenf_KprobeAction_KPROBE_ACTION_GETURL), "KPROBE_ACTION_GETURL");
	cr_assert_str_eq(kprobe_action_name(rtenf_KprobeAction_KPROBE_ACTION_DNSLOOKUP), "KPROBE_ACTION_DNSLOOKUP");
	cr_assert_str_eq(kprobe_action_name(rtenf_KprobeAction_KPROBE_ACTION_NOPOST), "KPROBE_ACTION_NOPOST");
	cr_assert_str_eq(kprobe_action_name(rtenf_KprobeAction_KPROBE_ACTION_SIGNAL), "KPROBE_ACTION_SIGNAL");
	/* Never NULL: a newer peer's value reads as unknown. */
	cr_assert_str_eq(kprobe_action_name((rtenf_KprobeAction)11), "KPROBE_ACTION_UNKNOWN");
	cr_assert_str_eq(kprobe_action_name((rtenf_KprobeAction)-1), "KPROBE_ACTION_UNKNOWN");
}

Test(names, policy_modes)
{
	cr_assert_str_eq(policy_mode_wire_name(rtenf_PolicyMode_POLICY_MODE_AUDIT), "audit");
	cr_assert_str_eq(policy_mode_wire_name(rtenf_PolicyMode_POLICY_MODE_ENFORCE), "enforce");
	cr_assert_str_eq(policy_mode_wire_name(rtenf_PolicyMode_POLICY_MODE_UNSET), "unset");
	cr_assert_str_eq(policy_mode_wire_name((rtenf_PolicyMode)7), "unset");
}

Test(names, securebits_in_tetragon_spelling)
{
	static const char *const want[] = {
		"SecBitNoRoot",   "SecBitNoRootLocked",   "SecBitNoSetUidFixup",     "SecBitNoSetUidFixupLocked",
		"SecBitKeepCaps", "SecBitKeepCapsLocked", "SecBitNoCapAmbientRaise", "SecBitNoCapAmbientRaiseLocked",
	};
	const unsigned bits[] = {
		SECURE_NOROOT,    SECURE_NOROOT_LOCKED,    SECURE_NO_SETUID_FIXUP,      SECURE_NO_SETUID_FIXUP_LOCKED,
		SECURE_KEEP_CAPS, SECURE_KEEP_CAPS_LOCKED, SECURE_NO_CAP_AMBIENT_RAISE, SECURE_NO_CAP_AMBIENT_RAISE_LOCKED,
	};

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		cr_assert_str_eq(securebit_name(bits[i]), want[i]);
	cr_assert_null(securebit_name(8));
	cr_assert_null(securebit_name(~0u));
}

Test(names, errno_names_either_sign)
{
	cr_assert_str_eq(errno_name(EPERM), "EPERM");
	cr_assert_str_eq(errno_name(-EPERM), "EPERM");
	cr_assert_str_eq(errno_name(EACCES), "EACCES");
	cr_assert_str_eq(errno_name(-ENOENT), "ENOENT");
	cr_assert_null(errno_name(0));
	cr_assert_null(errno_name(4000));
	cr_assert_null(errno_name(INT_MIN));
}
