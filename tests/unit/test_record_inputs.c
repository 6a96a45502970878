// SPDX-License-Identifier: GPL-2.0-only
/*
 * Ring buffer records through event_builder: the inputs fuzz_record
 * found wanting (tests/fuzz/regress/record/).  Their teeth are the
 * sanitizers: both were undefined behaviour that a plain build runs
 * "correctly", which make asan-unit-test turns into failures.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>

#include "compile_fixture.h"
#include "event_builder.h"
#include "event_codec.h"
#include "record_fixture.h"
#include "util.h"

static rtenf_Event last;
static int n_events;

static void sink(void *ctx, const rtenf_Event *ev)
{
	(void)ctx;
	record_keep_event(&last, ev);
	n_events++;
}

/* A string of odd length leaves the next argument's header on an odd
 * address: it used to be read in place (UBSan: misaligned access). */
Test(record_inputs, argument_after_an_odd_length_string)
{
	struct compiled_policy *cp = compile_ok(OPENAT "    args:\n"
						       "    - index: 6\n"
						       "      type: string\n"
						       "    - index: 5\n"
						       "      type: int\n");
	struct live_policy lp = {.name = "test", .file = "t.yaml", .id = 7, .mode = RTENF_MODE_AUDIT, .cp = cp};
	struct live_policy *live[] = {&lp};
	struct policy_manager pm = {.live = live, .n_live = 1};
	struct rtenf_msg_hook m = {0};
	struct process_cache pc;
	struct event_builder eb;
	struct strbuf r = {0};
	int64_t dfd = -100; /* integers travel as 8 bytes */
	uint8_t *rec;

	m.hdr.op = RTENF_OP_TRACEPOINT;
	m.hdr.flags = RTENF_HOOK_F_AUDIT;
	m.task.tgid = m.task.tid = 4242;
	m.policy_id = 7;
	m.nargs = 2;
	sb_append(&r, (const char *)&m, sizeof(m));
	record_put_arg(&r, RTENF_ARG_STRING, "odd", 3);
	record_put_arg(&r, RTENF_ARG_INT, &dfd, sizeof(dfd));
	((struct rtenf_msg_hook *)(void *)r.buf)->hdr.size = (__u32)r.len;
	/* exactly as long as the record, so ASan sees any read past it */
	rec = xmalloc(r.len);
	memcpy(rec, r.buf, r.len);

	process_cache_init(&pc, "node");
	event_builder_init(&eb, &pc, &pm, sink, NULL);
	n_events = 0;
	event_builder_handle(&eb, rec, r.len);
	cr_assert_eq(n_events, 1, "no event (malformed %llu)", (unsigned long long)eb.malformed);
	cr_assert_eq(last.which_event, rtenf_Event_process_tracepoint_tag);
	cr_assert_eq(last.event.process_tracepoint.args_count, 2);
	cr_assert_str_eq(last.event.process_tracepoint.args[0].arg.string_arg, "odd");
	cr_assert_eq(last.event.process_tracepoint.args[1].arg.int_arg, -100);
	cr_assert_eq(eb.malformed, 0);

	event_release(&last);
	process_cache_free(&pc);
	compiled_policy_free(cp);
	free(rec);
	sb_free(&r);
}

/* A record time far in the future overflowed int64_t on its way to wall
 * time (UBSan: signed integer overflow); it now wraps like the kernel's
 * clock arithmetic would. */
Test(record_inputs, record_time_near_the_end_of_u64)
{
	struct process_cache pc;

	process_cache_init(&pc, "node");
	pc.boot_to_real_ns = 1795489870966204601;
	cr_assert_eq(process_cache_wall_ns(&pc, 8313363437149225960ull),
		     8313363437149225960ull + 1795489870966204601ull);
	pc.boot_to_real_ns = -5;
	cr_assert_eq(process_cache_wall_ns(&pc, 3), (uint64_t)-2);
	process_cache_free(&pc);
}
