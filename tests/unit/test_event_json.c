// SPDX-License-Identifier: GPL-2.0-only
/* JSON lines must match Tetragon's export byte for byte where the two
 * overlap, so the expectations here are complete lines, not fragments. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "event_fixtures.h"
#include "event_format.h"
#include "json_check.h"
#include "json_expect.h"

#define FULL_PROCESS_JSON                                                                                   \
	"{\"exec_id\":\"dm06MTc5NTUxNDM5ODAwMDAwMDAwMDoxMjM0\",\"pid\":1234,\"uid\":1000,"                     \
	"\"cwd\":\"/home/alice\",\"binary\":\"/usr/bin/ls\",\"arguments\":\"-la\",\"flags\":\"execve\","        \
	"\"start_time\":\"2026-11-24T09:59:58.000000005Z\",\"auid\":1000,\"docker\":\"3f2a9c0d1e\","            \
	"\"parent_exec_id\":\"dm06MTIzNA==\","                                                                  \
	"\"cap\":{\"permitted\":[\"CAP_CHOWN\",\"CAP_SYS_ADMIN\",45],\"effective\":[\"CAP_SYS_ADMIN\"]},"       \
	"\"ns\":{\"uts\":{\"inum\":4026531838,\"is_host\":true},\"pid\":{\"inum\":4026532000}},"                 \
	"\"tid\":1235,\"process_credentials\":{\"uid\":1000,\"gid\":1000,\"euid\":0,\"egid\":1000},"            \
	"\"cgroup_id\":\"12345678901\",\"ns_pid\":7}"

#define INIT_PROCESS_JSON                                                                                   \
	"{\"exec_id\":\"dm06MQ==\",\"pid\":1,\"uid\":0,\"binary\":\"/usr/lib/systemd/systemd\","                \
	"\"auid\":4294967295,\"tid\":1,\"in_init_tree\":true}"

#define UNSHARE_JSON "{\"pid\":4242,\"uid\":0,\"binary\":\"/usr/bin/unshare\",\"arguments\":\"-U\",\"auid\":0,\"tid\":4242}"

#define TAIL "\"node_name\":\"vm\",\"time\":\"" FX_TIME_JSON "\"}\n"

Test(event_json, exec_full_process)
{
	rtenf_Event ev;

	fx_exec(&ev, fx_process_full(), fx_process_init());
	expect_json(&ev, "{\"process_exec\":{\"process\":" FULL_PROCESS_JSON ",\"parent\":" INIT_PROCESS_JSON "}," TAIL);
}

Test(event_json, exit_killed)
{
	rtenf_Event ev;

	fx_exit(&ev, fx_process_simple("/usr/bin/unshare", "-U", 4242), "SIGKILL", 0);
	expect_json(&ev, "{\"process_exit\":{\"process\":" UNSHARE_JSON ",\"signal\":\"SIGKILL\",\"status\":0,"
			 "\"time\":\"2026-11-24T10:00:00.123455789Z\"}," TAIL);
}

Test(event_json, exit_status_always_present)
{
	rtenf_Event ev;

	fx_exit(&ev, fx_process_simple("/usr/bin/unshare", "-U", 4242), NULL, 0);
	ev.event.process_exit.time = 0;
	expect_json(&ev, "{\"process_exit\":{\"process\":" UNSHARE_JSON ",\"status\":0}," TAIL);

	fx_exit(&ev, fx_process_simple("/usr/bin/unshare", "-U", 4242), "", 3);
	ev.event.process_exit.time = 0;
	expect_json(&ev, "{\"process_exit\":{\"process\":" UNSHARE_JSON ",\"status\":3}," TAIL);
}

Test(event_json, tracepoint_enforced_kill)
{
	rtenf_Event ev;

	fx_tracepoint(&ev, fx_process_simple("/usr/bin/unshare", "-U", 4242), "syscalls", "sys_enter_unshare",
		      "kill-unshare", rtenf_KprobeAction_KPROBE_ACTION_SIGKILL, rtenf_PolicyMode_POLICY_MODE_ENFORCE,
		      true);
	ev.event.process_tracepoint.parent = fx_process_init();
	fx_arg_size(&ev, NULL, 268435456);
	fx_arg_string(&ev, "path", "/etc/passwd");
	expect_json(&ev, "{\"process_tracepoint\":{\"process\":" UNSHARE_JSON ",\"parent\":" INIT_PROCESS_JSON ","
			 "\"subsys\":\"syscalls\",\"event\":\"sys_enter_unshare\","
			 "\"args\":[{\"size_arg\":\"268435456\"},{\"string_arg\":\"/etc/passwd\",\"label\":\"path\"}],"
			 "\"policy_name\":\"kill-unshare\",\"action\":\"KPROBE_ACTION_SIGKILL\","
			 "\"policy_mode\":\"enforce\",\"enforced\":true,\"signal\":9}," TAIL);
}

Test(event_json, tracepoint_audit_prints_enforced_false)
{
	rtenf_Event ev;

	fx_tracepoint(&ev, fx_process_simple("/usr/bin/unshare", "-U", 4242), "syscalls", "sys_enter_unshare",
		      "kill-unshare", rtenf_KprobeAction_KPROBE_ACTION_SIGKILL, rtenf_PolicyMode_POLICY_MODE_AUDIT,
		      false);
	expect_json(&ev, "{\"process_tracepoint\":{\"process\":" UNSHARE_JSON ","
			 "\"subsys\":\"syscalls\",\"event\":\"sys_enter_unshare\","
			 "\"policy_name\":\"kill-unshare\",\"action\":\"KPROBE_ACTION_SIGKILL\","
			 "\"policy_mode\":\"audit\",\"enforced\":false,\"signal\":9}," TAIL);
}

Test(event_json, tracepoint_action_without_mode_still_says_so)
{
	rtenf_Event ev;

	fx_tracepoint(&ev, NULL, "syscalls", "sys_enter_openat", NULL, rtenf_KprobeAction_KPROBE_ACTION_POST,
		      rtenf_PolicyMode_POLICY_MODE_UNSET, false);
	expect_json(&ev, "{\"process_tracepoint\":{\"subsys\":\"syscalls\",\"event\":\"sys_enter_openat\","
			 "\"action\":\"KPROBE_ACTION_POST\",\"policy_mode\":\"unset\",\"enforced\":false}," TAIL);
}

Test(event_json, tracepoint_without_action_omits_enforcement)
{
	rtenf_Event ev;

	fx_tracepoint(&ev, NULL, "syscalls", "sys_enter_openat", "watch", rtenf_KprobeAction_KPROBE_ACTION_UNKNOWN,
		      rtenf_PolicyMode_POLICY_MODE_UNSET, false);
	expect_json(&ev, "{\"process_tracepoint\":{\"subsys\":\"syscalls\",\"event\":\"sys_enter_openat\","
			 "\"policy_name\":\"watch\"}," TAIL);
}

Test(event_json, tracepoint_all_fields)
{
	rtenf_Event ev;
	rtenf_ProcessTracepoint *t = &ev.event.process_tracepoint;

	fx_tracepoint(&ev, NULL, "syscalls", "sys_enter_openat", "deny-open", rtenf_KprobeAction_KPROBE_ACTION_OVERRIDE,
		      rtenf_PolicyMode_POLICY_MODE_ENFORCE, true);
	t->message = fx_strdup("shadow read");
	fx_add_tag(&ev, "credentials");
	fx_add_tag(&ev, "t\"ag");
	t->error = -1;
	t->selector = 2;
	t->late = true;
	t->return_value = -13;
	expect_json(&ev, "{\"process_tracepoint\":{\"subsys\":\"syscalls\",\"event\":\"sys_enter_openat\","
			 "\"policy_name\":\"deny-open\",\"action\":\"KPROBE_ACTION_OVERRIDE\",\"message\":\"shadow read\","
			 "\"tags\":[\"credentials\",\"t\\\"ag\"],\"policy_mode\":\"enforce\",\"enforced\":true,"
			 "\"error\":-1,\"selector\":2,\"late\":true,\"return_value\":\"-13\"}," TAIL);
}

Test(event_json, unknown_action_prints_number)
{
	rtenf_Event ev;

	fx_tracepoint(&ev, NULL, "a", "b", NULL, (rtenf_KprobeAction)42, rtenf_PolicyMode_POLICY_MODE_AUDIT, false);
	expect_json(&ev, "{\"process_tracepoint\":{\"subsys\":\"a\",\"event\":\"b\",\"action\":42,"
			 "\"policy_mode\":\"audit\",\"enforced\":false}," TAIL);
}

Test(event_json, argument_kinds)
{
	rtenf_Event ev;
	rtenf_KprobeArgument *a;

	fx_tracepoint(&ev, NULL, "s", "e", NULL, rtenf_KprobeAction_KPROBE_ACTION_UNKNOWN,
		      rtenf_PolicyMode_POLICY_MODE_UNSET, false);
	a = fx_arg(&ev, "fd");
	a->which_arg = rtenf_KprobeArgument_int_arg_tag;
	a->arg.int_arg = -100;
	a = fx_arg(&ev, NULL);
	a->which_arg = rtenf_KprobeArgument_int_arg_tag; /* a set oneof prints even when 0 */
	a = fx_arg(&ev, NULL);
	a->which_arg = rtenf_KprobeArgument_uint_arg_tag;
	a->arg.uint_arg = 4294967295u;
	a = fx_arg(&ev, NULL);
	a->which_arg = rtenf_KprobeArgument_long_arg_tag;
	a->arg.long_arg = INT64_MIN;
	fx_arg_size(&ev, NULL, UINT64_MAX);
	fx_arg_bytes(&ev, NULL, "a", 1);
	fx_arg_bytes(&ev, NULL, "ab", 2);
	fx_arg_bytes(&ev, "buf", "abc", 3);
	fx_arg_bytes(&ev, NULL, "\x00\xff\xfe", 3);
	fx_arg_bytes(&ev, NULL, "", 0);
	fx_arg_string(&ev, NULL, NULL); /* set but empty */
	a = fx_arg(&ev, "path");
	a->which_arg = rtenf_KprobeArgument_string_arg_tag;
	a->arg.string_arg = fx_strdup("/very/long");
	a->truncated = true;
	fx_arg(&ev, "nothing"); /* no value at all */
	expect_json(&ev, "{\"process_tracepoint\":{\"subsys\":\"s\",\"event\":\"e\",\"args\":["
			 "{\"int_arg\":-100,\"label\":\"fd\"},{\"int_arg\":0},{\"uint_arg\":4294967295},"
			 "{\"long_arg\":\"-9223372036854775808\"},{\"size_arg\":\"18446744073709551615\"},"
			 "{\"bytes_arg\":\"YQ==\"},{\"bytes_arg\":\"YWI=\"},{\"bytes_arg\":\"YWJj\",\"label\":\"buf\"},"
			 "{\"bytes_arg\":\"AP/+\"},{\"bytes_arg\":\"\"},{\"string_arg\":\"\"},"
			 "{\"string_arg\":\"/very/long\",\"label\":\"path\",\"truncated\":true},{\"label\":\"nothing\"}]}," TAIL);
}

