// SPDX-License-Identifier: GPL-2.0-only
/* Compact lines as users read them in a terminal. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "event_fixtures.h"
#include "compact_expect.h"
#include "event_format.h"
#include "syscall_names.h"

Test(event_compact, exec)
{
	rtenf_Event ev;

	fx_exec(&ev, fx_process_simple("/usr/bin/ls", "-la", 10), fx_process_init());
	expect_compact(&ev, "🚀 process vm /usr/bin/ls -la\n");
	fx_exec(&ev, fx_process_simple("/usr/bin/ls", NULL, 10), NULL);
	expect_compact(&ev, "🚀 process vm /usr/bin/ls\n");
}

Test(event_compact, exit_status_or_signal)
{
	rtenf_Event ev;

	fx_exit(&ev, fx_process_simple("/usr/bin/ls", "-la", 10), NULL, 0);
	expect_compact(&ev, "💥 exit    vm /usr/bin/ls -la 0\n");
	fx_exit(&ev, fx_process_simple("/usr/bin/false", NULL, 10), "", 1);
	expect_compact(&ev, "💥 exit    vm /usr/bin/false 1\n");
	fx_exit(&ev, fx_process_simple("/usr/bin/sleep", "100", 10), "SIGKILL", 0);
	expect_compact(&ev, "💥 exit    vm /usr/bin/sleep 100 SIGKILL\n");
}

static void unshare_event(rtenf_Event *ev, rtenf_PolicyMode mode, bool enforced)
{
	fx_tracepoint(ev, fx_process_simple("/usr/bin/unshare", "-p", 4242), "syscalls", "sys_enter_unshare",
		      "kill-unshare", rtenf_KprobeAction_KPROBE_ACTION_SIGKILL, mode, enforced);
	fx_arg_size(ev, NULL, 0x20000000);
}

Test(event_compact, tracepoint_kill_audit)
{
	rtenf_Event ev;

	unshare_event(&ev, rtenf_PolicyMode_POLICY_MODE_AUDIT, false);
	expect_compact(&ev, "☠️  tracepoint vm /usr/bin/unshare syscalls/sys_enter_unshare 0x20000000 "
			    "[kill-unshare] SIGKILL (audit)\n");
}

Test(event_compact, tracepoint_kill_enforced)
{
	rtenf_Event ev;

	unshare_event(&ev, rtenf_PolicyMode_POLICY_MODE_ENFORCE, true);
	expect_compact(&ev, "☠️  tracepoint vm /usr/bin/unshare syscalls/sys_enter_unshare 0x20000000 "
			    "[kill-unshare] SIGKILL\n");
}

Test(event_compact, tracepoint_kill_failed)
{
	rtenf_Event ev;

	unshare_event(&ev, rtenf_PolicyMode_POLICY_MODE_ENFORCE, false);
	expect_compact(&ev, "☠️  tracepoint vm /usr/bin/unshare syscalls/sys_enter_unshare 0x20000000 "
			    "[kill-unshare] SIGKILL (failed)\n");
}

Test(event_compact, tracepoint_signal)
{
	rtenf_Event ev;

	fx_tracepoint(&ev, fx_process_simple("/usr/bin/nc", NULL, 7), "syscalls", "sys_enter_connect", "warn-nc",
		      rtenf_KprobeAction_KPROBE_ACTION_SIGNAL, rtenf_PolicyMode_POLICY_MODE_ENFORCE, true);
	ev.event.process_tracepoint.signal = 10;
	expect_compact(&ev, "☠️  tracepoint vm /usr/bin/nc syscalls/sys_enter_connect [warn-nc] SIGUSR1\n");
}

Test(event_compact, tracepoint_override)
{
	rtenf_Event ev;

	fx_tracepoint(&ev, fx_process_simple("/usr/bin/cat", NULL, 7), "syscalls", "sys_enter_openat", "deny-shadow",
		      rtenf_KprobeAction_KPROBE_ACTION_OVERRIDE, rtenf_PolicyMode_POLICY_MODE_AUDIT, false);
	ev.event.process_tracepoint.error = -1;
	fx_arg_string(&ev, "path", "/etc/shadow");
	expect_compact(&ev, "🚫 tracepoint vm /usr/bin/cat syscalls/sys_enter_openat path=/etc/shadow [deny-shadow] "
			    "OVERRIDE -EPERM (audit)\n");
}

/* An override returns -errno: the sign the event carries does not matter. */
Test(event_compact, tracepoint_override_positive_errno)
{
	rtenf_Event ev;

	fx_tracepoint(&ev, fx_process_simple("/usr/bin/cat", NULL, 7), "syscalls", "sys_enter_openat", "deny-shadow",
		      rtenf_KprobeAction_KPROBE_ACTION_OVERRIDE, rtenf_PolicyMode_POLICY_MODE_ENFORCE, true);
	ev.event.process_tracepoint.error = 13;
	expect_compact(&ev, "🚫 tracepoint vm /usr/bin/cat syscalls/sys_enter_openat [deny-shadow] OVERRIDE -EACCES\n");
}

