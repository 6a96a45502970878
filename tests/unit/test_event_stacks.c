// SPDX-License-Identifier: GPL-2.0-only
/* Stacks in events (kernelStackTrace / userStackTrace): JSON frames as
 * Tetragon's StackTraceEntry, compact frames on indented lines, and the
 * same bytes read by protobuf-c. */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "codec_twin.h"
#include "compact_expect.h"
#include "event_codec.h"
#include "event_fixtures.h"
#include "events.pb-c.h"
#include "json_expect.h"

#define TAIL "\"node_name\":\"vm\",\"time\":\"" FX_TIME_JSON "\"}\n"

static void getppid_with_stacks(rtenf_Event *ev)
{
	fx_tracepoint(ev, NULL, "syscalls", "sys_enter_getppid", "stacks", rtenf_KprobeAction_KPROBE_ACTION_POST,
		      rtenf_PolicyMode_POLICY_MODE_AUDIT, false);
	fx_stack_frame(ev, true, 0xffffffff81000130ull, 0x76, "entry_SYSCALL_64_after_hwframe", NULL);
	fx_stack_frame(ev, true, 0xffffffffc0a01010ull, 0x10, "nft_do_chain", "nf_tables");
	fx_stack_frame(ev, false, 0x7f0000001234ull, 0x7, "getppid", "/usr/lib/libc.so.6");
	fx_stack_frame(ev, false, 0x7f000002724aull, 0x2724a, NULL, "/usr/lib/libc.so.6");
	fx_stack_frame(ev, false, 0x1000ull, 0, NULL, NULL);
}

Test(event_stacks, json_frames_after_the_other_fields)
{
	rtenf_Event ev;

	getppid_with_stacks(&ev);
	fx_stack_error(&ev, "user stack cut at 64 frames");
	expect_json(&ev, "{\"process_tracepoint\":{\"subsys\":\"syscalls\",\"event\":\"sys_enter_getppid\","
			 "\"policy_name\":\"stacks\",\"action\":\"KPROBE_ACTION_POST\",\"policy_mode\":\"audit\","
			 "\"enforced\":false,"
			 "\"kernel_stack_trace\":["
			 "{\"address\":\"18446744071578845488\",\"offset\":\"118\","
			 "\"symbol\":\"entry_SYSCALL_64_after_hwframe\"},"
			 "{\"address\":\"18446744072646299664\",\"offset\":\"16\",\"symbol\":\"nft_do_chain\","
			 "\"module\":\"nf_tables\"}],"
			 "\"user_stack_trace\":["
			 "{\"address\":\"139637976732212\",\"offset\":\"7\",\"symbol\":\"getppid\","
			 "\"module\":\"/usr/lib/libc.so.6\"},"
			 "{\"address\":\"139637976887882\",\"offset\":\"160330\",\"module\":\"/usr/lib/libc.so.6\"},"
			 "{\"address\":\"4096\"}],"
			 "\"stack_trace_error\":\"user stack cut at 64 frames\"}," TAIL);
}

Test(event_stacks, compact_frames_on_indented_lines)
{
	rtenf_Event ev;

	getppid_with_stacks(&ev);
	fx_stack_error(&ev, "process gone before its user stack was named: addresses only");
	expect_compact(&ev, "⁉️  tracepoint vm syscalls/sys_enter_getppid [stacks]\n"
			    "    kernel stack:\n"
			    "      0xffffffff81000130 entry_SYSCALL_64_after_hwframe+0x76\n"
			    "      0xffffffffc0a01010 nft_do_chain+0x10 [nf_tables]\n"
			    "    user stack:\n"
			    "      0x00007f0000001234 getppid+0x7 (/usr/lib/libc.so.6)\n"
			    "      0x00007f000002724a 0x2724a (/usr/lib/libc.so.6)\n"
			    "      0x0000000000001000\n"
			    "    stack: process gone before its user stack was named: addresses only\n");
}

Test(event_stacks, compact_without_stacks_is_one_line)
{
	rtenf_Event ev;

	fx_tracepoint(&ev, NULL, "syscalls", "sys_enter_getppid", "stacks", rtenf_KprobeAction_KPROBE_ACTION_POST,
		      rtenf_PolicyMode_POLICY_MODE_AUDIT, false);
	expect_compact(&ev, "⁉️  tracepoint vm syscalls/sys_enter_getppid [stacks]\n");
}

/* Every hook kind carries them, under its own field numbers (Tetragon's
 * for process_kprobe): protobuf-c reads what nanopb wrote. */
Test(event_stacks, protobuf_c_reads_the_frames_of_every_hook_kind)
{
	rtenf_Event ev[4];

	fx_tracepoint(&ev[0], NULL, "syscalls", "sys_enter_getppid", "p", rtenf_KprobeAction_KPROBE_ACTION_POST,
		      rtenf_PolicyMode_POLICY_MODE_AUDIT, false);
	fx_kprobe(&ev[1], NULL, "__x64_sys_getppid", "p", rtenf_KprobeAction_KPROBE_ACTION_POST,
		  rtenf_PolicyMode_POLICY_MODE_AUDIT, false);
	fx_lsm(&ev[2], NULL, "file_open", "p", rtenf_KprobeAction_KPROBE_ACTION_POST,
	       rtenf_PolicyMode_POLICY_MODE_AUDIT, false);
	fx_uprobe(&ev[3], NULL, "/bin/bash", "readline", "p", rtenf_KprobeAction_KPROBE_ACTION_POST,
		  rtenf_PolicyMode_POLICY_MODE_AUDIT, false);
	for (int i = 0; i < 4; i++) {
		Rtenf__Event *c;
		uint8_t *buf;
		size_t len;

		fx_stack_frame(&ev[i], true, UINT64_MAX, 1, "k", "mod");
		fx_stack_frame(&ev[i], false, 0x401000, 2, "main", "/bin/prog");
		fx_stack_frame(&ev[i], false, 0x402000, 0, NULL, NULL);
		fx_stack_error(&ev[i], "note");
		cr_assert_eq(event_encode(&ev[i], &buf, &len), 0);
		c = rtenf__event__unpack(NULL, len, buf);
		cr_assert_not_null(c, "protobuf-c rejects event %d", i);
		cmp_event(&ev[i], c);
		rtenf__event__free_unpacked(c, NULL);
		free(buf);
		fx_release(&ev[i]);
	}
}