/* syscall64 arguments as Tetragon's syscall_id, with the name rtenf adds. */
Test(event_json, syscall_arguments)
{
	rtenf_Event ev;

	fx_tracepoint(&ev, NULL, "raw_syscalls", "sys_enter", NULL, rtenf_KprobeAction_KPROBE_ACTION_UNKNOWN,
		      rtenf_PolicyMode_POLICY_MODE_UNSET, false);
	fx_arg_syscall(&ev, "id", 32, "x64", "dup");
	fx_arg_syscall(&ev, NULL, 0, "x64", "read");
	fx_arg_syscall(&ev, NULL, 9999, "i386", NULL);
	expect_json(&ev, "{\"process_tracepoint\":{\"subsys\":\"raw_syscalls\",\"event\":\"sys_enter\",\"args\":["
			 "{\"syscall_id\":{\"id\":32,\"abi\":\"x64\",\"name\":\"dup\"},\"label\":\"id\"},"
			 "{\"syscall_id\":{\"id\":0,\"abi\":\"x64\",\"name\":\"read\"}},"
			 "{\"syscall_id\":{\"id\":9999,\"abi\":\"i386\"}}]}," TAIL);
}

Test(event_json, lost_events)
{
	rtenf_Event ev;

	fx_lost(&ev, 12, "kernel");
	expect_json(&ev, "{\"lost_events\":{\"count\":\"12\",\"source\":\"kernel\"}," TAIL);
}

