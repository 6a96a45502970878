// SPDX-License-Identifier: GPL-2.0-only
/*
 * Stacks in the compact format (kernelStackTrace / userStackTrace): after
 * the event's line, one indented line per frame, innermost first:
 *
 *     kernel stack:
 *       0xffffffff8a6012f4 do_syscall_64+0x84
 *       0xffffffffc06a1010 nft_do_chain+0x10 [nf_tables]
 *     user stack:
 *       0x000055d0c1e011a9 stack_leaf+0x9 (/usr/bin/prog)
 *       0x00007f0a1b229d90 0x29d90 (/usr/lib/libc.so.6)
 *     stack: <why a stack is missing, cut or unnamed>
 *
 * A frame with no symbol shows its offset in the module; one with no
 * module either, the address alone.
 */
#include <inttypes.h>

#include "compact_line.h"
#include "event_format.h"

struct stacks_view {
	const rtenf_StackTraceEntry *k, *u;
	pb_size_t nk, nu;
	const char *error;
};

#define STACKS_OF(e)                                                                                                   \
	((struct stacks_view){(e)->kernel_stack_trace, (e)->user_stack_trace, (e)->kernel_stack_trace_count,           \
			      (e)->user_stack_trace_count, (e)->stack_trace_error})

static bool stacks_of(const rtenf_Event *ev, struct stacks_view *v)
{
	switch (ev->which_event) {
	case rtenf_Event_process_kprobe_tag:
		*v = STACKS_OF(&ev->event.process_kprobe);
		return true;
	case rtenf_Event_process_tracepoint_tag:
		*v = STACKS_OF(&ev->event.process_tracepoint);
		return true;
	case rtenf_Event_process_lsm_tag:
		*v = STACKS_OF(&ev->event.process_lsm);
		return true;
	case rtenf_Event_process_uprobe_tag:
		*v = STACKS_OF(&ev->event.process_uprobe);
		return true;
	}
	return false;
}

static void put_frames(struct strbuf *out, const char *title, const rtenf_StackTraceEntry *f, pb_size_t n, bool kernel)
{
	if (!n)
		return;
	sb_printf(out, "    %s:\n", title);
	for (pb_size_t i = 0; i < n; i++) {
		sb_printf(out, "      0x%016" PRIx64, f[i].address);
		if (f[i].symbol && *f[i].symbol) {
			sb_putc(out, ' ');
			term_safe_str(out, f[i].symbol);
			sb_printf(out, "+0x%" PRIx64, f[i].offset);
		} else if (f[i].module && *f[i].module) {
			sb_printf(out, " 0x%" PRIx64, f[i].offset);
		}
		if (f[i].module && *f[i].module) {
			sb_puts(out, kernel ? " [" : " (");
			term_safe_str(out, f[i].module);
			sb_putc(out, kernel ? ']' : ')');
		}
		sb_putc(out, '\n');
	}
}

void compact_stacks(struct strbuf *out, const rtenf_Event *ev)
{
	struct stacks_view v;

	if (!stacks_of(ev, &v))
		return;
	put_frames(out, "kernel stack", v.k, v.nk, true);
	put_frames(out, "user stack", v.u, v.nu, false);
	if (v.error && *v.error) {
		sb_puts(out, "    stack: ");
		term_safe_str(out, v.error);
		sb_putc(out, '\n');
	}
}