Test(event_compact, tracepoint_observe)
{
	rtenf_Event ev;

	fx_tracepoint(&ev, fx_process_simple("/usr/bin/cat", "/etc/shadow", 7), "syscalls", "sys_enter_openat",
		      "watch-shadow", rtenf_KprobeAction_KPROBE_ACTION_POST, rtenf_PolicyMode_POLICY_MODE_ENFORCE,
		      false);
	fx_arg_string(&ev, "path", "/etc/shadow");
	expect_compact(&ev, "⁉️  tracepoint vm /usr/bin/cat syscalls/sys_enter_openat path=/etc/shadow [watch-shadow]\n");
}

Test(event_compact, tracepoint_argument_kinds)
{
	rtenf_Event ev;
	rtenf_KprobeArgument *a;
	char big[100];

	memset(big, 'x', sizeof(big));
	fx_tracepoint(&ev, fx_process_simple("/bin/sh", NULL, 7), "syscalls", "sys_enter_write", NULL,
		      rtenf_KprobeAction_KPROBE_ACTION_UNKNOWN, rtenf_PolicyMode_POLICY_MODE_UNSET, false);
	a = fx_arg(&ev, "fd");
	a->which_arg = rtenf_KprobeArgument_int_arg_tag;
	a->arg.int_arg = -5;
	a = fx_arg(&ev, NULL);
	a->which_arg = rtenf_KprobeArgument_uint_arg_tag;
	a->arg.uint_arg = 7;
	a = fx_arg(&ev, NULL);
	a->which_arg = rtenf_KprobeArgument_long_arg_tag;
	a->arg.long_arg = -9;
	fx_arg_bytes(&ev, "buf", "hi\n", 3);
	fx_arg_bytes(&ev, NULL, big, sizeof(big));
	a = fx_arg(&ev, NULL);
	a->which_arg = rtenf_KprobeArgument_string_arg_tag;
	a->arg.string_arg = fx_strdup("/very/lo");
	a->truncated = true;
	fx_arg(&ev, "none");
	expect_compact(&ev, "⁉️  tracepoint vm /bin/sh syscalls/sys_enter_write fd=-5 7 -9 buf=\"hi\\x0a\" "
			    "\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"... /very/lo... none=?\n");
}

/* syscall64 arguments show the syscall's name, the 32-bit ones with their
 * ABI in front, and the number when the name is unknown. */
Test(event_compact, syscall_arguments)
{
	rtenf_Event ev;

	fx_tracepoint(&ev, fx_process_simple("/bin/sh", NULL, 7), "raw_syscalls", "sys_enter", NULL,
		      rtenf_KprobeAction_KPROBE_ACTION_UNKNOWN, rtenf_PolicyMode_POLICY_MODE_UNSET, false);
	fx_arg_syscall(&ev, "id", 32, syscall_native_abi(), "dup");
	fx_arg_syscall(&ev, NULL, 41, "i386", "dup");
	fx_arg_syscall(&ev, NULL, 9999, syscall_native_abi(), NULL);
	expect_compact(&ev, "⁉️  tracepoint vm /bin/sh raw_syscalls/sys_enter id=dup i386/dup 9999\n");
}

Test(event_compact, lost)
{
	rtenf_Event ev;

	fx_lost(&ev, 12, "kernel");
	expect_compact(&ev, "⚠️  lost    kernel 12 events\n");
	fx_lost(&ev, 1, "client");
	expect_compact(&ev, "⚠️  lost    client 1 event\n");
}

Test(event_compact, colors_like_tetragon)
{
	rtenf_Event ev;
	char *got;

	unshare_event(&ev, rtenf_PolicyMode_POLICY_MODE_AUDIT, false);
	got = event_to_compact(&ev, true);
	cr_assert_str_eq(got, "\x1b[34m☠️  tracepoint\x1b[0m \x1b[32mvm\x1b[0m \x1b[35m/usr/bin/unshare\x1b[0m "
			      "\x1b[36msyscalls/sys_enter_unshare 0x20000000\x1b[0m [kill-unshare] "
			      "\x1b[31mSIGKILL\x1b[0m (audit)\n");
	free(got);
	fx_release(&ev);

	fx_exec(&ev, fx_process_simple("/usr/bin/ls", "-la", 10), NULL);
	got = event_to_compact(&ev, true);
	cr_assert_str_eq(got, "\x1b[34m🚀 process\x1b[0m \x1b[32mvm\x1b[0m \x1b[35m/usr/bin/ls\x1b[0m \x1b[36m-la\x1b[0m\n");
	free(got);
	fx_release(&ev);
}

/* Text from the traced process must not reach the terminal raw. */
Test(event_compact, hostile_text_escaped)
{
	rtenf_Event ev;

	fx_exec(&ev, fx_process_simple("/tmp/\x1b[2J\x1b]0;owned\x07x\n", "a\rb \xff \xc2\x9b \xe2\x80\xae"
					"cod.exe \xc3\xa9", 10), NULL);
	expect_compact(&ev, "🚀 process vm /tmp/\\x1b[2J\\x1b]0;owned\\x07x\\x0a "
			    "a\\x0db \\xff \\u009b \\u202ecod.exe \xc3\xa9\n");
}

Test(event_compact, missing_parts_do_not_leave_gaps)
{
	rtenf_Event ev = rtenf_Event_init_zero;
	char *got;

	ev.which_event = rtenf_Event_process_exec_tag;
	got = event_to_compact(&ev, false);
	cr_assert_str_eq(got, "🚀 process\n");
	free(got);

	ev.which_event = 0;
	got = event_to_compact(&ev, false);
	cr_assert_str_eq(got, "❓ unknown\n");
	free(got);
}

Test(event_compact, appends_one_line)
{
	struct strbuf sb = {0};
	rtenf_Event ev;

	fx_lost(&ev, 2, "kernel");
	sb_puts(&sb, "no newline");
	event_format_compact(&sb, &ev, false);
	cr_assert_str_eq(sb.buf, "no newline⚠️  lost    kernel 2 events\n");
	sb_free(&sb);
	fx_release(&ev);
}

Test(event_format, parse_and_dispatch)
{
	enum event_format f = EVENT_FORMAT_COMPACT;
	struct strbuf sb = {0};
	rtenf_Event ev;

	cr_assert_eq(event_format_parse("json", &f), 0);
	cr_assert_eq(f, EVENT_FORMAT_JSON);
	cr_assert_eq(event_format_parse("compact", &f), 0);
	cr_assert_eq(f, EVENT_FORMAT_COMPACT);
	cr_assert_eq(event_format_parse("JSON", &f), -1);
	cr_assert_eq(event_format_parse("yaml", &f), -1);
	cr_assert_eq(event_format_parse("", &f), -1);
	cr_assert_eq(event_format_parse(NULL, &f), -1);

	fx_lost(&ev, 3, "kernel");
	event_format(&sb, &ev, EVENT_FORMAT_JSON, true);
	cr_assert_str_eq(sb.buf, "{\"lost_events\":{\"count\":\"3\",\"source\":\"kernel\"},\"node_name\":\"vm\","
				 "\"time\":\"" FX_TIME_JSON "\"}\n");
	sb_reset(&sb);
	event_format(&sb, &ev, EVENT_FORMAT_COMPACT, false);
	cr_assert_str_eq(sb.buf, "⚠️  lost    kernel 3 events\n");
	sb_free(&sb);
	fx_release(&ev);
}