Test(event_json, zero_values_omitted_but_wrapped_ids_kept)
{
	rtenf_Event ev;

	fx_exec(&ev, xcalloc(1, sizeof(rtenf_Process)), NULL);
	free(ev.node_name);
	ev.node_name = fx_strdup(""); /* empty string and NULL are both "unset" */
	ev.time = 0;
	expect_json(&ev, "{\"process_exec\":{\"process\":{\"pid\":0,\"uid\":0,\"auid\":0,\"tid\":0}}}\n");
}

Test(event_json, present_but_empty_submessages)
{
	rtenf_Event ev;
	rtenf_Process *p = xcalloc(1, sizeof(*p));

	p->has_cap = true;
	p->has_ns = true;
	p->ns.has_net = true;
	p->has_process_credentials = true;
	fx_exec(&ev, p, NULL);
	expect_json(&ev, "{\"process_exec\":{\"process\":{\"pid\":0,\"uid\":0,\"auid\":0,\"cap\":{},"
			 "\"ns\":{\"net\":{}},\"tid\":0,\"process_credentials\":{\"uid\":0,\"gid\":0,\"euid\":0,"
			 "\"egid\":0}}}," TAIL);
}

Test(event_json, empty_event)
{
	rtenf_Event ev = rtenf_Event_init_zero;
	char *got = event_to_json(&ev);

	cr_assert_str_eq(got, "{}\n");
	free(got);
}

