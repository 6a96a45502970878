// SPDX-License-Identifier: GPL-2.0-only
/*
 * Stack sections of hook records (RTENF_HOOK_F_STACKS) through
 * event_builder: user frames named from this very process's maps and ELF
 * symbols, the kernel's notes kept, and sections that lie about their
 * length counted as malformed, never read past.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

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

/* A function of this binary for a user frame to land in. */
__attribute__((noinline, used)) int record_stacks_marker(int x)
{
	__asm__ volatile("" ::: "memory");
	return x * 3 + 1;
}

/* A section as the kernel writes it: the header, n frames, zeroed slots up
 * to RTENF_STACK_MAX_FRAMES; claimed is the frame count it says it has. */
static void put_stack(struct strbuf *r, __u8 kind, __u8 flags, const uint64_t *frames, __u16 n, __u16 claimed)
{
	struct rtenf_msg_stack st = {.kind = kind, .flags = flags, .nframes = claimed};
	uint64_t slots[RTENF_STACK_MAX_FRAMES] = {0};

	if (n)
		memcpy(slots, frames, (size_t)n * 8);
	sb_append(r, (const char *)&st, sizeof(st));
	sb_append(r, (const char *)slots, sizeof(slots));
}

struct fixture {
	struct compiled_policy *cp;
	struct live_policy lp;
	struct live_policy *live[1];
	struct policy_manager pm;
	struct process_cache pc;
	struct event_builder eb;
};

static void fixture_init(struct fixture *f)
{
	memset(f, 0, sizeof(*f));
	f->cp = compile_ok(OPENAT);
	f->lp = (struct live_policy){.name = "test", .file = "t.yaml", .id = 7, .mode = RTENF_MODE_AUDIT, .cp = f->cp};
	f->live[0] = &f->lp;
	f->pm.live = f->live;
	f->pm.n_live = 1;
	process_cache_init(&f->pc, "node");
	event_builder_init(&f->eb, &f->pc, &f->pm, sink, NULL);
	n_events = 0;
}

static void fixture_free(struct fixture *f)
{
	event_release(&last);
	event_builder_free(&f->eb);
	process_cache_free(&f->pc);
	compiled_policy_free(f->cp);
}

static void record_start(struct strbuf *r, pid_t pid)
{
	struct rtenf_msg_hook m = {0};

	m.hdr.op = RTENF_OP_TRACEPOINT;
	m.hdr.flags = RTENF_HOOK_F_STACKS;
	m.task.tgid = m.task.tid = (__u32)pid;
	m.policy_id = 7;
	sb_append(r, (const char *)&m, sizeof(m));
}

/* Handed over in a buffer exactly as long as the record, so ASan sees any
 * read past it. */
static void handle(struct fixture *f, struct strbuf *r)
{
	uint8_t *rec;

	((struct rtenf_msg_hook *)(void *)r->buf)->hdr.size = (__u32)r->len;
	rec = xmalloc(r->len);
	memcpy(rec, r->buf, r->len);
	event_builder_handle(&f->eb, rec, r->len);
	free(rec);
}

Test(record_stacks, user_frames_are_named_from_the_process_maps)
{
	uint64_t user[2] = {(uint64_t)(uintptr_t)&record_stacks_marker + 4, 0x10};
	const rtenf_ProcessTracepoint *tp;
	struct fixture f;
	struct strbuf r = {0};

	fixture_init(&f);
	record_start(&r, getpid());
	put_stack(&r, RTENF_STACK_USER, 0, user, 2, 2);
	handle(&f, &r);
	cr_assert_eq(n_events, 1, "no event (malformed %llu)", (unsigned long long)f.eb.malformed);
	tp = &last.event.process_tracepoint;
	cr_assert_eq(tp->user_stack_trace_count, 2);
	cr_assert_eq(tp->kernel_stack_trace_count, 0);
	cr_expect_eq(tp->user_stack_trace[0].address, user[0]);
	cr_expect_str_eq(tp->user_stack_trace[0].symbol, "record_stacks_marker");
	cr_expect_eq(tp->user_stack_trace[0].offset, 4);
	cr_expect(tp->user_stack_trace[0].module && strstr(tp->user_stack_trace[0].module, "unit-tests"), "module %s",
		  tp->user_stack_trace[0].module);
	/* an address nothing maps: the address alone */
	cr_expect_eq(tp->user_stack_trace[1].address, 0x10);
	cr_expect_null(tp->user_stack_trace[1].symbol);
	cr_expect_null(tp->user_stack_trace[1].module);
	cr_expect_null(tp->stack_trace_error, "%s", tp->stack_trace_error);
	cr_expect_eq(f.eb.malformed, 0);
	fixture_free(&f);
	sb_free(&r);
}