Test(event_json, appends_to_buffer)
{
	struct strbuf sb = {0};
	rtenf_Event ev;

	fx_lost(&ev, 1, "client");
	sb_puts(&sb, "x\n");
	event_format_json(&sb, &ev);
	event_format_json(&sb, &ev);
	cr_assert_str_eq(sb.buf, "x\n{\"lost_events\":{\"count\":\"1\",\"source\":\"client\"}," TAIL
				 "{\"lost_events\":{\"count\":\"1\",\"source\":\"client\"}," TAIL);
	sb_free(&sb);
	fx_release(&ev);
}

Test(event_json, time_edges)
{
	rtenf_Event ev;

	fx_lost(&ev, 0, NULL);
	ev.time = 1; /* the epoch plus 1ns */
	expect_json(&ev, "{\"lost_events\":{},\"node_name\":\"vm\",\"time\":\"1970-01-01T00:00:00.000000001Z\"}\n");
	fx_lost(&ev, 0, NULL);
	ev.time = 951782400000000000ull; /* leap day 2000-02-29 */
	expect_json(&ev, "{\"lost_events\":{},\"node_name\":\"vm\",\"time\":\"2000-02-29T00:00:00.000000000Z\"}\n");
}

static char *quoted(const char *s, size_t len)
{
	struct strbuf sb = {0};

	json_put_bytes_string(&sb, s, len);
	return sb_steal(&sb);
}

static void expect_quoted(const char *in, size_t len, const char *want)
{
	char *got = quoted(in, len);
	char err[128];

	cr_assert(json_check(got, strlen(got), err, sizeof(err)), "invalid JSON (%s): %s", err, got);
	cr_assert_str_eq(got, want);
	free(got);
}

#define EXPECT_QUOTED(lit, want) expect_quoted(lit, sizeof(lit) - 1, want)

Test(json_string, escapes)
{
	EXPECT_QUOTED("plain /path", "\"plain /path\"");
	EXPECT_QUOTED("a\"b\\c", "\"a\\\"b\\\\c\"");
	EXPECT_QUOTED("\b\f\n\r\t", "\"\\b\\f\\n\\r\\t\"");
	EXPECT_QUOTED("\x01\x1b[31m\x1f", "\"\\u0001\\u001b[31m\\u001f\"");
	EXPECT_QUOTED("\x7f", "\"\x7f\"");                 /* DEL is legal JSON */
	EXPECT_QUOTED("a\0b", "\"a\\u0000b\"");            /* only via the bytes form */
	EXPECT_QUOTED("</script>", "\"</script>\"");       /* no HTML escaping, like protojson */
}

Test(json_string, valid_utf8_passes_through)
{
	EXPECT_QUOTED("caf\xc3\xa9", "\"caf\xc3\xa9\"");
	EXPECT_QUOTED("\xe2\x82\xac", "\"\xe2\x82\xac\"");                /* U+20AC */
	EXPECT_QUOTED("\xf0\x9f\x9a\x80", "\"\xf0\x9f\x9a\x80\"");        /* U+1F680 */
	EXPECT_QUOTED("\xef\xbf\xbd", "\"\xef\xbf\xbd\"");                /* U+FFFD itself */
	EXPECT_QUOTED("\xf4\x8f\xbf\xbf", "\"\xf4\x8f\xbf\xbf\"");        /* U+10FFFF */
	EXPECT_QUOTED("\xe2\x80\xa8", "\"\xe2\x80\xa8\"");                /* U+2028 */
}

#define R "\xef\xbf\xbd" /* U+FFFD */

Test(json_string, invalid_utf8_replaced)
{
	EXPECT_QUOTED("\xff", "\"" R "\"");
	EXPECT_QUOTED("a\x80z", "\"a" R "z\"");                     /* lone continuation */
	EXPECT_QUOTED("\xc3\x28", "\"" R "(\"");                    /* missing continuation */
	EXPECT_QUOTED("x\xe2\x82", "\"x" R "\"");                   /* truncated at the end: one */
	EXPECT_QUOTED("\xe2\x82y", "\"" R "y\"");                   /* truncated in the middle: one */
	EXPECT_QUOTED("\xc0\xaf", "\"" R R "\"");                   /* overlong '/' */
	EXPECT_QUOTED("\xe0\x80\xaf", "\"" R R R "\"");             /* overlong '/' */
	EXPECT_QUOTED("\xed\xa0\x80", "\"" R R R "\"");             /* surrogate D800 */
	EXPECT_QUOTED("\xf4\x90\x80\x80", "\"" R R R R "\"");       /* above U+10FFFF */
	EXPECT_QUOTED("\xf8\x88\x80\x80\x80", "\"" R R R R R "\""); /* 5-byte form */
	EXPECT_QUOTED("\xf0\x9f\x9a", "\"" R "\"");                 /* 3 of 4 bytes */
}

Test(json_string, null_and_empty)
{
	struct strbuf sb = {0};

	json_put_string(&sb, NULL);
	json_put_string(&sb, "");
	cr_assert_str_eq(sb.buf, "\"\"\"\"");
	sb_free(&sb);
}

/* Kernel strings can be anything: whatever bytes land in any string field,
 * the line stays one valid JSON object. */