Test(record_stacks, kernel_notes_and_a_gone_process)
{
	uint64_t frames[2] = {0xffffffff81000000ull, 0x401000};
	const rtenf_ProcessTracepoint *tp;
	struct fixture f;
	struct strbuf r = {0};

	fixture_init(&f);
	/* pid 0x7ffffff0 is above any pid_max: no /proc entry */
	record_start(&r, 0x7ffffff0);
	put_stack(&r, RTENF_STACK_KERNEL, RTENF_STACK_F_FULL, frames, 1, 1);
	put_stack(&r, RTENF_STACK_USER, 0, frames + 1, 1, 1);
	handle(&f, &r);
	cr_assert_eq(n_events, 1);
	tp = &last.event.process_tracepoint;
	cr_assert_eq(tp->kernel_stack_trace_count, 1);
	cr_assert_eq(tp->user_stack_trace_count, 1);
	cr_expect_eq(tp->user_stack_trace[0].address, 0x401000);
	cr_assert_not_null(tp->stack_trace_error);
	cr_expect(strstr(tp->stack_trace_error, "kernel stack cut at 64 frames") != NULL, "%s", tp->stack_trace_error);
	cr_expect(strstr(tp->stack_trace_error, "process gone") != NULL, "%s", tp->stack_trace_error);
	fixture_free(&f);
	sb_free(&r);
}

Test(record_stacks, a_section_that_lies_is_malformed)
{
	uint64_t frames[1] = {0x401000};
	struct fixture f;
	struct strbuf r = {0};

	fixture_init(&f);
	record_start(&r, getpid());
	put_stack(&r, RTENF_STACK_USER, 0, frames, 1, 1);
	r.len -= 8; /* one slot short */
	handle(&f, &r);
	cr_assert_eq(n_events, 1, "the event still goes out, without the stack");
	cr_expect_eq(last.event.process_tracepoint.user_stack_trace_count, 0);
	cr_expect_eq(f.eb.malformed, 1);
	fixture_free(&f);
	sb_free(&r);

	/* more frames than a section has slots */
	fixture_init(&f);
	memset(&r, 0, sizeof(r));
	record_start(&r, getpid());
	put_stack(&r, RTENF_STACK_USER, 0, frames, 1, RTENF_STACK_MAX_FRAMES + 1);
	handle(&f, &r);
	cr_expect_eq(last.event.process_tracepoint.user_stack_trace_count, 0);
	cr_expect_eq(f.eb.malformed, 1);
	fixture_free(&f);
	sb_free(&r);

	/* a second section of the same kind, or an unknown kind */
	fixture_init(&f);
	memset(&r, 0, sizeof(r));
	record_start(&r, getpid());
	put_stack(&r, RTENF_STACK_USER, 0, frames, 1, 1);
	put_stack(&r, RTENF_STACK_USER, 0, frames, 1, 1);
	put_stack(&r, 9, 0, frames, 1, 1);
	handle(&f, &r);
	cr_expect_eq(last.event.process_tracepoint.user_stack_trace_count, 1);
	cr_expect_eq(f.eb.malformed, 1);
	fixture_free(&f);
	sb_free(&r);
}

/* A hook that hands bpf_get_stack() user registers gets no kernel frames:
 * the event says why rather than showing an empty list with no reason. */
Test(record_stacks, an_empty_kernel_stack_is_explained)
{
	struct fixture f;
	struct strbuf r = {0};

	fixture_init(&f);
	record_start(&r, getpid());
	put_stack(&r, RTENF_STACK_KERNEL, 0, NULL, 0, 0);
	handle(&f, &r);
	cr_assert_eq(n_events, 1);
	cr_expect_eq(last.event.process_tracepoint.kernel_stack_trace_count, 0);
	cr_assert_not_null(last.event.process_tracepoint.stack_trace_error);
	cr_expect(strstr(last.event.process_tracepoint.stack_trace_error, "kernel stack empty") != NULL, "%s",
		  last.event.process_tracepoint.stack_trace_error);
	fixture_free(&f);
	sb_free(&r);
}