Test(event_json, hostile_strings_stay_valid)
{
	char all[256];
	rtenf_Event ev;
	char *got;

	for (int i = 0; i < 255; i++)
		all[i] = (char)(i + 1);
	all[255] = '\0';
	fx_tracepoint(&ev, fx_process_simple(all, all, 1), all, all, all, rtenf_KprobeAction_KPROBE_ACTION_SIGKILL,
		      rtenf_PolicyMode_POLICY_MODE_ENFORCE, true);
	ev.event.process_tracepoint.process->cwd = fx_strdup(all);
	fx_arg_string(&ev, all, all);
	fx_add_tag(&ev, all);
	free(ev.node_name);
	ev.node_name = fx_strdup(all);
	got = event_to_json(&ev);
	assert_valid_json_line(got);
	free(got);
	fx_release(&ev);
}

/* The JSON checker itself must reject what it is there to catch. */
Test(json_check, rejects_bad_json)
{
	static const char *const bad[] = {
		"", "{", "{\"a\":1,}", "{\"a\":1,\"a\":2}", "[1 2]", "\"\x01\"", "\"\xff\"", "01", "1.", "tru",
		"{\"a\":1} x", "\"\\x\"", "{a:1}",
	};
	char err[128];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_not(json_check(bad[i], strlen(bad[i]), err, sizeof(err)), "accepted: %s", bad[i]);
	static const char good[] = "{\"a\":[1,-2.5e3,true,null,\"\\u00e9\"]}";

	cr_assert(json_check(good, strlen(good), err, sizeof(err)), "%s", err);
}

/* Two ancestors in an array as the decoder makes it (pb_release frees them). */
static rtenf_Process *two_ancestors(void)
{
	rtenf_Process *list = calloc(2, sizeof(*list)), *a = fx_process_simple("/usr/bin/bash", "-l", 20),
		      *b = fx_process_init();

	list[0] = *a;
	list[1] = *b;
	free(a);
	free(b);
	return list;
}

#define ANCESTORS_JSON                                                                                     \
	"\"ancestors\":[{\"pid\":20,\"uid\":0,\"binary\":\"/usr/bin/bash\",\"arguments\":\"-l\",\"auid\":0," \
	"\"tid\":20}," INIT_PROCESS_JSON "]"

Test(event_json, ancestors_after_parent_nearest_first)
{
	rtenf_Event ev;

	fx_exec(&ev, fx_process_simple("/usr/bin/unshare", "-U", 4242), fx_process_simple("/usr/bin/sh", "", 30));
	ev.event.process_exec.ancestors = two_ancestors();
	ev.event.process_exec.ancestors_count = 2;
	expect_json(&ev, "{\"process_exec\":{\"process\":" UNSHARE_JSON ",\"parent\":{\"pid\":30,\"uid\":0,"
			 "\"binary\":\"/usr/bin/sh\",\"auid\":0,\"tid\":30}," ANCESTORS_JSON "}," TAIL);
}

Test(event_json, ancestors_of_hook_events_follow_the_tags)
{
	rtenf_Event ev;

	fx_kprobe(&ev, fx_process_simple("/usr/bin/unshare", "-U", 4242), "security_file_open", "p",
		  rtenf_KprobeAction_KPROBE_ACTION_POST, rtenf_PolicyMode_POLICY_MODE_UNSET, false);
	ev.event.process_kprobe.ancestors = two_ancestors();
	ev.event.process_kprobe.ancestors_count = 2;
	expect_json(&ev, "{\"process_kprobe\":{\"process\":" UNSHARE_JSON ",\"function_name\":\"security_file_open\","
			 "\"action\":\"KPROBE_ACTION_POST\",\"policy_name\":\"p\"," ANCESTORS_JSON
			 ",\"policy_mode\":\"unset\",\"enforced\":false}," TAIL);
}
